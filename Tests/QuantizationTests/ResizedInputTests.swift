import XCTest
import Ops
import Tensors
@testable import Quantization

/// A quantized convolution that resizes an input itself (`ConvolutionInput.resize`, an absorbed `interpolate`)
/// against resizing with `Tensor.interpolate` and concatenating first: every output bit must agree, on the fast
/// path (which resizes channels-last sources row by row while quantizing) and on the reference.
final class ResizedInputTests: XCTestCase {
    private func bits(_ t: Tensor) -> [UInt32] { t.floats().map(\.bitPattern) }

    func testResizedPartsEqualResizingFirst() throws {
        var values = SeededValues(seed: 11)
        func next() -> Float { values.next() }
        // (dtype, small input's channels and size, output size, scale factors, align_corners, with a skip part, channels-last)
        let cases: [(QuantDType, Int, (Int, Int), (Int, Int), (Double, Double)?, Bool?, Bool, Bool)] = [
            (.int8, 16, (5, 6), (10, 12), (2, 2), false, true, true),     // CarSegNet's decoder
            (.int16, 16, (5, 6), (10, 12), (2, 2), false, true, true),
            (.int8, 3, (4, 7), (9, 5), nil, true, true, true),            // explicit size, aligned corners, narrow part
            (.int16, 9, (3, 3), (7, 8), nil, nil, false, true),           // one resized input, no concatenation
            (.int8, 8, (5, 6), (10, 12), (2, 2), false, true, false),     // NCHW source: resized with interpolate first
        ]
        for (dtype, c, (ih, iw), (oh, ow), factors, align, skip, channelsLast) in cases {
            var small = Tensor((0..<(c * ih * iw)).map { _ in next() * 3 }, shape: [1, c, ih, iw])
            if channelsLast { small = try small.contiguous(memoryFormat: .channelsLast) }
            var other = Tensor((0..<(5 * oh * ow)).map { _ in next() * 2 }, shape: [1, 5, oh, ow])
            if channelsLast { other = try other.contiguous(memoryFormat: .channelsLast) }
            let total = c + (skip ? 5 : 0), o = 8
            let weight = Tensor((0..<(o * total * 9)).map { _ in next() }, shape: [o, total, 3, 3])
            let bias = Tensor((0..<o).map { _ in next() }, shape: [o])
            let geometry = ExactIntegerConvolution.Geometry(stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1)
            let maxCode: Float = dtype == .int8 ? 127 : 32767
            let epilogue = ConvolutionEpilogue(affine: ChannelAffine(scale: (0..<o).map { _ in next() }, shift: (0..<o).map { _ in next() }), relu: true)
            let resized = try small.interpolate(size: (oh, ow), scaleFactor: factors, mode: .bilinear, alignCorners: align)
            let joined = skip ? try Tensor.cat([resized, other], dim: 1) : resized
            let expected = try QuantizedCompute.referenceConv2d(joined, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                                inputScale: maxCode / 3, weightScales: [maxCode], epilogue: epilogue)
            let resize = BilinearResize(height: oh, width: ow, scaleFactors: factors, alignCorners: align)
            let inputs = [ConvolutionInput(small, resize: resize)] + (skip ? [ConvolutionInput(other)] : [])
            for fast in [true, false] {
                QuantizedCompute.fastPathEnabled = fast
                defer { QuantizedCompute.fastPathEnabled = true }
                let y = try QuantizedCompute.conv2d(concatenating: inputs, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                    inputScale: maxCode / 3, weightScales: [maxCode], epilogue: epilogue)
                XCTAssertEqual(y.shape, [1, o, oh, ow])
                XCTAssertEqual(bits(y), bits(expected), "\(dtype) \(c)x\(ih)x\(iw) → \(oh)x\(ow) align \(String(describing: align)) skip \(skip) channelsLast \(channelsLast) fast \(fast)")
            }
        }
    }

    func testAMismatchedResizeIsAnError() throws {
        let small = Tensor([Float](repeating: 1, count: 2 * 2 * 2), shape: [1, 2, 2, 2])
        let other = Tensor([Float](repeating: 1, count: 3 * 5 * 5), shape: [1, 3, 5, 5])
        let inputs = [ConvolutionInput(small, resize: BilinearResize(height: 4, width: 4)), ConvolutionInput(other)]
        XCTAssertThrowsError(try QuantizedCompute.conv2d(concatenating: inputs, weight: Tensor([Float](repeating: 1, count: 5), shape: [1, 5, 1, 1]),
                                                         bias: nil, geometry: .init(), dtype: .int8, inputScale: 1, weightScales: [1]))
        // An empty source cannot be resized to a non-empty output (interpolate's error, not uninitialised codes).
        let empty = try Tensor.zeros([1, 8, 0, 3]).contiguous(memoryFormat: .channelsLast)
        XCTAssertThrowsError(try QuantizedCompute.conv2d(concatenating: [ConvolutionInput(empty, resize: BilinearResize(height: 4, width: 4))],
                                                         weight: Tensor([Float](repeating: 1, count: 8), shape: [1, 8, 1, 1]), bias: nil,
                                                         geometry: .init(), dtype: .int8, inputScale: 1, weightScales: [1]))
    }
}
