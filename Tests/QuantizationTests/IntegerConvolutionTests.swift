import XCTest
import NN
import Tensors
@testable import Quantization

/// Integer convolution on the emulated MLU; every expected value is worked out by hand in the comments.
final class IntegerConvolutionTests: XCTestCase {
    /// x (1x1x3x3), absmax 1 → s_in = 127/1 = 127:
    ///   1.0 → 127, -1.0 → -127, 0.25 → 31.75 → 32, 0.5 → 63.5 → 64 (half away), 0.1 → 12.7 → 13
    ///   q_x = [[127, -127, 32], [64, 0, -64], [13, 32, -127]]
    /// w (1x1x2x2) = [[0.5, -0.25], [1.0, 0.125]], absmax 1 → s_w = 127:
    ///   q_w = [[63.5 → 64, -31.75 → -32], [127, 15.875 → 16]]
    /// acc(0,0) = 127·64 + (-127)(-32) + 64·127 + 0·16 = 8128 + 4064 + 8128 = 20320
    /// acc(0,1) = (-127)·64 + 32·(-32) + 0·127 + (-64)·16 = -8128 - 1024 - 1024 = -10176
    /// acc(1,0) = 64·64 + 0 + 13·127 + 32·16 = 4096 + 1651 + 512 = 6259
    /// acc(1,1) = 0 + (-64)(-32) + 32·127 + (-127)·16 = 2048 + 4064 - 2032 = 4080
    /// y = acc / (127·127 = 16129) + bias 0.5.
    func testTinyConvInt8() throws {
        let x = Tensor([1.0, -1.0, 0.25, 0.5, 0.0, -0.5, 0.1, 0.25, -1.0], shape: [1, 1, 3, 3])
        let w = Tensor([0.5, -0.25, 1.0, 0.125], shape: [1, 1, 2, 2])
        let y = try QuantizedCompute.conv2d(x, weight: w, bias: Tensor([0.5], shape: [1]), geometry: .init(), dtype: .int8,
                                            inputScale: 127, weightScales: [127])
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        let expected: [Double] = [20320, -10176, 6259, 4080].map { $0 / 16129 + 0.5 }
        for (a, e) in zip(y.floats(), expected) { XCTAssertEqual(Double(a), e, accuracy: 1e-6) }
    }

    /// The same conv through a calibrated MLUConv2d on the MLU device: the observer sees absmax 1 → s_in 127,
    /// the weight absmax 1 → s_w 127, so the output is the hand-derived one above.
    func testCalibratedLayerOnMLUMatchesHandValues() throws {
        MLUBackend.install()
        let conv = try Conv2d(1, 1, kernelSize: [2])
        try conv.registerParameter("weight", Tensor([0.5, -0.25, 1.0, 0.125], shape: [1, 1, 2, 2]))
        try conv.registerParameter("bias", Tensor([0.5], shape: [1]))
        var config = QConfig()
        config.firstConv = false
        let q = try quantizeDynamicMLU(conv, qconfig: config, genQuant: true, warn: { _ in })
        let x = Tensor([1.0, -1.0, 0.25, 0.5, 0.0, -0.5, 0.1, 0.25, -1.0], shape: [1, 1, 3, 3])
        let cpu = try q.forward(x)   // calibration forward: float
        // float: 1·0.5 + (-1)(-0.25) + 0.5·1 + 0·0.125 + 0.5 = 1.75
        XCTAssertEqual(Double(cpu.floats()[0]), 1.75, accuracy: 1e-6)
        let sd = try quantizedStateDict(q)
        XCTAssertEqual(sd.first { $0.key == "scale" }?.tensor.floats(), [127, 127])
        let y = try q.to(Device.mlu).forward(x.to(Device.mlu))
        XCTAssertEqual(y.device, Device.mlu)
        let expected: [Double] = [20320, -10176, 6259, 4080].map { $0 / 16129 + 0.5 }
        for (a, e) in zip(y.floats(), expected) { XCTAssertEqual(Double(a), e, accuracy: 1e-6) }
    }

    /// Inputs outside the calibrated range saturate: s_in = 127 (absmax 1), x = 3 → 381 → 127, x = -3 → -128.
    /// w = 1 → q_w = 127, s_w = 127. y = q_x·127/(127·127) = q_x/127: [1, -128/127].
    func testSaturatesOutsideCalibratedRange() throws {
        let y = try QuantizedCompute.conv2d(Tensor([3, -3], shape: [1, 1, 1, 2]), weight: Tensor([1], shape: [1, 1, 1, 1]), bias: nil,
                                            geometry: .init(), dtype: .int8, inputScale: 127, weightScales: [127])
        XCTAssertEqual(Double(y.floats()[0]), 1, accuracy: 1e-7)
        XCTAssertEqual(Double(y.floats()[1]), -128.0 / 127, accuracy: 1e-7)
    }

    /// All-zero input: absmax 0 → scale 1 (Catch), everything quantizes to 0, output = bias.
    func testAllZeroInputGivesBias() throws {
        let y = try QuantizedCompute.conv2d(Tensor([0, 0, 0, 0], shape: [1, 1, 2, 2]), weight: Tensor([0.3], shape: [1, 1, 1, 1]),
                                            bias: Tensor([-0.75], shape: [1]), geometry: .init(), dtype: .int8,
                                            inputScale: QuantParams.scale(min: 0, max: 0, dtype: .int8), weightScales: [127 / 0.3])
        XCTAssertEqual(y.floats(), [-0.75, -0.75, -0.75, -0.75])
    }

    /// Per channel: w = [0.5, 2.0] (two 1x1 filters) → s_w = [127/0.5 = 254, 127/2 = 63.5], q_w = [127, 127].
    /// x = [1, -0.5], s_in = 127 → q_x = [127, -63.5 → -64].
    /// ch0: [127·127, -64·127] / (127·254) = [0.5, -8128/32258 = -0.2519685]
    /// ch1: [16129, -8128] / (127·63.5) = [2.0, -1.0078740]
    /// Per tensor (s_w = 63.5): q_w0 = 31.75 → 32, ch0 = 127·32/(127·63.5) = 0.5039370.
    func testPerChannelWeightScales() throws {
        let x = Tensor([1, -0.5], shape: [1, 1, 1, 2])
        let w = Tensor([0.5, 2.0], shape: [2, 1, 1, 1])
        let y = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 127, weightScales: [254, 63.5])
        let expected = [0.5, -0.25196850, 2.0, -1.00787402]
        for (a, e) in zip(y.floats(), expected) { XCTAssertEqual(Double(a), e, accuracy: 1e-6) }
        let perTensor = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 127, weightScales: [63.5])
        XCTAssertEqual(Double(perTensor.floats()[0]), 0.50393701, accuracy: 1e-6)
    }

    /// 2001 channels of 127·127 = 16129 each: 2001·16129 = 32274129, odd and above 2^24, so a single float32
    /// accumulation could not hold it; the chunked path must give it exactly.
    func testInt8AccumulationIsExactBeyondFloat32() throws {
        let c = 2001
        let r = try ExactIntegerConvolution.conv2d(input: [Float](repeating: 127, count: c), inputShape: [1, c, 1, 1],
                                                   weight: [Float](repeating: 127, count: c), weightShape: [1, c, 1, 1],
                                                   geometry: .init(), dtype: .int8)
        XCTAssertEqual(r.values, [32274129])
    }

    /// int16: 600 channels of 32767·32767 = 1073676289 → 644205773400; alternating 32767 / -32768 inputs
    /// against 32767 weights: 300·32767·(32767 - 32768) = -9830100; a 3x3 kernel over 2 channels of 32767:
    /// 18·1073676289 = 19326173202.
    func testInt16AccumulationIsExact() throws {
        let c = 600
        let all = try ExactIntegerConvolution.conv2d(input: [Float](repeating: 32767, count: c), inputShape: [1, c, 1, 1],
                                                     weight: [Float](repeating: 32767, count: c), weightShape: [1, c, 1, 1],
                                                     geometry: .init(), dtype: .int16)
        XCTAssertEqual(all.values, [644205773400])
        let alternating = (0..<c).map { Float($0 % 2 == 0 ? 32767 : -32768) }
        let mixed = try ExactIntegerConvolution.conv2d(input: alternating, inputShape: [1, c, 1, 1],
                                                       weight: [Float](repeating: 32767, count: c), weightShape: [1, c, 1, 1],
                                                       geometry: .init(), dtype: .int16)
        XCTAssertEqual(mixed.values, [-9830100])
        let k = try ExactIntegerConvolution.conv2d(input: [Float](repeating: 32767, count: 18), inputShape: [1, 2, 3, 3],
                                                   weight: [Float](repeating: 32767, count: 18), weightShape: [1, 2, 3, 3],
                                                   geometry: .init(), dtype: .int16)
        XCTAssertEqual(k.values, [19326173202])
    }

    /// Padding and groups: a depthwise 3x3 with padding 1 on a 1x2x1x1 input of [2, -3] and filters of all 1
    /// sees only the centre tap: outputs [2, -3]; with large K (groups of 300 channels) the per-group chunking
    /// gives 300·5·7 = 10500 and 300·(-5)·7 = -10500.
    func testGroupsAndPadding() throws {
        let depthwise = try ExactIntegerConvolution.conv2d(input: [2, -3], inputShape: [1, 2, 1, 1], weight: [Float](repeating: 1, count: 18),
                                                           weightShape: [2, 1, 3, 3], geometry: .init(padding: [1], groups: 2), dtype: .int8)
        XCTAssertEqual(depthwise.values, [2, -3])
        let g = 300
        let input = [Float](repeating: 5, count: g) + [Float](repeating: -5, count: g)
        let grouped = try ExactIntegerConvolution.conv2d(input: input, inputShape: [1, 2 * g, 1, 1], weight: [Float](repeating: 7, count: 2 * g),
                                                         weightShape: [2, g, 1, 1], geometry: .init(groups: 2), dtype: .int16)
        XCTAssertEqual(grouped.values, [10500, -10500])
    }
}
