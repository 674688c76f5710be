import XCTest
import NN
import Ops
import Tensors
@testable import Quantization

/// Linear and Conv1d on the emulated MLU, and the FP16 rule of the MLU backend; hand-derived values.
final class MLULayerTests: XCTestCase {
    override func setUp() { MLUBackend.install() }

    private func calibrated(_ layer: Module, on x: Tensor) throws -> Module {
        var c = QConfig()
        c.firstConv = false
        let q = try quantizeDynamicMLU(layer, qconfig: c, genQuant: true, warn: { _ in })
        _ = try q.forward(x)
        try prepareQuantizedStateDict(q)
        return q.to(Device.mlu)
    }

    /// x = [1, -0.5] (absmax 1 → s_in 127 → q_x [127, -63.5 → -64]); W = [[0.5, -1]] (s_w 127 → q_w [64, -127]);
    /// acc = 127·64 + (-64)(-127) = 8128 + 8128 = 16256; y = 16256/16129 + 0.25 = 1.2578740.
    /// A [2, 1, 2] input with rows x and -x gives [1.2578740, -16256/16129 + 0.25 = -0.7578740].
    func testLinear() throws {
        let linear = try Linear(2, 1)
        try linear.registerParameter("weight", Tensor([0.5, -1], shape: [1, 2]))
        try linear.registerParameter("bias", Tensor([0.25], shape: [1]))
        let x = Tensor([1, -0.5, -1, 0.5], shape: [2, 1, 2])
        let q = try calibrated(linear, on: x)
        XCTAssertTrue(q is MLULinear)
        let y = try q.forward(x.to(Device.mlu))
        XCTAssertEqual(y.shape, [2, 1, 1])
        XCTAssertEqual(Double(y.floats()[0]), 1.2578740, accuracy: 1e-6)
        XCTAssertEqual(Double(y.floats()[1]), -0.7578740, accuracy: 1e-6)
    }

    /// x = [1, 0.5, -1] (s_in 127 → [127, 63.5 → 64, -127]); w = [1, 0.25] (s_w 127 → [127, 31.75 → 32]), no bias.
    /// acc0 = 127·127 + 64·32 = 18177 → 18177/16129 = 1.1269762; acc1 = 64·127 - 127·32 = 4064 → 0.2519685.
    func testConv1d() throws {
        let conv = try Conv1d(1, 1, kernelSize: 2, bias: false)
        try conv.registerParameter("weight", Tensor([1, 0.25], shape: [1, 1, 2]))
        let x = Tensor([1, 0.5, -1], shape: [1, 1, 3])
        let q = try calibrated(conv, on: x)
        XCTAssertTrue(q is MLUConv1d)
        let y = try q.forward(x.to(Device.mlu))
        XCTAssertEqual(y.shape, [1, 1, 2])
        XCTAssertEqual(Double(y.floats()[0]), 1.1269762, accuracy: 1e-6)
        XCTAssertEqual(Double(y.floats()[1]), 0.2519685, accuracy: 1e-6)
    }

    /// FP16 mode: 1 + 0.0004 is 1.0004 in FP32 but rounds to 1.0 in FP16 (the spacing at 1 is 2^-10 ≈ 0.000977,
    /// and 0.0004 < half of it). FP32 on the MLU keeps 1.0004 (float32 of 1 + float32(0.0004)).
    func testBackendRoundsResultsToHalfInHalfMode() throws {
        let a = Tensor([1], shape: [1]), b = Tensor([0.0004], shape: [1])
        let full = try TensorOps.add(a.to(Device.mlu), b.to(Device.mlu))
        XCTAssertEqual(full.dtype, .float32)
        XCTAssertEqual(full.floats(), [Float(1) + Float(0.0004)])
        let half = try TensorOps.add(a.to(.float16).to(Device.mlu), b.to(.float16).to(Device.mlu))
        XCTAssertEqual(half.dtype, .float16)
        XCTAssertEqual(half.device, Device.mlu)
        XCTAssertEqual(half.to(.float32).floats(), [1])
    }

    /// `.half()` converts the scale buffers, but a loaded layer keeps its float32 scales:
    /// s_in = 127/0.7 = 181.42857 (FP16 would be 181.375), s_w = 127/0.3 = 423.3333 (FP16 423.25).
    func testHalfKeepsFloat32Scales() throws {
        let conv = try Conv2d(1, 1, kernelSize: [1], bias: false)
        try conv.registerParameter("weight", Tensor([0.3], shape: [1, 1, 1, 1]))
        let q = try calibrated(conv, on: Tensor([0.7], shape: [1, 1, 1, 1]))
        var c = QConfig()
        c.firstConv = false
        let loaded = try quantizeDynamicMLU(conv, qconfig: c, warn: { _ in })
        try loadQuantizedStateDict(loaded, try quantizedStateDict(q))
        let layer = try XCTUnwrap(loaded as? MLUConv2d)
        XCTAssertEqual(layer.quantization.inputScale, Float(127) / Float(0.7))
        XCTAssertEqual(layer.quantization.weightScales, [Float(127) / Float(0.3)])
        loaded.to(Device.mlu).half()
        XCTAssertEqual(loaded.buffer("scale")?.dtype, .float16)
        _ = try loaded.forward(Tensor([0.7], shape: [1, 1, 1, 1]).to(.float16).to(Device.mlu))
        XCTAssertEqual(layer.quantization.inputScale, Float(127) / Float(0.7))
        XCTAssertEqual(layer.quantization.weightScales, [Float(127) / Float(0.3)])
    }
}
