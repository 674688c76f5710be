import XCTest
@testable import MLU

final class DeviceProfileTests: XCTestCase {
    func testCoreNumbersFollowTheReference() throws {
        for n in [1, 4, 16] { XCTAssertNoThrow(try validateCoreNumber(n, for: .mlu270)) }
        for n in [1, 4] { XCTAssertNoThrow(try validateCoreNumber(n, for: .mlu220)) }
        for n in [0, 2, 8, 32, -1] {
            XCTAssertThrowsError(try validateCoreNumber(n, for: .mlu270)) {
                XCTAssertEqual($0 as? DeviceError, .invalidCoreNumber(n, coreVersion: .mlu270, valid: [1, 4, 16]))
            }
        }
        XCTAssertThrowsError(try validateCoreNumber(16, for: .mlu220)) { error in
            XCTAssertEqual("\(error)", "core number 16 is not valid for MLU220; valid values: 1, 4")
        }
    }

    func testCoreVersionParsing() throws {
        XCTAssertEqual(try CoreVersion(parsing: "mlu220"), .mlu220)
        XCTAssertThrowsError(try CoreVersion(parsing: "MLU290")) { error in
            XCTAssertEqual("\(error)", "unknown core version 'MLU290'; valid values: MLU220, MLU270")
        }
    }

    func testProfilesMatchReferenceSection7() {
        let a = DeviceProfile.mlu270, b = DeviceProfile.mlu220
        XCTAssertEqual(a.totalCores, 16)
        XCTAssertEqual(b.totalCores, 4)
        XCTAssertEqual(a.clockMHz.value, 1000)
        XCTAssertEqual(a.memoryBandwidthGBps.value, 102.4)
        // 64-bit bus × 3733 MT/s = 29.86 GB/s.
        XCTAssertEqual(b.memoryBandwidthGBps.value, 29.86, accuracy: 0.01)
        XCTAssertEqual(a.wramBytesPerCore.value, 1 << 20)
        XCTAssertEqual(b.wramBytesPerCore.value, 1 << 19)
        XCTAssertEqual(a.peakOpsPerSecond[.int8]?.value, 128e12)
        for p in [a, b] {
            let peaks = ComputeDType.allCases.map { p.peakOpsPerSecond[$0]?.value ?? 0 }
            XCTAssertEqual(peaks, peaks.sorted(by: >), "int8 ≥ int16 ≥ fp16 ≥ fp32")
            for dtype in [ComputeDType.int16, .float16, .float32] {
                XCTAssertEqual(p.peakOpsPerSecond[dtype]?.confidence, .low)
                XCTAssertTrue(p.peakOpsPerSecond[dtype]?.source.hasPrefix("assumption") ?? false)
            }
            XCTAssertFalse(p.clusters.source.isEmpty)
        }
    }
}
