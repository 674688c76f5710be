import XCTest
import Tensors
@testable import Ops

final class TracerTests: XCTestCase {
    func testRecordsOpsInputsConstantsAndShapes() throws {
        let x = Tensor([1, -2, 3, -4], shape: [2, 2])
        let w = Tensor([10, 20], shape: [2])
        let g = try Tracer.trace(inputs: [x], inputNames: ["x"]) { inputs in
            let a = try TensorOps.add(inputs[0], w)
            let r = try TensorOps.relu(a)
            return [try TensorOps.reshape(r, [4])]
        }
        XCTAssertEqual(g.nodes.map(\.op.name), ["add", "relu", "reshape"])
        XCTAssertEqual(g.inputs.count, 1)
        XCTAssertEqual(g.values[g.inputs[0]].name, "x")
        XCTAssertEqual(g.constants.count, 1)
        let cid = try XCTUnwrap(g.constants.keys.first)
        XCTAssertEqual(g.constants[cid]?.floats(), [10, 20])
        XCTAssertEqual(g.nodes[0].inputs, [g.inputs[0], cid])
        XCTAssertEqual(g.nodes[1].inputs, g.nodes[0].outputs)
        XCTAssertEqual(g.values[g.outputs[0]].shape, [4])
        XCTAssertEqual(g.nodes.map(\.name), ["add_0", "relu_0", "reshape_0"])
        // Replaying on another input gives relu(x + w) = [0, 18, 13, 16].
        let y = try GraphExecutor(graph: g).run([Tensor([-11, -2, 3, -4], shape: [2, 2])])[0]
        XCTAssertEqual(y.floats(), [0, 18, 13, 16])
    }

    func testScopesNameNodesAndConstants() throws {
        let net = try MiniSegNet()
        let g = try net.traceWithScopes(try Tensor.randn([1, 3, 8, 8], generator: Generator(seed: 1)))
        let names = g.nodes.map(\.name)
        XCTAssertEqual(Array(names.prefix(3)), ["enc1.0", "enc1.1", "enc1.2"])
        XCTAssertTrue(names.contains("head"))
        XCTAssertTrue(names.contains("interpolate_0"))
        XCTAssertTrue(names.contains("interpolate_1"))
        XCTAssertTrue(g.values.map(\.name).contains("enc1.0.weight"))
        XCTAssertTrue(g.values.map(\.name).contains("enc1.1.running_var"))
        XCTAssertTrue(g.values.map(\.name).contains("head.bias"))
    }

    func testSecondOpInOneScopeGetsACounter() throws {
        let tracer = Tracer()
        let x = Tensor([1, 2], shape: [2])
        try tracer.registerInput(x)
        let out = try Dispatcher.shared.recording(with: tracer) {
            try tracer.withScope("block") { try TensorOps.relu(try TensorOps.neg(x)) }
        }
        XCTAssertEqual(try tracer.finish(outputs: [out]).nodes.map(\.name), ["block", "block.relu_0"])
    }

    func testTraceScopeReachesActiveTracersOnly() throws {
        XCTAssertFalse(TraceScope.isTracing)
        let x = Tensor([1, -2], shape: [2])
        let g = try Tracer.trace(inputs: [x]) { i in
            XCTAssertTrue(TraceScope.isTracing)
            return [try TraceScope.withScope("enc1") {
                try TraceScope.withScope("0") { try TensorOps.neg(i[0]) }
            }]
        }
        XCTAssertEqual(g.nodes.map(\.name), ["enc1.0"])
        XCTAssertFalse(TraceScope.isTracing, "a finished tracer no longer listens")
        TraceScope.push("ignored")
        TraceScope.pop()
    }

    /// A device move re-tags the same storage: the moved input is still the input, not a constant; the
    /// executor runs on the inputs' device through the given dispatcher and moves constants there.
    /// x = [1, −2], w = [3, 4]: relu(x·w) = [3, 0].
    func testDeviceMoveKeepsIdentityAndExecutorUsesTheDispatcher() throws {
        let dispatcher = Dispatcher()
        dispatcher.register(mlu: CPUBackend())
        let x = Tensor([1, -2], shape: [2]), w = Tensor([3, 4], shape: [2])
        let g = try Tracer.trace(inputs: [x], dispatcher: dispatcher) { i in
            let moved = i[0].to(Device.mlu)
            return [try dispatcher.run1(.relu, [try dispatcher.run1(.mul, [moved, w.to(Device.mlu)])])]
        }
        XCTAssertEqual(g.nodes.map(\.op.name), ["mul", "relu"])
        XCTAssertEqual(g.nodes[0].inputs[0], g.inputs[0])
        let out = try GraphExecutor(graph: g, dispatcher: dispatcher).run([x.to(Device.mlu)])[0]
        XCTAssertEqual(out.device, Device.mlu)
        XCTAssertEqual(out.floats(), [3, 0])
        XCTAssertThrowsError(try GraphExecutor(graph: g, dispatcher: Dispatcher()).run([x.to(Device.mlu)]), "a dispatcher without an MLU backend refuses MLU tensors")
    }

    func testSharedWeightBecomesOneConstant() throws {
        let w = Tensor([2, 3], shape: [2])
        let g = try Tracer.trace(inputs: [Tensor([1, 1], shape: [2])]) { i in
            [try TensorOps.mul(try TensorOps.mul(i[0], w), w)]
        }
        XCTAssertEqual(g.constants.count, 1)
        XCTAssertEqual(g.nodes[0].inputs[1], g.nodes[1].inputs[1])
    }

    func testConstantsAreSnapshots() throws {
        let w = Tensor([2, 3], shape: [2])
        let g = try Tracer.trace(inputs: [Tensor([1, 1], shape: [2])]) { i in [try TensorOps.mul(i[0], w)] }
        w.storage.bytes.storeBytes(of: Float(100), as: Float.self)
        XCTAssertEqual(try GraphExecutor(graph: g).run([Tensor([1, 1], shape: [2])])[0].floats(), [2, 3])
    }

    func testUntracedOutputIsAnError() {
        let stray = Tensor([5], shape: [1])
        XCTAssertThrowsError(try Tracer.trace(inputs: [Tensor([1], shape: [1])]) { i in
            _ = try TensorOps.neg(i[0])
            return [stray]
        }) { error in
            XCTAssertTrue("\(error)".contains("output #0"), "\(error)")
        }
    }

    func testInputRegisteredAfterRecordingIsAnError() throws {
        let tracer = Tracer()
        let x = Tensor([1], shape: [1])
        try tracer.registerInput(x)
        _ = try Dispatcher.shared.recording(with: tracer) { try TensorOps.neg(x) }
        XCTAssertThrowsError(try tracer.registerInput(x))
    }

    func testOpReturningItsInputRebindsToTheNewValue() throws {
        let g = try Tracer.trace(inputs: [Tensor([1, -1], shape: [2])]) { i in
            let d = try TensorOps.dropout(i[0], p: 0.5, training: false)
            return [try TensorOps.relu(d)]
        }
        XCTAssertEqual(g.nodes.map(\.op.name), ["dropout", "relu"])
        XCTAssertEqual(g.nodes[1].inputs, g.nodes[0].outputs)
    }
}
