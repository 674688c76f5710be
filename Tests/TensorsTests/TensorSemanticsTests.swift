import XCTest
@testable import Tensors

/// Hand-derived checks of semantics the PyTorch fixtures do not cover: errors, views, assignment, promotion.
final class TensorSemanticsTests: XCTestCase {
    func testBroadcastErrorNamesBothShapes() throws {
        let a = try Tensor.ones([2, 3]), b = try Tensor.ones([4])
        XCTAssertThrowsError(try a.binary(.add, b)) { error in
            XCTAssertTrue("\(error)".contains("[2, 3] and [4]"), "\(error)")
        }
        XCTAssertThrowsError(try a.matmul(Tensor.ones([2, 5]))) { error in
            XCTAssertTrue("\(error)".contains("2x3 and 2x5"), "\(error)")
        }
        XCTAssertThrowsError(try a.conv2d(weight: Tensor.ones([1, 1, 1, 1]), bias: nil)) { error in
            XCTAssertTrue("\(error)".contains("[2, 3]"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.ones([1, 3, 4, 4]).conv2d(weight: Tensor.ones([8, 16, 3, 3]), bias: nil)) { error in
            XCTAssertTrue("\(error)".contains("to have 16 channels, but got 3 channels"), "\(error)")
        }
    }

    func testViewsShareStorageAndViewRejectsIncompatibleStrides() throws {
        let t = try Tensor.arange(end: 12, dtype: .float32).reshape([3, 4])
        let tt = try t.transpose(0, 1)
        XCTAssertThrowsError(try tt.view([12]))
        XCTAssertEqual(try tt.reshape([12]).floats(), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        let row = try t.indexed([.at(1)])
        try row.assign(Tensor(scalar: -1), at: [.range(1, 3, nil)])
        XCTAssertEqual(t.floats(), [0, 1, 2, 3, 4, -1, -1, 7, 8, 9, 10, 11])
        let mask = try t.compare(.greater, scalar: 8)
        try t.assign(Tensor(scalar: 0), at: [.tensor(mask)])
        XCTAssertEqual(t.floats(), [0, 1, 2, 3, 4, -1, -1, 7, 8, 0, 0, 0])
        XCTAssertThrowsError(try t.indexed([.at(3)])) { error in
            XCTAssertTrue("\(error)".contains("index 3 is out of bounds for dimension 0 with size 3"), "\(error)")
        }
        XCTAssertThrowsError(try t.indexed([.at(0), .at(0), .at(0)]))
        XCTAssertThrowsError(try t.indexed([.range(nil, nil, 0)]))
    }

    func testPromotionAndCasts() throws {
        let ints = try Tensor(int64s: [1, 2, 3], shape: [3])
        XCTAssertEqual(try ints.binary(.add, scalar: 1).dtype, .int64)
        XCTAssertEqual(try ints.binary(.add, scalar: 0.5).dtype, .float32)
        XCTAssertEqual(try ints.binary(.div, scalar: 2).floats(), [0.5, 1, 1.5])
        XCTAssertEqual(DType.promote(.uint8, .int8), .int16)
        XCTAssertEqual(DType.promote(.float16, .bfloat16), .float32)
        let half = Tensor([1, 2], shape: [2]).to(.float16)
        XCTAssertEqual(try half.binary(.mul, Tensor(scalar: 2, dtype: .float32)).dtype, .float16)
        XCTAssertEqual(Tensor([.nan, .infinity, -3.9], shape: [3]).to(.int64).integers(), [0, Int64.max, -3])
        XCTAssertEqual(Tensor([300, -1], shape: [2]).to(.uint8).integers(), [44, 255])
    }

    func testZeroSizeAndScalarEdges() throws {
        let empty = try Tensor.zeros([0, 4])
        XCTAssertEqual(try empty.sum().item(), 0)
        XCTAssertEqual(try empty.sum(dims: [1]).shape, [0])
        XCTAssertThrowsError(try empty.reduceMax())
        XCTAssertEqual(try Tensor.cat([empty, Tensor.ones([2, 4])]).shape, [2, 4])
        XCTAssertEqual(try Tensor.ones([2, 3]).chunk(5, dim: 1).map(\.shape), [[2, 1], [2, 1], [2, 1]])
        XCTAssertEqual(try Tensor(scalar: 3).item(), 3)
        XCTAssertThrowsError(try Tensor.ones([2]).item())
        XCTAssertEqual(try Tensor.ones([0, 3, 5, 5]).conv2d(weight: Tensor.ones([2, 3, 3, 3]), bias: nil).shape, [0, 2, 3, 3])
        XCTAssertEqual(try Tensor.arange(start: 5, end: 0, step: -2).integers(), [5, 3, 1])
        XCTAssertThrowsError(try Tensor.arange(start: 0, end: 5, step: -1))
    }

    func testHugeOutputsAreErrorsNotCrashes() throws {
        XCTAssertThrowsError(try Tensor.zeros([1 << 40, 1 << 30]))
        XCTAssertThrowsError(try Tensor.ones([1 << 20, 1 << 20, 1 << 10]))
        let x = try Tensor.ones([1, 1, 4, 4])
        XCTAssertThrowsError(try x.interpolate(size: (1 << 30, 1 << 30), mode: .nearest)) { error in
            XCTAssertTrue("\(error)".contains("more memory than this machine has"), "\(error)")
        }
        XCTAssertThrowsError(try x.padded([1 << 31, 0, 1 << 31, 0]))
        XCTAssertThrowsError(try x.convTranspose2d(weight: Tensor.ones([1, 1, 1, 1]), bias: nil, stride: [1 << 30]))
    }

    func testGeneratorIsSeedable() throws {
        let a = try Tensor.randn([5], generator: Generator(seed: 9)).floats()
        let b = try Tensor.randn([5], generator: Generator(seed: 9)).floats()
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, try Tensor.randn([5], generator: Generator(seed: 10)).floats())
    }
}
