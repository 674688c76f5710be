import XCTest
@testable import Quantization

/// Every expected number here is derived by hand from reference/cambricon.md §1–2.
final class QuantMathTests: XCTestCase {
    func testScaleIsQmaxOverAbsmax() {
        XCTAssertEqual(QuantParams.scale(min: -2, max: 1, dtype: .int8), 63.5)
        XCTAssertEqual(QuantParams.scale(min: -1, max: 4, dtype: .int16), 8191.75)
        XCTAssertEqual(QuantParams.scale(min: 0, max: 0, dtype: .int8), 1)
        XCTAssertEqual(QuantParams.scale(min: .nan, max: 1, dtype: .int8), 1)
    }

    func testRoundsHalfAwayFromZeroAndSaturates() {
        XCTAssertEqual(quantizeValue(1.25, scale: 2, dtype: .int8), 3)   // 2.5 -> 3 (half-even would give 2)
        XCTAssertEqual(quantizeValue(-1.25, scale: 2, dtype: .int8), -3)
        XCTAssertEqual(quantizeValue(0.75, scale: 2, dtype: .int8), 2)   // 1.5 -> 2
        XCTAssertEqual(quantizeValue(100, scale: 2, dtype: .int8), 127)
        XCTAssertEqual(quantizeValue(-100, scale: 2, dtype: .int8), -128)
        XCTAssertEqual(quantizeValue(4, scale: 8191.75, dtype: .int16), 32767)
        XCTAssertEqual(quantizeValue(-5, scale: 8191.75, dtype: .int16), -32768)
        XCTAssertEqual(quantizePerChannel([1, -1, 1, -1], scales: [10, 100], dtype: .int8), [10, -10, 100, -100])
    }

    func testObserverRunningMinMaxWithDataScale() {
        var observer = MinMaxObserver(iterationLimit: 3, useAverage: false, dataScale: 2)
        observer.observe(min: -1, max: 1)
        observer.observe(min: -3, max: 2)
        observer.observe(min: 0, max: 5)
        XCTAssertFalse(observer.observe(min: -100, max: 100), "the fourth call is past iteration=3")
        XCTAssertEqual(observer.min, -6)
        XCTAssertEqual(observer.max, 10)
        XCTAssertEqual(observer.ignoredCalls, 1)
    }

    func testObserverAverageUsesIncrementedCounter() {
        var observer = MinMaxObserver(iterationLimit: 3, useAverage: true)
        observer.observe(min: -1, max: 1)
        observer.observe(min: -3, max: 2)   // k = 2: (-1*2 - 3)/3, (1*2 + 2)/3
        XCTAssertEqual(observer.min, -5.0 / 3, accuracy: 1e-6)
        XCTAssertEqual(observer.max, 4.0 / 3, accuracy: 1e-6)
        observer.observe(min: 0, max: 5)    // k = 3: (-5/3*3 + 0)/4, (4/3*3 + 5)/4
        XCTAssertEqual(observer.min, -1.25, accuracy: 1e-6)
        XCTAssertEqual(observer.max, 2.25, accuracy: 1e-6)
    }

    func testCNMLPositionScaleDescribesTheSameStep() {
        // absmax 10, int8: pos = floor(log2 10) - 6 = -3; scale_cnml = 2^-3 * 127 / 10 = 1.5875.
        let (position, scale) = QuantParams.cnmlPositionScale(scale: 12.7, dtype: .int8)
        XCTAssertEqual(position, -3)
        XCTAssertEqual(scale, 1.5875, accuracy: 1e-5)
    }

    func testQuantizedModes() {
        XCTAssertEqual(QuantDType.int8.quantizedMode(perChannel: false), 1)
        XCTAssertEqual(QuantDType.int16.quantizedMode(perChannel: true), 4)
        XCTAssertThrowsError(try QuantDType.parse("int4"))
    }

    func testQConfigDefaultsAndValidation() throws {
        let defaults = try QConfig([])
        XCTAssertEqual(defaults.iteration, 1)
        XCTAssertTrue(defaults.firstConv)
        XCTAssertEqual(defaults.std, [1, 1, 1])
        let config = try QConfig([("mean", .list([0.485, 0.456, 0.406])), ("use_ave", .bool(true)), ("iteration", .int(16))])
        XCTAssertEqual(config.iteration, 16)
        XCTAssertEqual(config.ignoredKeys, ["use_ave"])
        XCTAssertThrowsError(try QConfig([("mean", .list([123.675, 116.28, 103.53]))])) { error in
            XCTAssertTrue("\(error)".contains("[0, 1]"), "\(error)")
        }
        XCTAssertThrowsError(try QConfig([("iteration", .int(0))]))
    }
}
