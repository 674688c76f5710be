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
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [6, 12, 18, 24])
        let hitsBefore = context.weights.hits
        XCTAssertEqual(try values(x.conv2d(weight: w, bias: nil)), [6, 12, 18, 24])
        // The second call found the converted weights (oneDNN wants a blocked layout for this shape).
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
