import Foundation
import XCTest
@testable import MLU

/// The primitive checks of the payload reader, on hand-made bytes.
final class ByteReaderTests: XCTestCase {
    private func read<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws -> T) throws -> T {
        try bytes.withUnsafeBytes { raw in
            var r = ByteReader(section: .graph, bytes: raw)
            return try body(&r)
        }
    }

    private func i64(_ v: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * Int64($0))) } }

    func testShapeChecks() throws {
        XCTAssertEqual(try read([2] + i64(3) + i64(5)) { try $0.shape("s") }, [3, 5])
        XCTAssertThrowsError(try read([2] + i64(1 << 40) + i64(1 << 40)) { try $0.shape("s") }) {
            XCTAssertEqual($0 as? OfflineFormatError, .elementCountOverflow(.graph, field: "s", shape: [1 << 40, 1 << 40]))
        }
        XCTAssertThrowsError(try read([1] + i64(-4)) { try $0.shape("s") }) {
            XCTAssertEqual($0 as? OfflineFormatError, .negativeDimension(.graph, field: "s", shape: [-4]))
        }
        XCTAssertThrowsError(try read([9]) { try $0.shape("s") }) {
            XCTAssertEqual($0 as? OfflineFormatError, .rankTooLarge(.graph, field: "s", rank: 9))
        }
        XCTAssertThrowsError(try read([2] + i64(3)) { try $0.shape("s") }) {
            XCTAssertEqual($0 as? OfflineFormatError, .truncatedPayload(.graph, field: "s", offset: 9, needed: 8, remaining: 0))
        }
    }

    func testStringAndCountChecks() throws {
        XCTAssertEqual(try read([2, 0, 0, 0, 0x68, 0x69]) { try $0.string("name") }, "hi")
        XCTAssertThrowsError(try read([2, 0, 0, 0, 0xC3, 0x28]) { try $0.string("name") }) {
            XCTAssertEqual($0 as? OfflineFormatError, .invalidUTF8(.graph, field: "name", offset: 4))
        }
        XCTAssertThrowsError(try read([0, 0, 1, 0]) { try $0.string("name") }) {
            XCTAssertEqual($0 as? OfflineFormatError, .stringTooLong(.graph, field: "name", length: 65536))
        }
        // 3 elements of at least 4 bytes need 12 bytes; only 8 follow.
        XCTAssertThrowsError(try read([3, 0, 0, 0] + [UInt8](repeating: 0, count: 8)) { try $0.count("ids", minimumElementSize: 4) }) {
            XCTAssertEqual($0 as? OfflineFormatError, .countTooLarge(.graph, field: "ids", count: 3, remaining: 8))
        }
        XCTAssertThrowsError(try read([1, 2]) { r in _ = try r.u8("x"); try r.expectEnd() }) {
            XCTAssertEqual($0 as? OfflineFormatError, .trailingBytes(.graph, count: 1))
        }
    }

    func testFilesThatAreNotModels() throws {
        XCTAssertThrowsError(try OfflineModelReader.read(contentsOf: "/nonexistent/x.cambricon")) { error in
            guard case .io(let path, _)? = error as? OfflineFormatError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "/nonexistent/x.cambricon")
        }
        XCTAssertThrowsError(try OfflineModelReader.read(contentsOf: "/tmp")) { error in
            XCTAssertEqual(error as? OfflineFormatError, .io(path: "/tmp", reason: "not a regular file"))
        }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-empty-\(UUID().uuidString).cambricon").path
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        defer { try? FileManager.default.removeItem(atPath: empty) }
        XCTAssertThrowsError(try OfflineModelReader.read(contentsOf: empty)) {
            XCTAssertEqual($0 as? OfflineFormatError, .truncatedHeader(needed: 64, actual: 0))
        }
    }

    func testDeviceProfilesEncodeAsJSON() throws {
        let data = try JSONEncoder().encode(DeviceProfile.mlu270)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"int8\""), text)
        XCTAssertEqual(try JSONDecoder().decode(DeviceProfile.self, from: data), .mlu270)
    }
}
