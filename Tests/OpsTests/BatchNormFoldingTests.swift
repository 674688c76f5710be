import XCTest
import Tensors
@testable import Ops

final class BatchNormFoldingTests: XCTestCase {
    /// conv 1×1 (1 → 2 channels, no bias) → batch_norm(eps 1). Hand-derived: var + eps = [4, 1] so
    /// s = gamma / sqrt(var + eps) = [4/2, 3/1] = [2, 3]; w' = [2·2, −1·3] = [4, −3];
    /// b' = (0 − mean)·s + beta = [−1·2 + 0.5, −0.5·3 − 1] = [−1.5, −2.5].
    func makeGraph() -> (Graph, bn: Int) {
        var g = Graph()
        let x = g.input("x", [1, 1, 1, 2])
        let w = g.addConstant(Tensor([2, -1], shape: [2, 1, 1, 1]), name: "conv.weight")
        let conv = g.add(.conv2d(Conv2dAttributes()), [x, w], shape: [1, 2, 1, 2], name: "conv")
        let mean = g.addConstant(Tensor([1, 0.5], shape: [2]), name: "bn.running_mean")
        let variance = g.addConstant(Tensor([3, 0], shape: [2]), name: "bn.running_var")
        let gamma = g.addConstant(Tensor([4, 3], shape: [2]), name: "bn.weight")
        let beta = g.addConstant(Tensor([0.5, -1], shape: [2]), name: "bn.bias")
        let bn = g.add(.batchNorm(eps: 1, affine: true), [conv, mean, variance, gamma, beta], shape: [1, 2, 1, 2], name: "bn")
        g.outputs = [bn]
        return (g, bn)
    }

    func testFoldsIntoConvolutionWithHandDerivedWeights() throws {
        let (g, bn) = makeGraph()
        let folded = try g.foldingBatchNorm()
        try folded.validate()
        XCTAssertEqual(folded.opNames(), ["conv2d"])
        let conv = folded.nodes[0]
        XCTAssertEqual(conv.outputs, [bn])
        XCTAssertEqual(conv.inputs.count, 3)
        XCTAssertEqual(folded.constants[conv.inputs[1]]?.floats(), [4, -3])
        XCTAssertEqual(folded.constants[conv.inputs[1]]?.shape, [2, 1, 1, 1])
        XCTAssertEqual(folded.constants[conv.inputs[2]]?.floats(), [-1.5, -2.5])
        XCTAssertEqual(g.nodes.count, 2, "the pass must not change its input graph")
    }

    func testFoldedGraphComputesHandDerivedNumbers() throws {
        // x = [1, 3]: channel 0 = 4x − 1.5 = [2.5, 10.5]; channel 1 = −3x − 2.5 = [−5.5, −11.5].
        let (g, _) = makeGraph()
        let x = Tensor([1, 3], shape: [1, 1, 1, 2])
        let expected: [Float] = [2.5, 10.5, -5.5, -11.5]
        XCTAssertLessThanOrEqual(closeness(try GraphExecutor(graph: g).run([x])[0].floats(), expected), 1)
        let folded = try g.foldingBatchNorm().eliminatingDeadCode()
        XCTAssertEqual(folded.constants.count, 2, "old weight and BN statistics are dead after folding")
        XCTAssertLessThanOrEqual(closeness(try GraphExecutor(graph: folded).run([x])[0].floats(), expected), 1)
    }

    func testExistingBiasIsFolded() throws {
        var (g, _) = makeGraph()
        let b = g.addConstant(Tensor([1, 1], shape: [2]), name: "conv.bias")
        g.nodes[0].inputs.append(b)
        // b' = (1 − mean)·s + beta = [0·2 + 0.5, 0.5·3 − 1] = [0.5, 0.5]
        let folded = try g.foldingBatchNorm()
        XCTAssertEqual(folded.constants[folded.nodes[0].inputs[2]]?.floats(), [0.5, 0.5])
    }

    func testConvolutionReadTwiceIsNotFolded() throws {
        var (g, bn) = makeGraph()
        let convOut = g.nodes[0].outputs[0]
        let sum = g.add(.add, [bn, convOut], shape: [1, 2, 1, 2], name: "sum")
        g.outputs = [sum]
        XCTAssertEqual(try g.foldingBatchNorm().opNames(), ["conv2d", "batch_norm", "add"])
    }

    func testMismatchedChannelsIsAnError() throws {
        var (g, _) = makeGraph()
        g.constants[g.nodes[1].inputs[1]] = Tensor([1, 2, 3], shape: [3])
        g.values[g.nodes[1].inputs[1]].shape = [3]
        XCTAssertThrowsError(try g.foldingBatchNorm()) { error in
            XCTAssertTrue("\(error)".contains("bn"), "\(error)")
        }
    }
}
