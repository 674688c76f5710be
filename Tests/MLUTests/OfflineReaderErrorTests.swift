import XCTest
import Tensors
@testable import MLU

/// Every reader check, reached by byte surgery on a valid file; none may crash.
final class OfflineReaderErrorTests: XCTestCase {
    private func valid() throws -> FileBytes { FileBytes(bytes: try OfflineModelWriter.encode(SampleModels.convNet())) }

    private func assertError(_ bytes: [UInt8], _ expected: OfflineFormatError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try OfflineModelReader.read(bytes: bytes), file: file, line: line) { error in
            XCTAssertEqual(error as? OfflineFormatError, expected, file: file, line: line)
        }
    }

    func testBadMagic() throws {
        var f = try valid()
        f.bytes[1] = UInt8(ascii: "X")
        assertError(f.bytes, .badMagic(found: [0x89, 0x58, 0x4C, 0x55, 0x53, 0x0D, 0x0A, 0x1A]))
    }

    func testFutureVersionsAreRejectedByName() throws {
        var f = try valid()
        f.setU16(2, at: 8)
        assertError(f.bytes, .unsupportedContainerVersion(found: 2, supported: 1))
        f = try valid()
        f.setU16(7, at: 10)
        assertError(f.bytes, .unsupportedOpsVersion(found: 7, supported: 1))
        f = try valid()
        f.setU16(3, at: 12)
        assertError(f.bytes, .unsupportedQuantizationVersion(found: 3, supported: 1))
    }

    func testUnknownSection() throws {
        var f = try valid()
        let e = try XCTUnwrap(f.entry("PROV"))
        for (k, b) in "WXYZ".utf8.enumerated() { f.bytes[e.entryOffset + k] = b }
        f.refreshHeaderCRC()
        assertError(f.bytes, .unknownSection(tag: "WXYZ", entry: 4))
    }

    func testDuplicateAndMissingSections() throws {
        var f = try valid()
        let prov = try XCTUnwrap(f.entry("PROV"))
        for (k, b) in "TRGT".utf8.enumerated() { f.bytes[prov.entryOffset + k] = b }
        f.refreshHeaderCRC()
        assertError(f.bytes, .duplicateSection(.target))

        // The same payloads reassembled independently read back; without PROV they do not.
        let v = try valid()
        let all = ["GRPH", "TENS", "IODS", "TRGT", "PROV"].map { ($0, v.payload($0)) }
        XCTAssertEqual(FileBytes.assemble(all).bytes, v.bytes, "writer layout matches the specification")
        assertError(FileBytes.assemble(Array(all.dropLast())).bytes, .missingSection(.provenance))
    }

    func testHeaderChecksum() throws {
        var f = try valid()
        let stored = UInt32(f.bytes[20]) | UInt32(f.bytes[21]) << 8 | UInt32(f.bytes[22]) << 16 | UInt32(f.bytes[23]) << 24
        f.bytes[40] = 1  // a reserved byte inside the CRC-covered header
        XCTAssertThrowsError(try OfflineModelReader.read(bytes: f.bytes)) { error in
            guard case let .headerChecksumMismatch(s, computed)? = error as? OfflineFormatError else { return XCTFail("\(error)") }
            XCTAssertEqual(s, stored)
            XCTAssertNotEqual(computed, stored)
        }
        f.refreshHeaderCRC()
        assertError(f.bytes, .nonZeroReserved(offset: 40))
    }

    func testFlippedByteInEverySectionNamesThatSection() throws {
        let f = try valid()
        for (tag, section) in [("GRPH", OfflineSection.graph), ("TENS", .tensors), ("IODS", .io), ("TRGT", .target), ("PROV", .provenance)] {
            let e = try XCTUnwrap(f.entry(tag))
            for position in [e.offset, e.offset + e.length / 2, e.offset + e.length - 1] {
                var g = f
                g.bytes[position] ^= 0x40
                XCTAssertThrowsError(try OfflineModelReader.read(bytes: g.bytes)) { error in
                    guard case let .sectionChecksumMismatch(s, _, _)? = error as? OfflineFormatError else {
                        return XCTFail("\(tag) at \(position): \(error)")
                    }
                    XCTAssertEqual(s, section)
                    XCTAssertTrue("\(error)".contains(tag), "message names the section: \(error)")
                }
            }
        }
    }

    func testTruncatedAt64PointsNeverCrashes() throws {
        let bytes = try valid().bytes
        for k in 0..<64 {
            let cut = k * (bytes.count - 1) / 63  // 0 ... count-1
            let prefix = Array(bytes[0..<cut])
            XCTAssertThrowsError(try OfflineModelReader.read(bytes: prefix), "cut at \(cut)") { error in
                switch error as? OfflineFormatError {
                case .truncatedHeader?:
                    XCTAssertLessThan(cut, 256)
                case .fileLengthMismatch(let declared, let actual)?:
                    XCTAssertEqual(declared, UInt64(bytes.count))
                    XCTAssertEqual(actual, cut)
                default:
                    XCTFail("cut at \(cut): unexpected \(error)")
                }
            }
        }
    }

    func testSectionOutOfBoundsAndOverflow() throws {
        var f = try valid()
        let e = try XCTUnwrap(f.entry("PROV"))
        f.setU64(UInt64(f.bytes.count), at: e.entryOffset + 16)
        f.refreshHeaderCRC()
        assertError(f.bytes, .sectionOutOfBounds(.provenance, offset: UInt64(e.offset), length: UInt64(f.bytes.count), fileLength: f.bytes.count))

        f = try valid()
        f.setU64(UInt64.max - 10, at: e.entryOffset + 16)
        f.refreshHeaderCRC()
        assertError(f.bytes, .sectionSizeOverflow(.provenance, offset: UInt64(e.offset), length: UInt64.max - 10))

        f = try valid()
        let g = try XCTUnwrap(f.entry("GRPH"))
        f.setU64(UInt64(g.offset + 8), at: g.entryOffset + 8)
        f.refreshHeaderCRC()
        assertError(f.bytes, .misalignedSection(.graph, offset: UInt64(g.offset + 8)))

        f = try valid()
        f.setU64(UInt64(g.offset + 64), at: g.entryOffset + 8)
        f.refreshHeaderCRC()
        assertError(f.bytes, .sectionLayoutGap(.graph, expectedOffset: 256, found: UInt64(g.offset + 64)))
    }

    func testExtraBytesAtTheEnd() throws {
        var f = try valid()
        f.bytes += [UInt8](repeating: 0, count: 64)
        f.setU64(UInt64(f.bytes.count), at: 24)
        f.refreshHeaderCRC()
        assertError(f.bytes, .sectionsDoNotCoverFile(end: f.bytes.count - 64, fileLength: f.bytes.count))
    }

    func testPayloadErrorsBehindValidChecksums() throws {
        // A tensor claiming more data than its dtype and shape need.
        var f = try valid()
        let tens = try XCTUnwrap(f.entry("TENS"))
        // First entry: id u32, dtype u8, kind u8, reserved u16, rank 4 + 4 × i64, axis u8, count u32 + 4 × f32, offset u64, length u64.
        let lengthField = tens.offset + 4 + 4 + 4 + 1 + 32 + 1 + 4 + 16 + 8
        XCTAssertEqual(f.u64(lengthField), 108)  // 4 × 3 × 3 × 3 int8
        f.setU64(109, at: lengthField)
        f.refreshSectionCRC("TENS")
        assertError(f.bytes, .tensorDataSizeMismatch(value: "conv1.weight", expected: 108, found: 109))

        // A value count far beyond what the payload can hold.
        f = try valid()
        let grph = try XCTUnwrap(f.entry("GRPH"))
        let valueCountField = grph.offset + 4 + "subnet0".utf8.count
        f.setU32(0xFFFF_FFFF, at: valueCountField)
        f.refreshSectionCRC("GRPH")
        XCTAssertThrowsError(try OfflineModelReader.read(bytes: f.bytes)) { error in
            guard case .countTooLarge(.graph, "values", 0xFFFF_FFFF, _)? = error as? OfflineFormatError else {
                return XCTFail("\(error)")
            }
        }

        // An unknown op read from the file (written with an op set that knows it).
        var m = SampleModels.convNet()
        m.graph.nodes[1].op = "frobnicate"
        var custom = OfflineOpSet.version1
        custom.names.insert("frobnicate")
        let bytes = try OfflineModelWriter.encode(m, opSet: custom)
        assertError(bytes, .unknownOp(name: "frobnicate", node: 1, opsVersion: 1))
        XCTAssertEqual(try OfflineModelReader.read(bytes: bytes, opSet: custom).graph.nodes[1].op, "frobnicate")
    }

    /// Random corruption, with checksums repaired so the payload decoders see it: every outcome is
    /// either a model or an `OfflineFormatError`, never a crash or another error type.
    func testFuzzedPayloadsGiveNamedErrors() throws {
        let base = try valid()
        var rng = SplitMix64(seed: 0x6D6C_7573)
        var rejected = 0
        for _ in 0..<3000 {
            var f = base
            let e = f.entries[Int(rng.next() % UInt64(f.entries.count))]
            let flips = 1 + Int(rng.next() % 4)
            for _ in 0..<flips {
                let position = e.offset + Int(rng.next() % UInt64(max(e.length, 1)))
                f.bytes[position] = UInt8(truncatingIfNeeded: rng.next())
            }
            f.refreshSectionCRC(e.tag)
            do {
                _ = try OfflineModelReader.read(bytes: f.bytes)
            } catch is OfflineFormatError {
                rejected += 1
            } catch {
                XCTFail("unexpected error type: \(error)")
            }
        }
        XCTAssertGreaterThan(rejected, 1000)
    }
}

/// A small deterministic generator (SplitMix64) so the fuzz test is reproducible.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
