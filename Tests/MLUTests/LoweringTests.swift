import Foundation
import XCTest
import Ops
import Tensors
@testable import MLU

/// Graph → offline model → file → offline model → graph → execution, against eager execution.
///
/// Tolerances: float32 models agree with eager within `|a − b| ≤ 1e-6 + 1e-5·|b|` (optimised graphs fold BN,
/// docs/graph.md); unoptimised round trips run the same kernels on the same bytes and are compared exactly;
/// FP16-stored parameters are compared within `1e-3 + 1e-2·|b|` (weights rounded to 11 significant bits).
final class LoweringTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-lowering-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    static func options(_ parameters: DType = .float32) -> LoweringOptions {
        LoweringOptions(target: OfflineTarget(coreVersion: .mlu270, coreNumber: 16, batch: 7),
                        provenance: OfflineProvenance(sourceSHA256: [UInt8](repeating: 1, count: 32), toolVersion: "mlus test",
                                                      creationTime: 0, quantizationSettings: [:]),
                        floatParameterDType: parameters)
    }

    static func closeness(_ a: [Float], _ b: [Float], rtol: Float = 1e-5, atol: Float = 1e-6) -> Float {
        guard a.count == b.count else { return .infinity }
        return zip(a, b).map { abs($0 - $1) / (atol + rtol * abs($1)) }.max() ?? 0
    }

    /// Writes `model` with `save(as:)`, loads it with the CNRT runtime and runs subnet0 on `nhwcInput`.
    private func saveLoadInvoke(_ model: OfflineModel, _ inputs: [Tensor], name: String = "net",
                                executor: GraphOfflineExecutor = GraphOfflineExecutor()) throws -> [Tensor] {
        let base = directory.appendingPathComponent(name).path
        let paths = try model.save(as: base)
        let loaded = try CNRTModel.load(path: paths.model)
        XCTAssertEqual(loaded.model, model, "the file round trip keeps the model")
        let function = try loaded.extractFunction(named: "subnet0")
        return try function.invoke(inputs, executor: executor)
    }

    func testTraceOptimiseLowerWriteReadExecuteMatchesEager() throws {
        let net = try LoweringSampleNets.MiniSegNet()
        let example = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 21))
        let model = try net.trace(example).optimized().lowered(options: Self.options())
        XCTAssertEqual(model.graph.nodes.first?.op, "permute")
        XCTAssertEqual(model.graph.nodes.map(\.op).filter { $0 == "conv2d" }.count, 4)
        XCTAssertFalse(model.graph.nodes.contains { $0.op == "batch_norm2d" || $0.op == "relu" })
        XCTAssertEqual(model.graph.nodes.filter { $0.attributes["fused_relu"] == .bool(true) }.count, 3)
        XCTAssertEqual(model.inputs.map(\.shape), [[1, 16, 16, 3]])
        XCTAssertEqual(model.inputs.first?.dimOrder, .nhwc)
        XCTAssertEqual(model.outputs.map(\.shape), [[16, 16]])
        XCTAssertEqual(model.target.batch, 1, "batch comes from the traced run")
        XCTAssertEqual(model.constants.count, 8)
        let raised = try model.engineGraph()
        XCTAssertEqual(raised.inputs.map { raised.values[$0].shape }, [[1, 3, 16, 16]], "the engine graph is NCHW again")
        XCTAssertFalse(raised.nodes.contains { if case .permute = $0.op { return true } else { return false } })
        XCTAssertEqual(try raised.lowered(options: Self.options()), model, "raise then lower is the identity")
        for seed in [UInt64(22), 23] {
            let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: seed))
            let eager = try net.forward(x).floats()
            let offline = try saveLoadInvoke(model, [try CNRT.nchwToNHWC(x)], name: "seg\(seed)")
            XCTAssertEqual(offline.first?.shape, [16, 16])
            XCTAssertLessThanOrEqual(Self.closeness(try XCTUnwrap(offline.first).floats(), eager), 1)
        }
    }

    func testFourDimensionalOutputIsNHWCAndOptimisedLoadingAgrees() throws {
        var net = try LoweringSampleNets.MiniSegNet(seed: 3)
        net.squeezeOutput = false
        let x = try Tensor.randn([2, 3, 8, 12], generator: Generator(seed: 4))
        let model = try net.trace(x).lowered(options: Self.options())
        XCTAssertEqual(model.outputs.map(\.shape), [[2, 8, 12, 1]])
        XCTAssertEqual(model.graph.nodes.last?.op, "permute")
        XCTAssertEqual(model.target.batch, 2)
        let eagerNHWC = try CNRT.nchwToNHWC(try net.forward(x)).floats()
        let plain = try saveLoadInvoke(model, [try CNRT.nchwToNHWC(x)], name: "plain", executor: GraphOfflineExecutor(optimize: false))
        XCTAssertEqual(plain.first?.floats(), eagerNHWC, "unoptimised offline execution runs the eager kernels")
        let fused = try saveLoadInvoke(model, [try CNRT.nchwToNHWC(x)], name: "fused", executor: GraphOfflineExecutor())
        XCTAssertLessThanOrEqual(Self.closeness(try XCTUnwrap(fused.first).floats(), eagerNHWC), 1)
    }

    func testEveryMappedOpRoundTripsAndRunsLikeEager() throws {
        let zoo = try LoweringSampleNets.OpZoo()
        let x = try Tensor.randn([1, 4, 8, 8], generator: Generator(seed: 9))
        let graph = try Tracer.trace(inputs: [x]) { [try zoo.forward($0[0])] }
        let model = try graph.lowered(options: Self.options())
        let ops = Set(model.graph.nodes.map(\.op))
        for name in ["leaky_relu", "elu", "add", "mul", "sub", "max_pool2d", "pad", "avg_pool2d", "upsample_nearest2d",
                     "adaptive_avg_pool2d", "hardswish", "tanh", "identity", "mean", "div", "permute", "transpose",
                     "flatten", "linear", "silu", "softmax", "relu6", "reshape", "conv_transpose2d", "hardsigmoid",
                     "upsample_bilinear2d"] {
            XCTAssertTrue(ops.contains(name), name)
        }
        // Raising and lowering again gives the same model: the op table is a bijection on these ops.
        XCTAssertEqual(try model.engineGraph().lowered(options: Self.options()), model)
        let eager = try zoo.forward(x).floats()
        let offline = try saveLoadInvoke(model, [try CNRT.nchwToNHWC(x)], name: "zoo")
        XCTAssertEqual(offline.first?.floats(), eager)
    }

    func testFP16ParametersAreStoredHalfAndCastBack() throws {
        let net = try LoweringSampleNets.MiniSegNet()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 30))
        let model = try net.trace(x).optimized().lowered(options: Self.options(.float16))
        XCTAssertEqual(Set(model.constants.map(\.tensor.dtype)), [.float16])
        XCTAssertEqual(model.graph.nodes.filter { $0.op == "cast" }.count, model.constants.count)
        XCTAssertEqual(try model.engineGraph().lowered(options: Self.options(.float16)), model)
        let offline = try saveLoadInvoke(model, [try CNRT.nchwToNHWC(x)], name: "half")
        let eager = try net.forward(x).floats()
        let error = Self.closeness(try XCTUnwrap(offline.first).floats(), eager, rtol: 1e-2, atol: 1e-3)
        XCTAssertLessThanOrEqual(error, 1)
        XCTAssertGreaterThan(Self.closeness(try XCTUnwrap(offline.first).floats(), eager), 0, "FP16 weights change the numbers")
    }

    /// Weight [[0.5, −0.25], [1.0, 0.3]] (2 × 1 × 1 × 2) with per-channel scales [254, 127]:
    /// channel 0: 0.5·254 = 127, −0.25·254 = −63.5 → −64 (half away from zero);
    /// channel 1: 1.0·127 = 127, 0.3·127 = 38.1 → 38.
    func testQuantizedWeightsAreStoredAsIntegersWithScalesAndRaisedBack() throws {
        var g = Graph()
        let x = g.addValue(name: "x", shape: [1, 1, 1, 2], dtype: .float32)
        g.inputs = [x]
        let w = g.addConstant(Tensor([0.5, -0.25, 1.0, 0.3], shape: [2, 1, 1, 2]), name: "conv.weight")
        let y = g.addValue(name: "conv", shape: [1, 2, 1, 1], dtype: .float32)
        let q = NodeQuantization(dtype: .int8, inputScale: 12.5, weightScales: [254, 127], weightAxis: 0)
        g.nodes = [Node(op: .conv2d(Conv2dAttributes()), inputs: [x, w], outputs: [y], name: "conv", quantization: q)]
        g.outputs = [y]
        let model = try g.lowered(options: Self.options())
        let constant = try XCTUnwrap(model.constants.first)
        XCTAssertEqual(constant.tensor.dtype, .int8)
        XCTAssertEqual(constant.tensor.integers(), [127, -64, 127, 38])
        XCTAssertEqual(constant.quantization, OfflineQuantization(scales: [254, 127], axis: 0))
        let conv = try XCTUnwrap(model.graph.nodes.first { $0.op == "conv2d" })
        XCTAssertEqual(conv.attributes["input_scale"], .float(12.5))

        let raised = try model.engineGraph()
        let node = try XCTUnwrap(raised.nodes.first { $0.quantization != nil })
        XCTAssertEqual(node.quantization, q)
        XCTAssertEqual(raised.constants[node.inputs[1]]?.floats(), [127 / 254, -64 / 254, 1, 38 / 127])
        XCTAssertEqual(try raised.lowered(options: Self.options()), model, "re-lowering stores the same integers")
        XCTAssertThrowsError(try GraphOfflineExecutor().execute(try CNRTModel(model: model).extractFunction(named: "subnet0"),
                                                                inputs: [Tensor([1, 2], shape: [1, 1, 2, 1])])) { error in
            XCTAssertEqual(error as? GraphError, .missingQuantizedKernel(node: "conv"))
        }
    }

    /// A model whose values are NCHW behind NHWC descriptors (as a hand-written file may be): the executor
    /// transposes at the edges. Input NHWC [1, 1, 3, 2] = [1, 2, 3, 4, 5, 6] (channel 0 = 1, 3, 5;
    /// channel 1 = 2, 4, 6) plus per-channel bias [10, 100] → NHWC [11, 102, 13, 104, 15, 106].
    func testNCHWValuesBehindNHWCDescriptorsAreTransposed() throws {
        let values = [OfflineValue(name: "x", dtype: .float32, shape: [1, 2, 1, 3]),
                      OfflineValue(name: "b", dtype: .float32, shape: [1, 2, 1, 1]),
                      OfflineValue(name: "y", dtype: .float32, shape: [1, 2, 1, 3])]
        let model = OfflineModel(
            graph: OfflineGraph(values: values, nodes: [OfflineNode(op: "add", inputs: [0, 1], outputs: [2])]),
            constants: [OfflineConstant(valueId: 1, tensor: Tensor([10, 100], shape: [1, 2, 1, 1]))],
            inputs: [OfflineIODescriptor(valueId: 0, dataType: .float32, shape: [1, 1, 3, 2])],
            outputs: [OfflineIODescriptor(valueId: 2, dataType: .float32, shape: [1, 1, 3, 2])],
            target: OfflineTarget(coreVersion: .mlu220, coreNumber: 4),
            provenance: OfflineProvenance(sourceSHA256: [UInt8](repeating: 0, count: 32), toolVersion: "t", creationTime: 0))
        let out = try saveLoadInvoke(model, [Tensor([1, 2, 3, 4, 5, 6], shape: [1, 1, 3, 2])], name: "nchw")
        XCTAssertEqual(out.first?.floats(), [11, 102, 13, 104, 15, 106])
    }

    func testUnsupportedOpNamesTheNode() throws {
        let g = try Tracer.trace(inputs: [Tensor([1, 2], shape: [2])]) { [try TensorOps.exp($0[0])] }
        XCTAssertThrowsError(try g.lowered(options: Self.options())) { error in
            XCTAssertEqual(error as? LoweringError, .unsupportedOp(node: "exp_0", op: "exp", reason: "no such op in the offline op set"))
        }
        let training = try Tracer.trace(inputs: [Tensor([1, 2], shape: [2])]) { [try TensorOps.dropout($0[0], p: 0.5, training: true)] }
        XCTAssertThrowsError(try training.lowered(options: Self.options()))
    }

    func testMissingAttributeIsAClearError() throws {
        var model = try LoweringSampleNets.MiniSegNet().trace(try Tensor.randn([1, 3, 8, 8])).lowered(options: Self.options())
        let k = try XCTUnwrap(model.graph.nodes.firstIndex { $0.op == "conv2d" })
        model.graph.nodes[k].attributes["stride"] = .float(1)
        XCTAssertThrowsError(try model.engineGraph()) { error in
            XCTAssertEqual(error as? LoweringError, .badAttribute(node: k, op: "conv2d", key: "stride",
                                                                  expected: "int list of 1...2 values in 1...1048576"))
        }
    }

    func testIntegerIOIsRejected() throws {
        let g = try Tracer.trace(inputs: [Tensor([1, 2], shape: [2])]) { [try TensorOps.argmax($0[0])] }
        XCTAssertThrowsError(try g.lowered(options: Self.options()))
    }
}
