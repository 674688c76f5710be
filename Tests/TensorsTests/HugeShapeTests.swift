import XCTest
@testable import Tensors

/// Shapes whose dimensions multiply past `Int.max` are refused with an error (PyTorch's "numel: integer
/// multiplication overflow"), never an arithmetic-overflow trap, including empty ones, whose strides still
/// multiply the non-zero dimensions. Found while fixing the FuzzNpy crash of session 3 (same overflow in
/// `.npy` Fortran strides).
final class HugeShapeTests: XCTestCase {
    let huge = 1 << 62

    func testCreationRefusesOverflowingEmptyShapes() {
        XCTAssertThrowsError(try Tensor.zeros([0, huge, huge]))
        XCTAssertThrowsError(try Tensor.zeros([0, huge, huge, 3]))
        XCTAssertEqual(try Tensor.zeros([0, huge]).count, 0, "one huge dimension beside a zero still fits")
    }

    func testViewsRefuseOverflowingShapes() throws {
        let one = try Tensor.zeros([1, 1, 1])
        XCTAssertThrowsError(try one.expand([huge, huge, 1]))
        XCTAssertThrowsError(try Tensor.zeros([1, 1, 0]).expand([huge, huge, 0]))
        XCTAssertThrowsError(try Tensor.zeros([2, 0]).view([0, 1 << 40, 1 << 40]))
        XCTAssertThrowsError(try Tensor.zeros([2, 0]).reshape([0, 1 << 40, 1 << 40]))
        XCTAssertEqual(try one.expand([3, 5, 1]).count, 15)
    }

    func testStridesAndCountNeverTrap() {
        // Hand-derived: [0, 2^62, 2^62] has no elements; its strides wrap (they address nothing) instead of trapping.
        XCTAssertEqual(Tensor.contiguousStrides(for: [0, huge, huge]).count, 3)
        XCTAssertEqual(Tensor.channelsLastStrides(for: [0, 4, huge, huge]).count, 4)
    }
}
