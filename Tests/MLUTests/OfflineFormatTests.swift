import Foundation
import XCTest
import Tensors
@testable import MLU

final class OfflineFormatTests: XCTestCase {
    func testCRC32MatchesTheStandardCheckValue() {
        // The CRC-32/ISO-HDLC check value of "123456789" is 0xCBF43926 (zlib, PNG, Ethernet).
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926)
        XCTAssertEqual(CRC32.checksum([]), 0)
        // Chaining two halves equals one pass.
        let a = Array("12345".utf8), b = Array("6789".utf8)
        let first = CRC32.checksum(a)
        XCTAssertEqual(b.withUnsafeBytes { CRC32.checksum($0, continuing: first) }, 0xCBF4_3926)
    }

    func testRoundTripInMemoryGivesAnEqualModel() throws {
        let model = SampleModels.convNet()
        let bytes = try OfflineModelWriter.encode(model)
        let back = try OfflineModelReader.read(bytes: bytes)
        XCTAssertEqual(back, model)
        XCTAssertEqual(back.graph.nodes[0].attributes["input_scale"], .float(12.5))
        XCTAssertEqual(back.constants[0].quantization, OfflineQuantization(scales: [10, 20, 30, 40], axis: 0))
        XCTAssertEqual(back.constants[2].tensor.floats(), [1, 2, 3, 4])
    }

    func testLayoutFollowsTheSpecification() throws {
        let bytes = try OfflineModelWriter.encode(SampleModels.convNet())
        let f = FileBytes(bytes: bytes)
        XCTAssertEqual(Array(bytes[0..<8]), [0x89, 0x4D, 0x4C, 0x55, 0x53, 0x0D, 0x0A, 0x1A])
        XCTAssertEqual(f.u16(8), 1)
        XCTAssertEqual(f.u16(10), 1)
        XCTAssertEqual(f.u16(12), 1)
        XCTAssertEqual(f.sectionCount, 5)
        XCTAssertEqual(f.entries.map(\.tag), ["GRPH", "TENS", "IODS", "TRGT", "PROV"])
        // 64 + 5 × 32 = 224, rounded up to 256.
        XCTAssertEqual(f.entries[0].offset, 256)
        XCTAssertEqual(f.u64(24), UInt64(bytes.count))
        XCTAssertEqual(bytes.count % 64, 0)
        for (a, b) in zip(f.entries, f.entries.dropFirst()) {
            XCTAssertEqual(b.offset, (a.offset + a.length + 63) / 64 * 64)
        }
        // TRGT payload by hand: string "MLU270" (4 + 6), u32 16, u32 1, u8 255 = 19 bytes.
        let t = try XCTUnwrap(f.entry("TRGT"))
        XCTAssertEqual(Array(bytes[t.offset..<(t.offset + t.length)]),
                       [6, 0, 0, 0] + Array("MLU270".utf8) + [16, 0, 0, 0, 1, 0, 0, 0, 255])
    }

    func testWriterIsDeterministic() throws {
        let a = try OfflineModelWriter.encode(SampleModels.convNet())
        let b = try OfflineModelWriter.encode(SampleModels.convNet())
        XCTAssertEqual(a, b)
        // Re-encoding what was read gives the same bytes again.
        XCTAssertEqual(try OfflineModelWriter.encode(try OfflineModelReader.read(bytes: a)), a)
    }

    func testFileRoundTripBorrowsConstantsFromTheMapping() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-offline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("net.cambricon").path
        let model = SampleModels.convNet()
        try OfflineModelWriter.write(model, to: path)
        try OfflineModelWriter.write(model, to: path)  // replacing an existing file works too
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(leftovers, ["net.cambricon"], "no temporary file left behind")
        let back = try OfflineModelReader.read(contentsOf: path)
        XCTAssertEqual(back, model)
        for c in back.constants {
            XCTAssertNotNil(c.tensor.storage.owner, "constant should borrow from the mapping")
            XCTAssertEqual(Int(bitPattern: c.tensor.baseAddress) % 64, 0, "data blocks are 64-byte aligned")
        }
    }

    func testWriterRefusesInvalidModels() {
        var m = SampleModels.convNet()
        m.graph.nodes[0].op = "frobnicate"
        XCTAssertThrowsError(try OfflineModelWriter.encode(m)) {
            XCTAssertEqual($0 as? OfflineFormatError, .unknownOp(name: "frobnicate", node: 0, opsVersion: 1))
        }
        m = SampleModels.convNet()
        m.graph.nodes.reverse()  // mul now uses conv1.out before conv2d defines it
        XCTAssertThrowsError(try OfflineModelWriter.encode(m)) {
            XCTAssertEqual($0 as? OfflineFormatError, .undefinedValue(id: 3, name: "conv1.out", usedBy: "node 0 (mul)"))
        }
        m = SampleModels.convNet()
        m.constants[0].quantization = nil
        XCTAssertThrowsError(try OfflineModelWriter.encode(m)) {
            XCTAssertEqual($0 as? OfflineFormatError, .invalidQuantization(value: "conv1.weight", reason: "int8 constant has no scale"))
        }
        m = SampleModels.convNet()
        m.target.coreNumber = 8
        XCTAssertThrowsError(try OfflineModelWriter.encode(m)) {
            XCTAssertEqual($0 as? OfflineFormatError, .invalidCoreNumber(8, coreVersion: "MLU270", valid: [1, 4, 16]))
        }
        m = SampleModels.convNet()
        m.graph.values[3].name = "input"
        XCTAssertThrowsError(try OfflineModelWriter.encode(m)) {
            XCTAssertEqual($0 as? OfflineFormatError, .duplicateValueName("input"))
        }
    }
}
