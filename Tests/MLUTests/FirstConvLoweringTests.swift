import MLU
import Ops
import Tensors
import XCTest

/// firstconv models (reference §2): the offline model takes uint8 NHWC 4-channel pixels in the
/// `ct.set_input_format` order; the first conv normalises and quantizes them on the card.
final class FirstConvLoweringTests: XCTestCase {
    /// A 1×1 conv 3→1 with weight [1, 2, 3] (scale 1), input scale 1, mean255 [10, 20, 30], std255 [1, 2, 4].
    private func firstConvGraph() -> Graph {
        var g = Graph()
        let x = g.addValue(name: "x", shape: [1, 3, 1, 1], dtype: .float32)
        g.inputs = [x]
        let w = g.addConstant(Tensor([1, 2, 3], shape: [1, 3, 1, 1]), name: "conv.weight")
        let y = g.addValue(name: "conv", shape: [1, 1, 1, 1], dtype: .float32)
        let q = NodeQuantization(dtype: .int8, inputScale: 1, weightScales: [1],
                                 inputMean255: [10, 20, 30], inputStd255: [1, 2, 4])
        g.nodes = [Node(op: .conv2d(Conv2dAttributes()), inputs: [x, w], outputs: [y], name: "conv", quantization: q)]
        g.outputs = [y]
        return g
    }

    private func options(inputFormat: Int) -> LoweringOptions {
        LoweringOptions(target: OfflineTarget(coreVersion: .mlu220, coreNumber: 4, inputFormat: inputFormat),
                        provenance: OfflineProvenance(sourceSHA256: [UInt8](repeating: 1, count: 32), toolVersion: "mlus test",
                                                      creationTime: 0, quantizationSettings: [:]))
    }

    /// bgra (format 2) puts R, G, B at positions 2, 1, 0: weight [1, 2, 3] → [3, 2, 1, 0] (alpha 0),
    /// mean [10, 20, 30] → [30, 20, 10, 0], std [1, 2, 4] → [4, 2, 1, 1].
    func testBGRAInputSpreadsWeightAndNormalization() throws {
        let model = try firstConvGraph().lowered(options: options(inputFormat: 2))
        let input = try XCTUnwrap(model.inputs.first)
        XCTAssertEqual(input.dataType, .uint8)
        XCTAssertEqual(input.shape, [1, 1, 1, 4])
        let weight = try XCTUnwrap(model.constants.first)
        XCTAssertEqual(weight.tensor.integers(), [3, 2, 1, 0])
        let conv = try XCTUnwrap(model.graph.nodes.first { $0.op == "conv2d" })
        XCTAssertEqual(conv.attributes["input_mean"], .floats([30, 20, 10, 0]))
        XCTAssertEqual(conv.attributes["input_std"], .floats([4, 2, 1, 1]))
        XCTAssertEqual(model.target.inputFormat, 2)
    }

    /// Pixel R 110, G 60, B 34 normalises to (100, 20, 1); with unit scales acc = 100·1 + 20·2 + 1·3 = 143.
    /// The bgra pixel is (34, 60, 110, alpha); alpha must not matter.
    func testOfflineOutputIsHandDerivedForEveryFormat() throws {
        QuantizedGraphSupport.install()
        let rgba: [Float] = [110, 60, 34, 200]
        let orders = [[0, 1, 2, 3], [3, 0, 1, 2], [2, 1, 0, 3], [3, 2, 1, 0]]
        for (format, order) in orders.enumerated() {
            let model = try firstConvGraph().lowered(options: options(inputFormat: format))
            let pixels = Tensor(order.map { rgba[$0] }, shape: [1, 1, 1, 4]).to(.uint8)
            let function = try CNRTModel(model: model).extractFunction(named: "subnet0")
            let y = try function.invoke([pixels], executor: GraphOfflineExecutor(quantizedKernel: GraphRuntime.quantizedKernel))
            XCTAssertEqual(y.first?.floats(), [143], "input format \(format)")
        }
    }

    /// A normalising conv that reads an intermediate value keeps a float input (and still normalises).
    func testIntermediateInputKeepsFloatIO() throws {
        var g = firstConvGraph()
        let x = g.inputs[0]
        let r = g.addValue(name: "r", shape: [1, 3, 1, 1], dtype: .float32)
        g.nodes.insert(Node(op: .relu, inputs: [x], outputs: [r], name: "r"), at: 0)
        g.nodes[1].inputs[0] = r
        let model = try g.lowered(options: options(inputFormat: 0))
        XCTAssertEqual(model.inputs.first?.dataType, .float32)
        XCTAssertEqual(model.inputs.first?.shape, [1, 1, 1, 3])
    }
}
