import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// Paths and helpers shared by the checkpoint tests.
enum Fixtures {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let checkpoints = repoRoot.appendingPathComponent("Tests/Fixtures/checkpoints")
    static let carseg = repoRoot.appendingPathComponent("Tests/Fixtures/carseg")

    static func json(_ url: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: url)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CheckpointError.malformed(file: url.path, detail: "not a JSON object")
        }
        return object
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Flattens a value tree with the manifest's key syntax: `a.b` for dict keys, `a[0]` for list items.
func flatten(_ v: PickleValue, prefix: String = "", into out: inout [String: PickleValue]) {
    switch v {
    case .dict(let d):
        for e in d.entries {
            let k: String
            switch e.key {
            case .string(let s): k = s
            case .int(let i): k = String(i)
            default: k = "?"
            }
            flatten(e.value, prefix: prefix.isEmpty ? k : prefix + "." + k, into: &out)
        }
    case .list(let items), .tuple(let items):
        for (i, item) in items.enumerated() { flatten(item, prefix: "\(prefix)[\(i)]", into: &out) }
    default:
        out[prefix] = v
    }
}

/// Python's `repr` of the scalars the manifest lists.
func pythonRepr(_ v: PickleValue) -> String {
    switch v {
    case .none: return "None"
    case .bool(let b): return b ? "True" : "False"
    case .int(let i): return String(i)
    case .float(let d): return "\(d)"
    case .string(let s): return "'\(s)'"
    case .bytes(let b):
        var s = "b'"
        for byte in b {
            if byte >= 0x20 && byte < 0x7F && byte != 0x27 && byte != 0x5C { s.unicodeScalars.append(Unicode.Scalar(byte)) }
            else { s += String(format: "\\x%02x", byte) }
        }
        return s + "'"
    default: return v.typeName
    }
}

/// Checks one tensor against a manifest entry (dtype, shape, stride, sum, first values).
func assertMatches(_ values: [Double], dtype: String, shape: [Int], strides: [Int]?, expected: [String: Any], key: String,
                   file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(dtype, expected["dtype"] as? String, "\(key) dtype", file: file, line: line)
    XCTAssertEqual(shape, expected["shape"] as? [Int], "\(key) shape", file: file, line: line)
    if let s = expected["stride"] as? [Int] { XCTAssertEqual(strides, s, "\(key) stride", file: file, line: line) }
    if let sum = expected["sum"] as? Double {
        let mine = values.reduce(0, +)
        XCTAssertEqual(mine, sum, accuracy: 1e-5 * max(1, abs(sum)), "\(key) sum", file: file, line: line)
    }
    if let first = expected["first"] as? [Double] {
        XCTAssertEqual(values.count >= first.count, true, "\(key) has too few values", file: file, line: line)
        for (i, f) in first.enumerated() where i < values.count {
            XCTAssertEqual(values[i], f, accuracy: 1e-6 * max(1, abs(f)), "\(key)[\(i)]", file: file, line: line)
        }
    }
}

func assertMatches(_ t: Tensor, _ expected: [String: Any], key: String, file: StaticString = #filePath, line: UInt = #line) {
    assertMatches(t.scalars(), dtype: t.dtype.rawValue, shape: t.shape, strides: t.strides, expected: expected, key: key, file: file, line: line)
}

/// Asserts that `body` throws a `CheckpointError` whose message contains `fragment`.
func assertCheckpointError(_ fragment: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected an error containing '\(fragment)'", file: file, line: line)
    } catch let e as CheckpointError {
        XCTAssertTrue(e.description.contains(fragment), "error '\(e.description)' does not mention '\(fragment)'", file: file, line: line)
    } catch {
        XCTFail("unexpected error type \(error)", file: file, line: line)
    }
}
