import XCTest
import Tensors
@testable import Ops

final class QuantizedConcatAbsorptionTests: XCTestCase {
    /// cat([a (2 channels), b (3 channels)], dim 1) → quantized conv 1×1 (5 → 1), CarSegNet's decoder pattern.
    func makeGraph(quantized: Bool = true, dim: Int = 1) -> Graph {
        var g = Graph()
        let a = g.input("a", [1, 2, 2, 2])
        let b = g.input("b", [1, 3, 2, 2])
        let cat = g.add(.cat(dim: dim), [a, b], shape: dim == 1 ? [1, 5, 2, 2] : [1, 2, 2, 5], name: "cat")
        let w = g.addConstant(Tensor([1, 2, 3, 4, 5], shape: [1, 5, 1, 1]), name: "conv.weight")
        let bias = g.addConstant(Tensor([0.5], shape: [1]), name: "conv.bias")
        g.outputs = [g.add(.conv2d(Conv2dAttributes()), [cat, w, bias], shape: [1, 1, 2, 2], name: "conv")]
        if quantized { g.nodes[1].quantization = NodeQuantization(dtype: .int8, inputScale: 10, weightScales: [25]) }
        return g
    }

    func testConvolutionTakesTheConcatenatedParts() throws {
        let g = try makeGraph().optimizedForExecution()
        XCTAssertEqual(g.opNames(), ["conv2d"])
        XCTAssertEqual(g.nodes[0].quantization?.concatenatedInputs, 2)
        XCTAssertEqual(g.nodes[0].inputs.map { g.values[$0].name }, ["a", "b", "conv.weight", "conv.bias"])
        XCTAssertTrue(g.nodes[0].quantization?.hasExecutionOnlyFusion == true)
        XCTAssertEqual(try makeGraph().optimized().opNames(), ["cat", "conv2d"], "offline models keep the cat")
    }

    func testOtherShapesAreLeftAlone() throws {
        XCTAssertEqual(makeGraph(quantized: false).absorbingConcatIntoQuantizedConvolutions().opNames(), ["cat", "conv2d"])
        XCTAssertEqual(makeGraph(dim: 3).absorbingConcatIntoQuantizedConvolutions().opNames(), ["cat", "conv2d"])
        var shared = makeGraph()
        shared.outputs.append(shared.nodes[0].outputs[0])  // the cat is also a graph output
        XCTAssertEqual(shared.absorbingConcatIntoQuantizedConvolutions().opNames(), ["cat", "conv2d"])
        var firstconv = makeGraph()
        firstconv.nodes[1].quantization?.inputMean255 = [0, 0, 0, 0, 0]
        firstconv.nodes[1].quantization?.inputStd255 = [1, 1, 1, 1, 1]
        XCTAssertEqual(firstconv.absorbingConcatIntoQuantizedConvolutions().opNames(), ["cat", "conv2d"])
    }
}
