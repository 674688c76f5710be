import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// Zip container rules of reference §2: byteorder, required records, prefix, record sizes.
final class ZipReaderTests: XCTestCase {
    /// A data.pkl for `OrderedDict(w = float32 tensor of 3 elements on storage '0')`, written by mlus's pickler.
    private func pickle() throws -> [UInt8] {
        var p = PickleWriter(legacy: false)
        try p.value(.orderedDict([("w", .tensor(Tensor([1, 2, 3], shape: [3])))]))
        return p.finish()
    }

    private func archive(_ records: [(String, [UInt8])]) throws -> URL {
        let url = try Fixtures.temporaryDirectory().appendingPathComponent("a.pt")
        let out = try AtomicFileOutput(target: url)
        var zip = ZipWriter(output: out)
        for (name, bytes) in records { try zip.add(name: name, bytes: bytes) }
        try zip.finish()
        try out.commit()
        return url
    }

    private func floatsBE(_ xs: [Float]) -> [UInt8] { xs.flatMap { withUnsafeBytes(of: $0.bitPattern.bigEndian, Array.init) } }
    private func floatsLE(_ xs: [Float]) -> [UInt8] { xs.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }

    func testBigEndianByteorderIsSwapped() throws {
        let url = try archive([("a/data.pkl", try pickle()), ("a/byteorder", Array("big".utf8)),
                               ("a/data/0", floatsBE([1, 2, 3])), ("a/version", Array("3\n".utf8))])
        XCTAssertEqual(try loadStateDict(contentsOf: url).first?.tensor.floats(), [1, 2, 3])
    }

    func testRequiredRecordsAndPrefix() throws {
        let pkl = try pickle(), data = floatsLE([1, 2, 3]), version = Array("3\n".utf8)
        // `.data/version` instead of `version` is fine (2.x), any prefix is fine.
        let ok = try archive([("foo/data.pkl", pkl), ("foo/data/0", data), ("foo/.data/version", version)])
        XCTAssertEqual(try loadStateDict(contentsOf: ok).first?.tensor.floats(), [1, 2, 3])
        assertCheckpointError("no a/version record") { _ = try loadCheckpoint(contentsOf: try archive([("a/data.pkl", pkl), ("a/data/0", data)])) }
        assertCheckpointError("has no a/data.pkl") { _ = try loadCheckpoint(contentsOf: try archive([("a/data/0", data), ("a/version", version)])) }
        assertCheckpointError("not in a subdirectory: data.pkl") { _ = try loadCheckpoint(contentsOf: try archive([("data.pkl", pkl)])) }
        assertCheckpointError("version '99' is outside 1...10") {
            _ = try loadCheckpoint(contentsOf: try archive([("a/data.pkl", pkl), ("a/data/0", data), ("a/version", Array("99\n".utf8))]))
        }
        assertCheckpointError("storage record a/data/0 is missing") {
            _ = try loadCheckpoint(contentsOf: try archive([("a/data.pkl", pkl), ("a/version", version)]))
        }
        assertCheckpointError("holds 16 bytes, but its storage needs 3 x 4 bytes") {
            _ = try loadCheckpoint(contentsOf: try archive([("a/data.pkl", pkl), ("a/data/0", floatsLE([1, 2, 3, 4])), ("a/version", version)]))
        }
        assertCheckpointError("TorchScript") {
            _ = try loadCheckpoint(contentsOf: try archive([("a/data.pkl", pkl), ("a/constants.pkl", pkl), ("a/version", version)]))
        }
    }

    func testCompressedRecordIsNamed() throws {
        var b = [UInt8](try Data(contentsOf: try archive([("a/data.pkl", try pickle()), ("a/data/0", floatsLE([1, 2, 3])),
                                                          ("a/version", Array("3\n".utf8))])))
        // Mark data/0 as deflated (method 8) in the central directory.
        let dir = try b.withUnsafeBytes { try ZipDirectory($0) }
        var at = 0
        for i in 0..<(b.count - 4) where b[i] == 0x50 && b[i + 1] == 0x4B && b[i + 2] == 1 && b[i + 3] == 2 {
            let n = Int(b[i + 28]) | Int(b[i + 29]) << 8
            if String(decoding: b[(i + 46)..<(i + 46 + n)], as: UTF8.self) == "a/data/0" { at = i }
        }
        XCTAssertEqual(dir.entries.count, 3)
        XCTAssertGreaterThan(at, 0)
        b[at + 10] = 8
        assertCheckpointError("compressed zip record 'a/data/0' (method 8)") { _ = try loadCheckpoint(data: Data(b), name: "c.pt") }
    }
}

/// The ZIP64 forms torch uses past 4 GiB (reference §2.4), built by hand at small sizes: central directory
/// sizes and offsets of 0xFFFFFFFF with the real values in ZIP64 extra fields, and a ZIP64 end record.
final class Zip64ReaderTests: XCTestCase {
    private func le(_ v: Int, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    func testZip64ExtraFieldsAndEndRecord() throws {
        var p = PickleWriter(legacy: false)
        try p.value(.orderedDict([("w", .tensor(Tensor([4, 5, 6], shape: [3])))]))
        let records: [(String, [UInt8])] = [("z/data.pkl", p.finish()),
                                            ("z/data/0", [4, 5, 6].flatMap { (x: Float) in withUnsafeBytes(of: x, Array.init) }),
                                            ("z/version", Array("3\n".utf8))]
        var file: [UInt8] = []
        var central: [UInt8] = []
        for (name, data) in records {
            let offset = file.count
            let n = Array(name.utf8)
            file += [0x50, 0x4B, 3, 4] + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + le(0, 4) + le(0, 4)
            file += le(n.count, 2) + le(0, 2) + n + data
            // Central entry: csize, usize and offset all 0xFFFFFFFF, real values in the ZIP64 extra (usize, csize, offset).
            let extra = [0x01, 0x00] + le(24, 2) + le(data.count, 8) + le(data.count, 8) + le(offset, 8)
            central += [0x50, 0x4B, 1, 2] + le(45, 2) + le(45, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4)
            central += le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(n.count, 2) + le(extra.count, 2) + le(0, 2)
            central += le(0, 2) + le(0, 2) + le(0, 4) + le(0xFFFF_FFFF, 4) + n + extra
        }
        let cdOffset = file.count
        file += central
        let z64 = file.count
        file += [0x50, 0x4B, 6, 6] + le(44, 8) + le(45, 2) + le(45, 2) + le(0, 4) + le(0, 4)
        file += le(records.count, 8) + le(records.count, 8) + le(central.count, 8) + le(cdOffset, 8)
        file += [0x50, 0x4B, 6, 7] + le(0, 4) + le(z64, 8) + le(1, 4)
        file += [0x50, 0x4B, 5, 6] + le(0, 2) + le(0, 2) + le(0xFFFF, 2) + le(0xFFFF, 2) + le(0xFFFF_FFFF, 4) + le(0xFFFF_FFFF, 4) + le(0, 2)
        let value = try loadCheckpoint(data: Data(file), name: "zip64.pt")
        XCTAssertEqual(try stateDict(in: value).first?.tensor.floats(), [4, 5, 6])
    }

    /// Fuzzer find (FuzzZip, session 3): a 55-byte file whose ZIP64 locator precedes the end record. The
    /// bound `file.count − 56` went negative and converting it to UInt64 trapped; now a clear error.
    func testZip64LocatorInAFileShorterThanItsEndRecord() throws {
        let bytes: [UInt8] = [
            0x50, 0x4b, 0x03, 0x04, 0x00, 0x5a, 0x5a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x4b, 0x06,
            0x07, 0x00, 0x00, 0x00, 0x00, 0xe2, 0x0d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
            0x00, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x0c, 0xf7, 0x2a, 0x03, 0x00,
            0x00, 0xb8, 0x0a, 0x00, 0x00, 0x03, 0x2e,
        ]
        XCTAssertEqual(bytes.count, 55)
        assertCheckpointError("no ZIP64 end record") { _ = try loadCheckpoint(data: Data(bytes), name: "short.pth") }
    }
}
