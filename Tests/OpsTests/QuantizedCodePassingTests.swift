import XCTest
import Tensors
@testable import Ops

final class QuantizedCodePassingTests: XCTestCase {
    /// x → quantized conv a (2 → 4) → quantized conv b (4 → 1): an encoder's two convolutions.
    func makeGraph(_ a: DType = .int8, _ b: DType = .int8) -> Graph {
        var g = Graph()
        let x = g.input("x", [1, 2, 4, 4])
        let wa = g.addConstant(Tensor([Float](repeating: 0.5, count: 8), shape: [4, 2, 1, 1]), name: "a.weight")
        let ya = g.add(.conv2d(Conv2dAttributes()), [x, wa], shape: [1, 4, 4, 4], name: "a")
        let wb = g.addConstant(Tensor([1, 2, 3, 4], shape: [1, 4, 1, 1]), name: "b.weight")
        g.outputs = [g.add(.conv2d(Conv2dAttributes()), [ya, wb], shape: [1, 1, 4, 4], name: "b")]
        g.nodes[0].quantization = NodeQuantization(dtype: a, inputScale: 10, weightScales: [25])
        g.nodes[1].quantization = NodeQuantization(dtype: b, inputScale: 30, weightScales: [40])
        return g
    }

    func testProducerWritesTheReadersCodes() throws {
        let g = try makeGraph().optimizedForExecution()
        XCTAssertEqual(g.opNames(), ["conv2d", "conv2d"])
        XCTAssertEqual(g.nodes[0].quantization?.outputCodeScale, 30)
        XCTAssertEqual(g.nodes[1].quantization?.inputIsCodes, true)
        XCTAssertEqual(g.values[g.nodes[0].outputs[0]].dtype, .int8)
        XCTAssertTrue(g.nodes[0].quantization?.hasExecutionOnlyFusion == true)
        XCTAssertTrue(g.nodes[1].quantization?.hasExecutionOnlyFusion == true)
        let offline = try makeGraph().optimized()
        XCTAssertNil(offline.nodes[0].quantization?.outputCodeScale, "offline models keep float activations")
        XCTAssertEqual(offline.values[offline.nodes[0].outputs[0]].dtype, .float32)
    }

    func testOtherShapesAreLeftAlone() {
        func passed(_ g: Graph) -> Bool { g.passingCodesBetweenQuantizedConvolutions().nodes[0].quantization?.outputCodeScale != nil }
        XCTAssertTrue(passed(makeGraph()))
        XCTAssertFalse(passed(makeGraph(.int16, .int8)))
        XCTAssertFalse(passed(makeGraph(.int8, .int16)))
        var output = makeGraph()
        output.outputs.append(output.nodes[0].outputs[0])  // a's output is also a graph output
        XCTAssertFalse(passed(output))
        var twoReaders = makeGraph()
        let ya = twoReaders.nodes[0].outputs[0]
        twoReaders.outputs.append(twoReaders.add(.relu, [ya], shape: [1, 4, 4, 4], name: "r"))
        XCTAssertFalse(passed(twoReaders))
        var firstconv = makeGraph()
        firstconv.nodes[1].quantization?.inputMean255 = [0, 0, 0, 0]
        firstconv.nodes[1].quantization?.inputStd255 = [1, 1, 1, 1]
        XCTAssertFalse(passed(firstconv))
        var float = makeGraph()
        float.nodes[1].quantization = nil
        XCTAssertFalse(passed(float))
    }
}
