import Foundation
import XCTest
import NN
import Ops
import Tensors
@testable import MLU

/// `TracedModule` (torch.jit.trace): fused mode against eager, re-tracing per input signature, the
/// quantized-node seam, and the guard against computations the tracer cannot see.
final class RuntimeTraceTests: XCTestCase {
    static func model() throws -> Module {
        let m = try LoweringNNTests.SegNet.make()
        let gen = Generator(seed: 7)
        for (key, t) in m.stateDict() where key.hasSuffix("running_var") || key.hasSuffix("running_mean") {
            let fresh = key.hasSuffix("running_var")
                ? try Tensor.rand(t.shape, generator: gen).binary(.add, scalar: 0.5)
                : try Tensor.randn(t.shape, generator: gen).binary(.mul, scalar: 0.2)
            t.baseAddress.copyMemory(from: fresh.baseAddress, byteCount: t.count * 4)
        }
        return m.eval()
    }

    static func traced(_ m: Module, _ x: Tensor, settings: OfflineGenerationSettings = OfflineGenerationSettings(),
                       optimize: Bool = true, quantizedLayers: [String: NodeQuantization] = [:]) throws -> TracedModule {
        try TracedModule(example: [x], namedTensors: m.stateDict(), quantizedLayers: quantizedLayers, settings: settings,
                         optimize: optimize) { [try m($0[0])] }
    }

    func testFusedModeMatchesEagerWithinTheDocumentedBound() throws {
        let m = try Self.model()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 3))
        let eager = try m(x)
        let traced = try Self.traced(m, x)
        let fused = try traced(x)
        XCTAssertEqual(fused.shape, eager.shape)
        // docs/runtime.md: |fused − eager| ≤ 1e-6 + 1e-5·|eager| per element (BN folded, ReLU fused).
        XCTAssertLessThanOrEqual(LoweringTests.closeness(fused.floats(), eager.floats()), 1)
        // Fused mode really is the optimised graph: no batch_norm left, ReLUs inside the convolutions.
        XCTAssertFalse(traced.optimizedGraph.nodes.contains { if case .batchNorm = $0.op { return true } else { return false } })
        XCTAssertTrue(traced.graph.nodes.contains { if case .batchNorm = $0.op { return true } else { return false } })
    }

    func testUnoptimisedTraceIsBitIdenticalToEager() throws {
        let m = try Self.model()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 4))
        let traced = try Self.traced(m, x, optimize: false)
        XCTAssertEqual(try traced(x).floats(), try m(x).floats())
    }

    func testANewBatchIsTracedAgain() throws {
        let m = try Self.model()
        let x1 = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 5))
        let x2 = try Tensor.randn([2, 3, 16, 16], generator: Generator(seed: 6))
        let traced = try Self.traced(m, x1)
        // SegNet returns sigmoid(logit)[0, 0]: the first image of the batch.
        let y2 = try traced(x2)
        let first = try TensorOps.index(x2, [.range(0, 1, nil)]).clonedContiguous()
        XCTAssertLessThanOrEqual(LoweringTests.closeness(y2.floats(), try m(first).floats()), 1)
        XCTAssertEqual(traced.graph.inputs.map { traced.graph.values[$0].shape }, [[1, 3, 16, 16]])
    }

    func testQuantizedNodesNeedTheRegisteredKernel() throws {
        let m = try Self.model()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 8))
        let q = NodeQuantization(dtype: .int8, inputScale: 20, weightScales: [50])
        let saved = GraphRuntime.quantizedKernel
        defer { GraphRuntime.quantizedKernel = saved }
        GraphRuntime.quantizedKernel = nil
        let traced = try Self.traced(m, x, quantizedLayers: ["head": q])
        XCTAssertEqual(traced.graph.nodes.filter { $0.quantization != nil }.map(\.name), ["head"])
        XCTAssertThrowsError(try traced(x)) { error in
            guard case GraphError.missingQuantizedKernel(let node) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(node, "head")
        }
        // A registered kernel is used for exactly the quantized node: one that computes the float conv
        // reproduces the eager output; the count shows it ran once.
        final class FloatKernel: QuantizedNodeKernel {
            var calls = 0
            func execute(_ node: Node, inputs: [Tensor]) throws -> [Tensor] {
                calls += 1
                return try Dispatcher.shared.run(node.op, inputs)
            }
        }
        let kernel = FloatKernel()
        GraphRuntime.quantizedKernel = kernel
        let y = try traced(x)
        XCTAssertEqual(kernel.calls, 1)
        XCTAssertLessThanOrEqual(LoweringTests.closeness(y.floats(), try m(x).floats()), 1)
    }

    func testAnMLUTensorNoTracedOpProducedIsRejected() throws {
        let dispatcher = Dispatcher()
        dispatcher.register(mlu: CPUBackend())
        var x = try Tensor.randn([1, 2, 4, 4], generator: Generator(seed: 9))
        x.device = .mlu
        XCTAssertThrowsError(try TracedModule(example: [x], dispatcher: dispatcher) { inputs in
            // A "layer" that computes outside the dispatcher, as an integer kernel called directly would.
            var hidden = inputs[0].clonedContiguous()
            hidden.device = .mlu
            return [try dispatcher.run1(.relu, [hidden])]
        }) { error in
            guard case TraceRuntimeError.untracedComputation(let node, _, let shape) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(node, "relu_0")
            XCTAssertEqual(shape, [1, 2, 4, 4])
        }
    }

    /// A layer that computes outside the dispatcher (as the quantizer's integer layers do) and records
    /// itself through a hook, the way `GraphRuntime.tracingInstaller` is meant to be used.
    final class DirectScale: Module {
        var hook: ((Tensor, Tensor, Tensor) -> Void)?
        override init() {
            super.init()
            try? registerParameter("weight", Tensor([3], shape: [1]))
        }
        override func forward(_ x: Tensor) throws -> Tensor {
            let w = try requireParameter("weight")
            let k = w.floats()[0]
            var y = Tensor(x.floats().map { $0 * k }, shape: x.shape)
            y.device = x.device
            hook?(x, w, y)
            return y
        }
    }

    func testLayersOutsideTheDispatcherRecordThemselvesThroughTheInstaller() throws {
        let dispatcher = Dispatcher()
        dispatcher.register(mlu: CPUBackend())
        let layer = DirectScale()
        var x = try Tensor.randn([1, 2, 4, 4], generator: Generator(seed: 21))
        x.device = .mlu
        let forward: TracedModule.Forward = { [try dispatcher.run1(.relu, [try layer($0[0])])] }
        let saved = GraphRuntime.tracingInstaller
        defer { GraphRuntime.tracingInstaller = saved }
        GraphRuntime.tracingInstaller = nil
        XCTAssertThrowsError(try TracedModule(example: [x], namedTensors: [("direct.weight", try layer.requireParameter("weight"))],
                                              module: layer, dispatcher: dispatcher, forward: forward))
        GraphRuntime.tracingInstaller = { module, tracer in
            guard let d = module as? DirectScale else { return {} }
            d.hook = { x, w, y in tracer.record(.mul, inputs: [x, w], outputs: [y]) }
            return { d.hook = nil }
        }
        let traced = try TracedModule(example: [x], namedTensors: [("direct.weight", try layer.requireParameter("weight"))],
                                      module: layer, dispatcher: dispatcher, forward: forward)
        XCTAssertNil(layer.hook, "the installation is undone after the trace")
        XCTAssertEqual(traced.graph.nodes.map(\.name), ["direct", "relu_0"])
        var x2 = try Tensor.randn([1, 2, 4, 4], generator: Generator(seed: 22))
        x2.device = .mlu
        // relu(3·x), by hand.
        XCTAssertEqual(try traced(x2).floats(), x2.floats().map { max(0, 3 * $0) })
    }
}
