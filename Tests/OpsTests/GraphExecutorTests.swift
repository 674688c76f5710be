import XCTest
import Tensors
@testable import Ops

/// Fused and unfused execution against eager execution on a CarSegNet-shaped network.
///
/// Tolerance: the unoptimised graph runs the same kernels on the same values as eager, so it must be
/// bit-identical. The optimised graph folds BN into the weights (one extra float rounding of w·s and of the
/// bias) and lets oneDNN apply ReLU as a post-op, so it agrees to `|a − b| ≤ 1e-6 + 1e-5·|b|` in FP32.
final class GraphExecutorTests: XCTestCase {
    func testUnoptimisedGraphIsBitIdenticalToEager() throws {
        let net = try MiniSegNet()
        let example = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 3))
        let g = try net.trace(example)
        let other = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 4))
        let eager = try net.forward(other)
        let replay = try GraphExecutor(graph: g).run([other])[0]
        XCTAssertEqual(replay.shape, [16, 16])
        XCTAssertEqual(replay.floats(), eager.floats())
    }

    func testOptimisedGraphMatchesEager() throws {
        let net = try MiniSegNet()
        let example = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 3))
        let g = try net.trace(example)
        let opt = try g.optimized()
        let names = opt.nodes.map(\.op.name)
        XCTAssertFalse(names.contains("batch_norm"))
        XCTAssertFalse(names.contains("relu"))
        XCTAssertEqual(names.filter { $0 == "conv2d" }.count, 4)
        let fused = opt.nodes.filter { if case .conv2d(let a) = $0.op { return a.fusedReLU } else { return false } }
        XCTAssertEqual(fused.count, 3, "every Conv-BN-ReLU block fuses; the head has no ReLU")
        XCTAssertEqual(opt.constants.count, 3 * 2 + 2, "folded weights and biases plus the head's two")
        let plan = try XCTUnwrap(opt.memoryPlan)
        XCTAssertLessThan(plan.plannedBytes, plan.unplannedBytes)
        for seed in [UInt64(4), 5] {
            let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: seed))
            let eager = try net.forward(x).floats()
            let fast = try GraphExecutor(graph: opt).run([x])[0].floats()
            XCTAssertLessThanOrEqual(closeness(fast, eager), 1, "seed \(seed)")
            XCTAssertGreaterThan(Set(eager).count, 100, "the outputs are not a constant map")
        }
    }

    func testWrongInputIsAnError() throws {
        let g = try MiniSegNet().trace(try Tensor.randn([1, 3, 8, 8]))
        XCTAssertThrowsError(try GraphExecutor(graph: g).run([try Tensor.zeros([1, 3, 8, 9])])) { error in
            XCTAssertEqual("\(error)", "graph executor: input #0 is float32 [1, 3, 8, 9]; the graph expects float32 [1, 3, 8, 8]")
        }
        XCTAssertThrowsError(try GraphExecutor(graph: g).run([]))
    }

    func testQuantizedNodeWithoutKernelIsAnError() throws {
        var g = Graph()
        let x = g.input("x", [1, 1, 1, 1])
        let w = g.addConstant(Tensor([1], shape: [1, 1, 1, 1]), name: "w")
        g.outputs = [g.add(.conv2d(Conv2dAttributes()), [x, w], shape: [1, 1, 1, 1], name: "qconv")]
        g.nodes[0].quantization = NodeQuantization(dtype: .int8, inputScale: 10, weightScales: [127])
        XCTAssertThrowsError(try GraphExecutor(graph: g).run([Tensor([1], shape: [1, 1, 1, 1])])) { error in
            XCTAssertEqual(error as? GraphError, .missingQuantizedKernel(node: "qconv"))
        }
    }

    func testInvalidGraphIsRejected() {
        var g = Graph()
        let x = g.input("x", [1])
        let a = g.addValue(name: "a", shape: [1], dtype: .float32)
        g.nodes = [Node(op: .neg, inputs: [a], outputs: [x], name: "bad")]
        g.outputs = [x]
        XCTAssertThrowsError(try GraphExecutor(graph: g))
    }
}

final class GraphExecutorLivenessTests: XCTestCase {
    /// x is read by the first and the last node; with a memory plan attached it must stay available.
    /// x = [1, −2]: a = −x = [−1, 2]; b = relu(a) = [0, 2]; out = b + x = [1, 0].
    func testInputReadTwiceSurvivesReleaseWithAPlan() throws {
        var g = Graph()
        let x = g.input("x", [2])
        let a = g.add(.neg, [x], shape: [2], name: "a")
        let b = g.add(.relu, [a], shape: [2], name: "b")
        g.outputs = [g.add(.add, [b, x], shape: [2], name: "out")]
        let planned = g.planningMemory()
        XCTAssertNotNil(planned.memoryPlan)
        XCTAssertEqual(try GraphExecutor(graph: planned).run([Tensor([1, -2], shape: [2])])[0].floats(), [1, 0])
    }
}
