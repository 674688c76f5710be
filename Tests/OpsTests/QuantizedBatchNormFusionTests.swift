import XCTest
import Tensors
@testable import Ops

final class QuantizedBatchNormFusionTests: XCTestCase {
    /// quantized conv (2 channels) → batch_norm (affine) → relu, the shape of every CarSegNet block.
    /// BN: mean [1, −2], var [3, 0.25], weight [2, 0.5], bias [0.5, −1], eps 1:
    /// scale = weight / sqrt(var + eps) = [2/2, 0.5/sqrt(1.25)], shift = bias − mean · scale.
    func makeGraph(quantized: Bool = true) -> Graph {
        var g = Graph()
        let x = g.input("x", [1, 1, 2, 2])
        let w = g.addConstant(Tensor([1, -1], shape: [2, 1, 1, 1]), name: "conv.weight")
        let conv = g.add(.conv2d(Conv2dAttributes()), [x, w], shape: [1, 2, 2, 2], name: "conv")
        if quantized { g.nodes[0].quantization = NodeQuantization(dtype: .int8, inputScale: 10, weightScales: [127]) }
        let stats = [[1, -2], [3, 0.25], [2, 0.5], [0.5, -1]].enumerated().map { k, v in
            g.addConstant(Tensor(v.map(Float.init), shape: [2]), name: "bn.\(k)")
        }
        let bn = g.add(.batchNorm(eps: 1, affine: true), [conv] + stats, shape: [1, 2, 2, 2], name: "bn")
        g.outputs = [g.add(.relu, [bn], shape: [1, 2, 2, 2], name: "relu")]
        return g
    }

    func testBatchNormMovesIntoTheQuantizedConvolution() throws {
        let g = makeGraph()
        let fused = try g.optimizedForExecution()
        XCTAssertEqual(fused.opNames(), ["conv2d"])
        guard case .conv2d(let a) = fused.nodes[0].op, let affine = fused.nodes[0].quantization?.outputAffine else {
            return XCTFail("expected a quantized conv with a fused BatchNorm")
        }
        XCTAssertTrue(a.fusedReLU)
        XCTAssertEqual(fused.nodes[0].outputs, fused.outputs)
        XCTAssertEqual(fused.nodes[0].outputs.map { fused.values[$0].name }, ["relu"])
        // Hand-derived: scale0 = 2/sqrt(4) = 1, shift0 = 0.5 − 1·1 = −0.5;
        // scale1 = 0.5/sqrt(1.25) = 0.4472135955, shift1 = −1 + 2·0.4472135955 = −0.105572809.
        XCTAssertEqual(affine.scale[0], 1)
        XCTAssertEqual(affine.shift[0], -0.5)
        XCTAssertEqual(affine.scale[1], Float(0.4472135955), accuracy: 1e-7)
        XCTAssertEqual(affine.shift[1], Float(-0.105572809), accuracy: 1e-7)
    }

    func testStoredGraphKeepsTheBatchNorm() throws {
        // Offline models store optimized(): the epilogue is not an op a file can hold.
        XCTAssertEqual(try makeGraph().optimized().opNames(), ["conv2d", "batch_norm", "relu"])
    }

    func testFloatConvolutionsFoldInsteadAndOtherReadersBlockFusion() throws {
        XCTAssertNil(try makeGraph(quantized: false).optimizedForExecution().nodes.first?.quantization)
        var g = makeGraph()
        g.outputs.append(g.nodes[0].outputs[0])  // the conv output is read by the BN and is a graph output
        XCTAssertEqual(g.fusingBatchNormIntoQuantizedConvolutions().opNames(), ["conv2d", "batch_norm", "relu"])
        var h = makeGraph()
        h.values[h.nodes[0].outputs[0]].dtype = .float16  // FP16 mode rounds between conv and BN
        XCTAssertEqual(h.fusingBatchNormIntoQuantizedConvolutions().opNames(), ["conv2d", "batch_norm", "relu"])
    }
}
