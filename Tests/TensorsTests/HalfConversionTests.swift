import XCTest
@testable import Tensors

/// FP32 → FP16 → FP32 on arrays large enough to be split across threads: every value must match Swift's own
/// `Float16` conversion (IEEE round to nearest even), whatever part of the split it falls in.
final class HalfConversionTests: XCTestCase {
    func testLargeArraysMatchFloat16() {
        var values = [Float]()
        var state: UInt32 = 12345
        for _ in 0..<200_003 {
            state = state &* 1_664_525 &+ 1_013_904_223
            // Bit patterns across the whole float range: normals, subnormals, FP16 overflow, infinities, NaN.
            values.append(Float(bitPattern: state))
        }
        values += [0, -0.0, 65504, 65520, 1e-8, 6e-8, .infinity, -.infinity]
        let half = Tensor(values, shape: [values.count]).to(.float16)
        let back = half.to(.float32).floats()
        for (i, (v, b)) in zip(values, back).enumerated() {
            let expected = Float(Float16(v))
            if expected.isNaN {
                XCTAssertTrue(b.isNaN, "value \(i) (\(v))")
            } else if b.bitPattern != expected.bitPattern {
                XCTFail("value \(i): \(v) → \(b), Float16 gives \(expected)")
                return
            }
        }
    }
}
