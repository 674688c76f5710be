import CQuantKernels
import Foundation
import XCTest

/// `mlus_dequantize_nhwc` on hand-made int32 sums, against the definition computed here in Swift:
/// `Float(Double(acc) / divisor) + bias`, then `fmaf(v, scale, shift)`, then the ReLU rule (NaN kept, −0 → +0).
/// Channels-last outputs with a multiple of 8 channels take the 8-channel block path, planar outputs the
/// transposing one; both must give these bits, including sums whose quotient is a float32 tie that the
/// multiplication by the reciprocal would round the other way (they must be divided).
final class DequantizeKernelTests: XCTestCase {
    /// (s_in, s_w, acc) with `Float(acc · fl(1/(s_in·s_w))) ≠ Float(acc / (s_in·s_w))` (FastIntegerConvolutionTests
    /// explains the search that found them).
    private let ties: [(Double, Int32)] = [(56 * 224, 1_503_972_631), (56 * 224, 1_202_874_491), (64 * 196, 1_514_157_771),
                                           (49 * 256, 1_189_586_279)]

    private func expected(_ acc: Int32, _ divisor: Double, _ bias: Float, _ scale: Float?, _ shift: Float?, relu: Bool) -> Float {
        var v = Float(Double(acc) / divisor) + bias
        if let scale, let shift { v = fmaf(v, scale, shift) }
        if relu { v = v > 0 ? v : (v.isNaN ? v : 0) }
        return v
    }

    func testBlocksOfEightChannelsMatchTheDefinition() {
        let pixels = 5, channels = 16
        var divisors = (0..<channels).map { 1000 + 37.25 * Double($0) }
        var sums = (0..<(pixels * channels)).map { i -> Int32 in Int32((i * 7_919_113) % 40_000_001) - 20_000_000 }
        // Tie sums in lanes 0, 3, 6 of the first block and lane 2 of the second, at different pixels.
        for (k, (channel, pixel)) in [(0, 1), (3, 4), (6, 0), (10, 2)].enumerated() {
            let (divisor, acc) = ties[k % ties.count]
            divisors[channel] = divisor
            sums[pixel * channels + channel] = acc
            XCTAssertNotEqual(Float(Double(acc) * (1 / divisor)), Float(Double(acc) / divisor), "not a discriminating case")
        }
        let bias = (0..<channels).map { Float($0) * 0.25 - 2 }
        let scale = (0..<channels).map { Float($0 % 3) - 1.25 }, shift = (0..<channels).map { Float($0) * -0.5 }
        for (withAffine, relu) in [(false, false), (true, false), (true, true), (false, true)] {
            var want = [Float](repeating: 0, count: pixels * channels)
            for p in 0..<pixels {
                for o in 0..<channels {
                    want[p * channels + o] = expected(sums[p * channels + o], divisors[o], bias[o], withAffine ? scale[o] : nil,
                                                      withAffine ? shift[o] : nil, relu: relu)
                }
            }
            // NHWC (pixel-major) and NCHW (channel-major) outputs of a 1 x 16 x 1 x 5 tensor.
            for channelsLast in [true, false] {
                var out = [Float](repeating: .nan, count: pixels * channels)
                let strides: [Int64] = channelsLast ? [Int64(pixels * channels), 1, Int64(pixels * channels), Int64(channels)]
                    : [Int64(pixels * channels), Int64(pixels), Int64(pixels), 1]
                let status = sums.withUnsafeBufferPointer { s in
                    divisors.withUnsafeBufferPointer { d in
                        out.withUnsafeMutableBufferPointer { y in
                            mlus_dequantize_nhwc(s.baseAddress, nil, nil, nil, 1, 1, 1, Int64(pixels), 1, Int64(channels), d.baseAddress, bias,
                                                 withAffine ? scale : nil, withAffine ? shift : nil, relu ? 1 : 0, y.baseAddress, strides)
                        }
                    }
                }
                XCTAssertEqual(status, 0)
                let got = channelsLast ? out : (0..<(pixels * channels)).map { i in out[(i % channels) * pixels + i / channels] }
                XCTAssertEqual(got.map(\.bitPattern), want.map(\.bitPattern), "affine \(withAffine) relu \(relu) channelsLast \(channelsLast)")
            }
        }
    }
}
