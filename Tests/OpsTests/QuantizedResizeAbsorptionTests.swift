import XCTest
import Tensors
@testable import Ops

final class QuantizedResizeAbsorptionTests: XCTestCase {
    private let upsample = InterpolateAttributes(scaleFactor: [2], mode: .bilinear, alignCorners: false)

    /// cat([bilinear 2x upsample of a (2 channels), b (3 channels)], dim 1) → quantized 1×1 conv: CarSegNet's decoder.
    func makeGraph(mode: InterpolationMode = .bilinear, dtype: DType = .float32) -> Graph {
        var g = Graph()
        let a = g.input("a", [1, 2, 2, 2], dtype: dtype)
        let b = g.input("b", [1, 3, 4, 4], dtype: dtype)
        var attributes = upsample
        attributes.mode = mode
        if mode == .nearest { attributes.alignCorners = nil }
        let up = g.add(.interpolate(attributes), [a], shape: [1, 2, 4, 4], name: "up", dtype: dtype)
        let cat = g.add(.cat(dim: 1), [up, b], shape: [1, 5, 4, 4], name: "cat", dtype: dtype)
        let w = g.addConstant(Tensor([1, 2, 3, 4, 5], shape: [1, 5, 1, 1]), name: "conv.weight")
        let bias = g.addConstant(Tensor([0.5], shape: [1]), name: "conv.bias")
        g.outputs = [g.add(.conv2d(Conv2dAttributes()), [cat, w, bias], shape: [1, 1, 4, 4], name: "conv", dtype: dtype)]
        g.nodes[2].quantization = NodeQuantization(dtype: .int8, inputScale: 10, weightScales: [25])
        return g
    }

    func testConvolutionResizesItsPartItself() throws {
        let g = try makeGraph().optimizedForExecution()
        XCTAssertEqual(g.opNames(), ["conv2d"])
        let q = try XCTUnwrap(g.nodes[0].quantization)
        XCTAssertEqual(q.concatenatedInputs, 2)
        XCTAssertEqual(q.resizedInputs, [upsample, nil])
        XCTAssertEqual(g.nodes[0].inputs.map { g.values[$0].name }, ["a", "b", "conv.weight", "conv.bias"])
        XCTAssertTrue(q.hasExecutionOnlyFusion)
        XCTAssertEqual(try makeGraph().optimized().opNames(), ["interpolate", "cat", "conv2d"], "offline models keep both")
    }

    func testOneInputConvolutionAndBothPartsResized() throws {
        var g = Graph()
        let a = g.input("a", [1, 2, 2, 2])
        let up = g.add(.interpolate(upsample), [a], shape: [1, 2, 4, 4], name: "up")
        let w = g.addConstant(Tensor([1, 2], shape: [1, 2, 1, 1]), name: "conv.weight")
        g.outputs = [g.add(.conv2d(Conv2dAttributes()), [up, w], shape: [1, 1, 4, 4], name: "conv")]
        g.nodes[1].quantization = NodeQuantization(dtype: .int16, inputScale: 10, weightScales: [25])
        let one = g.absorbingResizeIntoQuantizedConvolutions()
        XCTAssertEqual(one.opNames(), ["conv2d"])
        XCTAssertEqual(one.nodes[0].quantization?.resizedInputs, [upsample])

        var two = Graph()
        let x = two.input("x", [1, 2, 2, 2]), y = two.input("y", [1, 3, 2, 2])
        let ux = two.add(.interpolate(upsample), [x], shape: [1, 2, 4, 4], name: "ux")
        let uy = two.add(.interpolate(upsample), [y], shape: [1, 3, 4, 4], name: "uy")
        let cat = two.add(.cat(dim: 1), [ux, uy], shape: [1, 5, 4, 4], name: "cat")
        let w5 = two.addConstant(Tensor([1, 2, 3, 4, 5], shape: [1, 5, 1, 1]), name: "conv.weight")
        two.outputs = [two.add(.conv2d(Conv2dAttributes()), [cat, w5], shape: [1, 1, 4, 4], name: "conv")]
        two.nodes[3].quantization = NodeQuantization(dtype: .int8, inputScale: 10, weightScales: [25])
        let both = try two.optimizedForExecution()
        XCTAssertEqual(both.opNames(), ["conv2d"])
        XCTAssertEqual(both.nodes[0].quantization?.resizedInputs, [upsample, upsample])
        XCTAssertEqual(both.nodes[0].inputs.map { both.values[$0].name }, ["x", "y", "conv.weight"])
    }

    func testOtherShapesAreLeftAlone() throws {
        XCTAssertEqual(try makeGraph(mode: .nearest).optimizedForExecution().opNames(), ["interpolate", "conv2d"])
        XCTAssertEqual(try makeGraph(dtype: .float16).optimizedForExecution().opNames(), ["interpolate", "conv2d"])
        var shared = makeGraph()
        shared.outputs.append(shared.nodes[0].outputs[0])  // the upsampled tensor is also a graph output
        XCTAssertEqual(try shared.optimizedForExecution().opNames(), ["interpolate", "conv2d"])
        var float = makeGraph()
        float.nodes[2].quantization = nil
        XCTAssertEqual(float.absorbingConcatIntoQuantizedConvolutions().absorbingResizeIntoQuantizedConvolutions().opNames(),
                       ["interpolate", "cat", "conv2d"])
    }
}
