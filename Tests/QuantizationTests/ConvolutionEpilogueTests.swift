import XCTest
import Ops
import Tensors
@testable import Quantization

/// The fused epilogue (BatchNorm affine + ReLU inside the quantized convolution's dequantization pass) against
/// the separate kernels it replaces: `Tensor.batchNorm` and the ReLU kernel after the plain quantized
/// convolution. Fused mode equals layer-by-layer mode only if every bit agrees.
final class ConvolutionEpilogueTests: XCTestCase {
    private func bits(_ t: Tensor) -> [UInt32] { t.floats().map(\.bitPattern) }

    private func separate(_ y: Tensor, _ mean: Tensor, _ variance: Tensor, _ gamma: Tensor, _ beta: Tensor, relu: Bool) throws -> Tensor {
        let bn = try y.batchNorm(mean: mean, variance: variance, weight: gamma, bias: beta, eps: 1e-5)
        return relu ? try bn.unary(.relu) : bn
    }

    func testFusedBatchNormAndReluEqualTheSeparateKernels() throws {
        var values = SeededValues(seed: 42)
        func next() -> Float { values.next() }
        for (dtype, channelsLast, groups) in [(QuantDType.int8, false, 1), (.int8, true, 1), (.int16, false, 1), (.int16, true, 2), (.int8, false, 4)] {
            let (c, o, h, w) = (8, 12, 9, 11)
            var x = Tensor((0..<(c * h * w)).map { _ in next() * 3 }, shape: [1, c, h, w])
            if channelsLast { x = try x.contiguous(memoryFormat: .channelsLast) }
            let weight = Tensor((0..<(o * c / groups * 9)).map { _ in next() }, shape: [o, c / groups, 3, 3])
            let bias = Tensor((0..<o).map { _ in next() }, shape: [o])
            let mean = Tensor((0..<o).map { _ in next() }, shape: [o])
            let variance = Tensor((0..<o).map { _ in next() + 1.5 }, shape: [o])
            let gamma = Tensor((0..<o).map { _ in next() * 2 }, shape: [o])
            let beta = Tensor((0..<o).map { _ in next() }, shape: [o])
            let (scale, shift) = Tensor.batchNormAffine(mean: mean, variance: variance, weight: gamma, bias: beta, eps: 1e-5)
            let geometry = ExactIntegerConvolution.Geometry(stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: groups)
            let maxCode: Float = dtype == .int8 ? 127 : 32767
            let args = (inputScale: maxCode / 3, weightScales: [maxCode])
            let plain = try QuantizedCompute.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                    inputScale: args.inputScale, weightScales: args.weightScales)
            for relu in [false, true] {
                let epilogue = ConvolutionEpilogue(affine: ChannelAffine(scale: scale, shift: shift), relu: relu)
                let expected = bits(try separate(plain, mean, variance, gamma, beta, relu: relu))
                let fused = try QuantizedCompute.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                        inputScale: args.inputScale, weightScales: args.weightScales, epilogue: epilogue)
                let reference = try QuantizedCompute.referenceConv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                                     inputScale: args.inputScale, weightScales: args.weightScales, epilogue: epilogue)
                XCTAssertEqual(bits(fused), expected, "\(dtype) channelsLast \(channelsLast) groups \(groups) relu \(relu): fast path")
                XCTAssertEqual(bits(reference), expected, "\(dtype) channelsLast \(channelsLast) groups \(groups) relu \(relu): reference")
                if relu { XCTAssertTrue(expected.contains(0) && expected.contains { $0 != 0 }, "the ReLU should clip some values and not others") }
            }
        }
    }

    /// Hand-derived: one 1x1 conv, input code 10 (x = 1, s_in = 10), weight code 127 (w = 1, s_w = 127):
    /// acc = 1270, dequantized 1270 / 1270 = 1; BN affine 1·(−1) + 1 = 0 and 1·(−1) + 0.5 = −0.5; the ReLU
    /// makes −0.5 zero, and an affine giving −0 (scale −1, shift −0 on a 0 input) gives +0 like the ReLU kernel.
    func testHandDerivedValuesAndSignedZero() throws {
        let x = Tensor([1, 0], shape: [1, 1, 1, 2])
        let w = Tensor([1, 1], shape: [2, 1, 1, 1])
        let epilogue = ConvolutionEpilogue(affine: ChannelAffine(scale: [-1, -1], shift: [1, 0.5]), relu: true)
        let y = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 10, weightScales: [127],
                                            epilogue: epilogue)
        XCTAssertEqual(y.floats(), [0, 1, 0, 0.5])
        let z = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 10, weightScales: [127],
                                            epilogue: ConvolutionEpilogue(affine: ChannelAffine(scale: [-1, 1], shift: [-0.0, 0]), relu: true))
        XCTAssertEqual(z.floats().map(\.bitPattern), [Float(0), 0, 1, 0].map(\.bitPattern), "−1·1−0 → 0 by the ReLU, −1·0−0 = −0 → +0")
        XCTAssertThrowsError(try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 10,
                                                         weightScales: [127], epilogue: ConvolutionEpilogue(affine: ChannelAffine(scale: [1], shift: [0]))))
    }

    /// `conv2d(concatenating:)` quantizes each part into its channels: the bits of concatenating first, on the
    /// fast path and the reference, for parts narrower than the 8-channel blocks, FP16 parts and int16.
    func testConcatenatedPartsEqualConcatenatingFirst() throws {
        var values = SeededValues(seed: 7)
        func next() -> Float { values.next() }
        for (dtype, channels, half) in [(QuantDType.int8, [3, 16, 5], false), (.int8, [8, 8], true), (.int16, [12, 1], false), (.int16, [16, 27, 3], true)] {
            let (h, w, o) = (7, 10, 6)
            let parts = channels.map { c -> Tensor in
                let t = Tensor((0..<(c * h * w)).map { _ in next() * 2 }, shape: [1, c, h, w])
                return half ? t.to(.float16) : t
            }
            let total = channels.reduce(0, +)
            let weight = Tensor((0..<(o * total * 9)).map { _ in next() }, shape: [o, total, 3, 3])
            let bias = Tensor((0..<o).map { _ in next() }, shape: [o])
            let geometry = ExactIntegerConvolution.Geometry(stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1)
            let maxCode: Float = dtype == .int8 ? 127 : 32767
            let epilogue = ConvolutionEpilogue(affine: ChannelAffine(scale: (0..<o).map { _ in next() }, shift: (0..<o).map { _ in next() }), relu: true)
            let joined = try QuantizedCompute.conv2d(try Tensor.cat(parts, dim: 1), weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                     inputScale: maxCode / 2, weightScales: [maxCode], epilogue: epilogue)
            for fast in [true, false] {
                QuantizedCompute.fastPathEnabled = fast
                defer { QuantizedCompute.fastPathEnabled = true }
                let split = try QuantizedCompute.conv2d(concatenating: parts, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                        inputScale: maxCode / 2, weightScales: [maxCode], epilogue: epilogue)
                XCTAssertEqual(split.shape, [1, o, h, w])
                XCTAssertEqual(bits(split), bits(joined), "\(dtype) parts \(channels) half \(half) fast path \(fast)")
            }
        }
        XCTAssertThrowsError(try QuantizedCompute.conv2d(concatenating: [try Tensor.zeros([1, 2, 3, 3]), try Tensor.zeros([1, 2, 4, 3])],
                                                         weight: try Tensor.zeros([1, 4, 1, 1]), bias: nil, geometry: .init(), dtype: .int8,
                                                         inputScale: 1, weightScales: [1]))
    }
}
