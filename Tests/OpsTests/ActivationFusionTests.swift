import XCTest
import Tensors
@testable import Ops

final class ActivationFusionTests: XCTestCase {
    /// conv 1×1 with weight [1, −1] (1 → 2 channels) and bias [0, 1], then relu.
    func makeGraph() -> Graph {
        var g = Graph()
        let x = g.input("x", [1, 1, 1, 2])
        let w = g.addConstant(Tensor([1, -1], shape: [2, 1, 1, 1]), name: "w")
        let b = g.addConstant(Tensor([0, 1], shape: [2]), name: "b")
        let conv = g.add(.conv2d(Conv2dAttributes()), [x, w, b], shape: [1, 2, 1, 2], name: "conv")
        g.outputs = [g.add(.relu, [conv], shape: [1, 2, 1, 2], name: "relu")]
        return g
    }

    func testConvReluBecomesFusedConv() throws {
        let g = makeGraph()
        let fused = g.fusingActivations()
        try fused.validate()
        XCTAssertEqual(fused.opNames(), ["conv2d"])
        guard case .conv2d(let a) = fused.nodes[0].op else { return XCTFail("not a conv") }
        XCTAssertTrue(a.fusedReLU)
        XCTAssertEqual(fused.nodes[0].outputs, g.outputs)
        // x = [−2, 3]: channel 0 = relu(x) = [0, 3]; channel 1 = relu(1 − x) = [3, 0].
        let out = try GraphExecutor(graph: fused).run([Tensor([-2, 3], shape: [1, 1, 1, 2])])[0]
        XCTAssertEqual(out.floats(), [0, 3, 3, 0])
    }

    func testConvOutputThatIsAlsoAGraphOutputStaysUnfused() throws {
        var g = makeGraph()
        g.outputs.append(g.nodes[0].outputs[0])
        XCTAssertEqual(g.fusingActivations().opNames(), ["conv2d", "relu"])
    }

    func testReluAfterNonConvIsUntouched() throws {
        var g = Graph()
        let x = g.input("x", [2])
        let y = g.add(.neg, [x], shape: [2], name: "neg")
        g.outputs = [g.add(.relu, [y], shape: [2], name: "relu")]
        XCTAssertEqual(g.fusingActivations().opNames(), ["neg", "relu"])
    }
}
