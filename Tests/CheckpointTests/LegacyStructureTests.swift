import Foundation
import XCTest
import Checkpoint
import Tensors

/// Checks the legacy files mlus writes against torch 1.3's loader layout (reference §1), with a
/// minimal reader written here from the reference alone — it shares no code with mlus's reader.
final class LegacyStructureTests: XCTestCase {
    /// Skips one protocol-2 pickle made of the opcodes reference §5.3 allows; returns the offset after STOP
    /// and the opcodes seen (with their string arguments) for pattern checks.
    private func skipPickle(_ b: [UInt8], from start: Int) throws -> (end: Int, ops: [(UInt8, String)]) {
        var i = start
        var ops: [(UInt8, String)] = []
        func u32(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24 }
        while i < b.count {
            let op = b[i]
            i += 1
            switch op {
            case 0x80, 0x4B, 0x71, 0x68: ops.append((op, "")); i += 1  // PROTO, BININT1, BINPUT, BINGET
            case 0x4D: ops.append((op, "")); i += 2
            case 0x4A: ops.append((op, "")); i += 4
            case 0x8A: ops.append((op, "")); i += 1 + Int(b[i])
            case 0x47: ops.append((op, "")); i += 8
            case 0x58:
                let n = u32(i)
                ops.append((op, String(decoding: b[(i + 4)..<(i + 4 + n)], as: UTF8.self)))
                i += 4 + n
            case 0x63:
                var j = i, newlines = 0
                while newlines < 2 { if b[j] == 0x0A { newlines += 1 }; j += 1 }
                ops.append((op, String(decoding: b[i..<(j - 1)], as: UTF8.self).replacingOccurrences(of: "\n", with: ".")))
                i = j
            case 0x2E: ops.append((op, "")); return (i, ops)
            case 0x28, 0x29, 0x5D, 0x7D, 0x74, 0x85, 0x86, 0x87, 0x52, 0x62, 0x81, 0x51, 0x73, 0x75, 0x61, 0x65, 0x4E, 0x88, 0x89:
                ops.append((op, ""))
            default:
                XCTFail(String(format: "opcode 0x%02X at %d is outside the protocol-2 writer subset", op, i - 1))
                return (i, ops)
            }
        }
        throw CheckpointError.malformed(file: "", detail: "no STOP")
    }

    func testLegacyLayoutMatchesTorch13Loader() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("legacy.pt")
        let w = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let wt = Tensor(storage: w.storage, shape: [3, 2], strides: [1, 3], dtype: .float32)
        var n = Tensor(zeros: [], dtype: .int64)
        n.storage.bytes.storeBytes(of: Int64(5), as: Int64.self)
        n.offset = 0
        try saveStateDict([("w", w), ("wt", wt), ("num_batches_tracked", n)], to: url, format: .legacy)
        let b = [UInt8](try Data(contentsOf: url))

        // Pickle #0: magic 0x1950A86A20F9469CFC6C as LONG1 (reference §1.1 bytes).
        XCTAssertEqual(Array(b[0..<15]), [0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E])
        // Pickle #1: protocol version 1001.
        XCTAssertEqual(Array(b[15..<21]), [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E])
        // Pickle #2: sys_info, 116 bytes ending at 137 as in torch's sd_legacy.pt.
        let (sysEnd, sysOps) = try skipPickle(b, from: 21)
        XCTAssertEqual(sysEnd, 137)
        XCTAssertEqual(sysOps.filter { $0.0 == 0x58 }.map(\.1), ["protocol_version", "little_endian", "type_sizes", "short", "int", "long"])
        let torchLegacy = [UInt8](try Data(contentsOf: Fixtures.checkpoints.appendingPathComponent("sd_legacy.pt")))
        XCTAssertEqual(Array(b[21..<137]), Array(torchLegacy[21..<137]), "sys_info bytes equal torch's")

        // Pickle #3: every storage is BINPERSID of a 6-tuple ('storage', GLOBAL torch.<X>Storage, key, 'cpu', numel, None).
        let (mainEnd, ops) = try skipPickle(b, from: 137)
        var pids: [(cls: String, key: String, numel: UInt8)] = []
        for (i, op) in ops.enumerated() where op.0 == 0x51 {
            let t = Array(ops[(i - 8)..<i])
            XCTAssertEqual(t.map(\.0), [0x28, 0x58, 0x63, 0x58, 0x58, 0x4B, 0x4E, 0x74], "6-tuple pid shape")
            XCTAssertEqual(t[1].1, "storage")
            XCTAssertEqual(t[4].1, "cpu")
            pids.append((t[2].1, t[3].1, 0))
        }
        XCTAssertEqual(pids.map(\.cls), ["torch.FloatStorage", "torch.FloatStorage", "torch.LongStorage"])
        XCTAssertEqual(pids[0].key, pids[1].key, "w and wt share one storage key")
        XCTAssertEqual(ops.filter { $0.0 == 0x63 }.map(\.1).filter { $0.hasPrefix("torch._utils") }, Array(repeating: "torch._utils._rebuild_tensor_v2", count: 3))

        // Pickle #4: list of storage keys, then per key: int64 LE count + raw LE data, then end of file.
        let (keysEnd, keyOps) = try skipPickle(b, from: mainEnd)
        let keys = keyOps.filter { $0.0 == 0x58 }.map(\.1)
        XCTAssertEqual(Set(keys), Set([pids[0].key, pids[2].key]))
        XCTAssertEqual(keyOps.first?.0, 0x80)
        XCTAssertEqual(keyOps[1].0, 0x5D, "EMPTY_LIST")
        var at = keysEnd
        var blobs: [String: [UInt8]] = [:]
        for key in keys {
            let count = (0..<8).reduce(0) { $0 | Int(b[at + $1]) << (8 * $1) }
            let size = key == pids[2].key ? 8 : 4
            blobs[key] = Array(b[(at + 8)..<(at + 8 + count * size)])
            at += 8 + count * size
        }
        XCTAssertEqual(at, b.count, "file ends after the last blob")
        XCTAssertEqual(blobs[pids[0].key], [1, 2, 3, 4, 5, 6].flatMap { (v: Float) in withUnsafeBytes(of: v.bitPattern.littleEndian, Array.init) })
        XCTAssertEqual(blobs[pids[2].key], [5, 0, 0, 0, 0, 0, 0, 0])
    }

    func testZipLayoutMatchesTorchWriter() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("my_model.v1.pt")
        try saveStateDict([("w", Tensor([1, 2, 3], shape: [3])), ("e", Tensor(zeros: [0], dtype: .float32))], to: url, format: .zip)
        let b = [UInt8](try Data(contentsOf: url))
        func u16(_ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        // Walk local headers from offset 0 (reference §2.3): names, stored, FB padding, 64-byte aligned payloads.
        var at = 0
        var names: [String] = []
        while u32(at) == 0x04034B50 {
            XCTAssertEqual(u16(at + 8), 0, "stored")
            let nlen = u16(at + 26), xlen = u16(at + 28)
            let name = String(decoding: b[(at + 30)..<(at + 30 + nlen)], as: UTF8.self)
            names.append(name)
            XCTAssertEqual(Array(b[(at + 30 + nlen)..<(at + 32 + nlen)]), [0x46, 0x42], "FB extra")
            let data = at + 30 + nlen + xlen
            XCTAssertEqual(data % 64, 0, "\(name) payload aligned")
            // Sizes come from the central directory; find this entry's size there.
            let flags = u16(at + 6)
            let size: Int
            switch name {
            case "my_model.v1/data/0": size = 12
            case "my_model.v1/data/1": size = 0
            case "my_model.v1/version": size = 2; XCTAssertEqual(Array(b[data..<(data + 2)]), Array("3\n".utf8))
            case "my_model.v1/byteorder": size = 6; XCTAssertEqual(Array(b[data..<(data + 6)]), Array("little".utf8))
            case "my_model.v1/.format_version": size = 1
            case "my_model.v1/.storage_alignment": size = 2
            default:
                XCTAssertEqual(name, "my_model.v1/data.pkl")
                var j = data
                while b[j] != 0x2E || j + 1 < b.count && u32(j + 1) != 0x08074B50 { j += 1 }
                size = j + 1 - data
            }
            XCTAssertEqual(flags, size > 0 ? 0x0808 : 0x0800, name)
            at = data + size + (size > 0 ? 16 : 0)
            if size > 0 { XCTAssertEqual(u32(data + size), 0x08074B50, "\(name) data descriptor") }
        }
        XCTAssertEqual(names, ["data.pkl", ".format_version", ".storage_alignment", "byteorder", "data/0", "data/1", "version"].map { "my_model.v1/" + $0 })
        XCTAssertEqual(u32(at), 0x02014B50, "central directory follows the records")
        // ZIP64 end record, locator, classic end record — always, as torch writes them.
        XCTAssertEqual(u32(b.count - 22), 0x06054B50)
        XCTAssertEqual(u32(b.count - 42), 0x07064B50)
        XCTAssertEqual(u32(b.count - 98), 0x06064B50)
    }
}
