import XCTest
@testable import Tensors

/// The oneDNN weight cache must reuse converted weights only while the caller's bytes are unchanged.
/// Expected values are hand-derived sums of a 1x1 convolution (out = w0·x0 + w1·x1 + b).
final class WeightCacheTests: XCTestCase {
    private func values(_ t: Tensor) throws -> [Float] { try t.contiguous(memoryFormat: .contiguous).floats() }

    func testWeightWrittenInPlaceIsNeverServedStale() throws {
        let x = try Tensor([1, 2, 3, 4, 10, 20, 30, 40], shape: [1, 2, 2, 2]).contiguous(memoryFormat: .channelsLast)
        let w = Tensor([1, 0.5], shape: [1, 2, 1, 1])
        let context = try DNNLContext.shared()
        // First use: converted into scratch, not cached; second use: cached; third: served from the cache
        // (oneDNN wants a blocked layout for this shape).
        let countBefore = context.weights.count
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [6, 12, 18, 24])
        XCTAssertEqual(context.weights.count, countBefore)
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [6, 12, 18, 24])
        XCTAssertEqual(context.weights.count, countBefore + 1)
        let hitsBefore = context.weights.hits
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [6, 12, 18, 24])
        XCTAssertEqual(context.weights.hits, hitsBefore + 1)
        // An in-place write through the shared storage (what copy_ / load_state_dict do).
        w.storage.bytes.assumingMemoryBound(to: Float.self)[1] = -1
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [-9, -18, -27, -36])
        w.storage.bytes.assumingMemoryBound(to: Float.self)[0] = 2
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [-8, -16, -24, -32])
    }

    func testDifferentWeightsOfTheSameShapeGetTheirOwnResults() throws {
        let x = try Tensor([1, 2, 3, 4, 10, 20, 30, 40], shape: [1, 2, 2, 2]).contiguous(memoryFormat: .channelsLast)
        let a = Tensor([1, 1], shape: [1, 2, 1, 1]), b = Tensor([0, 2], shape: [1, 2, 1, 1])
        let bias = Tensor([0.5], shape: [1])
        for _ in 0..<2 {
            XCTAssertEqual(try values(x.conv2d(weight: a, bias: bias)), [11.5, 22.5, 33.5, 44.5])
            XCTAssertEqual(try values(x.conv2d(weight: b, bias: bias)), [20.5, 40.5, 60.5, 80.5])
        }
    }

    /// NCHW convolutions keep the direct kernels, whose float sums of integer-valued products below 2^24 are
    /// exact (the quantizer's exact emulation relies on it). Expected: a plain Double loop in this test.
    func testIntegerValuedNCHWConvolutionIsExact() throws {
        let (c, o, h, k) = (128, 128, 12, 3)
        var state: UInt32 = 12345
        func next() -> Float {
            state = state &* 1_103_515_245 &+ 12345
            return Float(Int((state >> 16) % 127) - 63) // |sum| ≤ 1152·63² < 2^24
        }
        let xv = (0..<(c * h * h)).map { _ in next() }, wv = (0..<(o * c * k * k)).map { _ in next() }
        let x = Tensor(xv, shape: [1, c, h, h]), w = Tensor(wv, shape: [o, c, k, k])
        var expected = [Float](repeating: 0, count: o * h * h)
        for oc in 0..<o {
            for y in 0..<h {
                for xx in 0..<h {
                    var sum = 0.0
                    for ic in 0..<c {
                        for ky in 0..<k {
                            for kx in 0..<k {
                                let iy = y + ky - 1, ix = xx + kx - 1
                                guard iy >= 0, iy < h, ix >= 0, ix < h else { continue }
                                sum += Double(xv[(ic * h + iy) * h + ix]) * Double(wv[((oc * c + ic) * k + ky) * k + kx])
                            }
                        }
                    }
                    expected[(oc * h + y) * h + xx] = Float(sum)
                }
            }
        }
        for _ in 0..<3 {
            XCTAssertEqual(try x.conv2d(weight: w, bias: nil, padding: [1]).floats(), expected)
        }
    }

    func testEvictionKeepsResultsCorrect() throws {
        let context = try DNNLContext.shared()
        let saved = context.weights.capacityBytes
        defer { context.weights.capacityBytes = saved }
        context.weights.capacityBytes = 0
        let x = try Tensor([1, 2, 3, 4, 10, 20, 30, 40], shape: [1, 2, 2, 2]).contiguous(memoryFormat: .channelsLast)
        let a = Tensor([1, 1], shape: [1, 2, 1, 1]), b = Tensor([0, 2], shape: [1, 2, 1, 1])
        for _ in 0..<2 {
            XCTAssertEqual(try values(x.conv2d(weight: a, bias: nil)), [11, 22, 33, 44])
            XCTAssertEqual(try values(x.conv2d(weight: b, bias: nil)), [20, 40, 60, 80])
        }
        XCTAssertLessThanOrEqual(context.weights.count, 1)
    }
}
