import XCTest
@testable import Tensors

final class TensorCoreTests: XCTestCase {
    func testContiguousStridesAndTransposeCopy() throws {
        let t = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        XCTAssertEqual(t.strides, [3, 1])
        // A transposed view of a 2x3 row-major matrix reads column by column.
        let view = Tensor(storage: t.storage, shape: [3, 2], strides: [1, 3], dtype: .float32)
        XCTAssertFalse(view.isContiguous)
        XCTAssertEqual(view.floats(), [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(view.clonedContiguous().floats(), [1, 4, 2, 5, 3, 6])
    }

    func testViewBoundsAreChecked() {
        XCTAssertThrowsError(try Tensor.validateFits(shape: [4], strides: [1], offset: 1, dtype: .float32, storageBytes: 16))
        XCTAssertNoThrow(try Tensor.validateFits(shape: [3], strides: [1], offset: 1, dtype: .float32, storageBytes: 16))
    }
}
