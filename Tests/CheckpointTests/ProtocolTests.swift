import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// The pickle machine decodes CPython's pickles of every protocol (and Python 2 opcodes) to the same
/// value CPython does: compared through CPython's own `repr`, recorded by gen_protocol_pickles.py.
final class ProtocolTests: XCTestCase {
    private final class NoStorages: StorageProvider {
        func storage(for spec: StorageSpec) throws -> Storage { throw CheckpointError.malformed(file: "", detail: "no storages") }
    }

    func testEveryProtocolDecodesLikeCPython() throws {
        XCTAssertEqual(ProtocolPickles.cases.count, 7)
        for c in ProtocolPickles.cases {
            guard let data = Data(base64Encoded: c.base64) else { return XCTFail("bad base64 in \(c.name)") }
            let value: PickleValue = try data.withUnsafeBytes { raw in
                let machine = PickleMachine(bytes: raw)
                let root = try machine.run()
                return try withExtendedLifetime(machine) { try ValueConverter(storages: NoStorages(), maxDepth: 1000).convert(root) }
            }
            XCTAssertEqual(repr(value), c.repr, c.name)
        }
    }

    /// CPython 3.11's `repr` for the value kinds in the corpus.
    func repr(_ v: PickleValue) -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let le): return decimal(le)
        case .float(let d): return "\(d)"
        case .string(let s): return "'\(s)'"
        case .bytes: return pythonRepr(v)
        case .list(let xs): return "[" + xs.map(repr).joined(separator: ", ") + "]"
        case .tuple(let xs): return xs.count == 1 ? "(\(repr(xs[0])),)" : "(" + xs.map(repr).joined(separator: ", ") + ")"
        case .dict(let d):
            if d.kind == .orderedDict {
                return "OrderedDict([" + d.entries.map { "(\(repr($0.key)), \(repr($0.value)))" }.joined(separator: ", ") + "])"
            }
            return "{" + d.entries.map { "\(repr($0.key)): \(repr($0.value))" }.joined(separator: ", ") + "}"
        default: return v.typeName
        }
    }

    /// Decimal text of a little-endian two's complement integer.
    func decimal(_ le: [UInt8]) -> String {
        let negative = (le.last ?? 0) & 0x80 != 0
        var mag = le
        if negative {
            var carry: UInt16 = 1
            for i in mag.indices { let v = UInt16(~mag[i]) + carry; mag[i] = UInt8(v & 0xFF); carry = v >> 8 }
        }
        var bigEndian = Array(mag.reversed())
        var digits: [Character] = []
        while bigEndian.contains(where: { $0 != 0 }) {
            var rem: UInt16 = 0
            for i in bigEndian.indices {
                let cur = rem << 8 | UInt16(bigEndian[i])
                bigEndian[i] = UInt8(cur / 10)
                rem = cur % 10
            }
            digits.append(Character(String(rem)))
        }
        return (negative ? "-" : "") + (digits.isEmpty ? "0" : String(digits.reversed()))
    }
}
