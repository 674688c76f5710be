import Foundation
import XCTest
@testable import Tensors

/// The sigmoid runs glibc's vector expf eight values at a time, the last few from a padded buffer: a value must
/// come out the same wherever it sits in a tensor (which lane, which thread's range), and stay within a few ulps
/// of the correctly rounded result (computed here in Double).
final class SigmoidTests: XCTestCase {
    func testValuesDoNotDependOnPosition() throws {
        let values: [Float] = (0..<1003).map { Float($0) * 0.037 - 18.5 }
        let whole = try Tensor(values, shape: [values.count]).unary(.sigmoid).floats()
        for start in [1, 3, 7, 995, 1000] {
            let part = try Tensor(Array(values[start...]), shape: [values.count - start]).unary(.sigmoid).floats()
            XCTAssertEqual(part.map(\.bitPattern), whole[start...].map(\.bitPattern), "from \(start)")
        }
        for (x, y) in zip(values, whole) {
            let exact = Float(1 / (1 + exp(-Double(x))))
            XCTAssertLessThanOrEqual(abs(Int(y.bitPattern) - Int(exact.bitPattern)), 3, "sigmoid(\(x)) = \(y), exact \(exact)")
        }
        let special = try Tensor([0, -0.0, .infinity, -.infinity, .nan, 100, -100], shape: [7]).unary(.sigmoid).floats()
        XCTAssertEqual(Array(special[0..<4]), [0.5, 0.5, 1, 0])
        XCTAssertTrue(special[4].isNaN)
        XCTAssertEqual(special[5], 1)
        XCTAssertEqual(special[6], Float(1 / (1 + exp(100.0))), accuracy: 1e-43, "exp(100) overflows float: 0 for 3.8e-44")
    }
}
