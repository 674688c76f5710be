import XCTest
import Ops
import Tensors
@testable import Quantization

/// A quantized convolution that writes the next convolution's int8 codes (`outputCodeScale`) and one that takes
/// codes (`inputIsCodes`) against the float path: the codes must be exactly `quantize(float output, scale)`, and
/// a convolution on those codes must give the bits of the same convolution on the floats.
final class CodePassingTests: XCTestCase {
    private func bits(_ t: Tensor) -> [UInt32] { t.floats().map(\.bitPattern) }

    func testCodesEqualQuantizingTheFloats() throws {
        var values = SeededValues(seed: 5)
        func next() -> Float { values.next() }
        // (output channels, channels-last input): 16 takes the one-pass epilogue, 5 the floats-then-quantize route.
        for (o, channelsLast) in [(16, true), (5, true), (16, false)] {
            let (c, h, w) = (6, 7, 9)
            var x = Tensor((0..<(c * h * w)).map { _ in next() * 3 }, shape: [1, c, h, w])
            if channelsLast { x = try x.contiguous(memoryFormat: .channelsLast) }
            let weight = Tensor((0..<(o * c * 9)).map { _ in next() }, shape: [o, c, 3, 3])
            let bias = Tensor((0..<o).map { _ in next() }, shape: [o])
            let epilogue = ConvolutionEpilogue(affine: ChannelAffine(scale: (0..<o).map { _ in next() * 2 }, shift: (0..<o).map { _ in next() }),
                                               relu: true)
            let geometry = ExactIntegerConvolution.Geometry(stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1)
            // A code scale that clamps the largest outputs at 127.
            let codeScale: Float = 60
            let next2 = Tensor((0..<(3 * o)).map { _ in next() }, shape: [3, o, 1, 1])
            for fast in [true, false] {
                QuantizedCompute.fastPathEnabled = fast
                defer { QuantizedCompute.fastPathEnabled = true }
                let y = try QuantizedCompute.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: .int8, inputScale: 40,
                                                    weightScales: [127], epilogue: epilogue)
                let codes = try QuantizedCompute.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: .int8, inputScale: 40,
                                                        weightScales: [127], epilogue: epilogue, outputCodeScale: codeScale)
                XCTAssertEqual(codes.dtype, .int8)
                if fast && QuantizedCompute.fastPathAvailable {
                    // The fast path itself, not a fallback to the reference.
                    let direct = try XCTUnwrap(try FastIntegerConvolution.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: .int8,
                                                                                 inputScale: 40, weightScales: [127], normalization: nil,
                                                                                 epilogue: epilogue, outputCodeScale: codeScale))
                    XCTAssertEqual(try direct.contiguous(memoryFormat: .contiguous).floats(), try codes.contiguous(memoryFormat: .contiguous).floats())
                }
                let expected = quantize(try y.contiguous(memoryFormat: .contiguous).floats(), scale: codeScale, dtype: .int8)
                let got = try codes.contiguous(memoryFormat: .contiguous).floats()
                XCTAssertEqual(got, expected, "o \(o) channelsLast \(channelsLast) fast \(fast)")
                XCTAssertTrue(got.contains(127) && got.contains(0), "some codes clamp, the ReLU zeroes others")
                // The next convolution on the codes equals it on the floats.
                let onFloats = try QuantizedCompute.conv2d(y, weight: next2, bias: nil, geometry: .init(), dtype: .int8, inputScale: codeScale,
                                                           weightScales: [127])
                let onCodes = try QuantizedCompute.conv2d(codes, weight: next2, bias: nil, geometry: .init(), dtype: .int8, inputScale: codeScale,
                                                          weightScales: [127], inputIsCodes: true)
                XCTAssertEqual(bits(try onCodes.contiguous(memoryFormat: .contiguous)), bits(try onFloats.contiguous(memoryFormat: .contiguous)),
                               "o \(o) channelsLast \(channelsLast) fast \(fast)")
            }
        }
    }

    func testCodesNeedInt8() {
        let x = Tensor([Float](repeating: 1, count: 4), shape: [1, 1, 2, 2])
        let w = Tensor([1], shape: [1, 1, 1, 1])
        XCTAssertThrowsError(try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int16, inputScale: 1,
                                                         weightScales: [1], outputCodeScale: 2))
        XCTAssertThrowsError(try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 1,
                                                         weightScales: [1], inputIsCodes: true), "a float tensor is not codes")
        XCTAssertThrowsError(try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int8, inputScale: 1,
                                                         weightScales: [1], outputCodeScale: -1))
    }
}
