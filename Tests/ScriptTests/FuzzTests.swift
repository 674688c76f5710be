import Foundation
import XCTest
@testable import Script

/// Robustness: 10,000 random and mutated programs through lexer, parser and interpreter with a step
/// budget. Every outcome must be success or a `ScriptError`; nothing may crash or hang.
final class FuzzTests: XCTestCase {
    private struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    }

    private func corpus() throws -> [String] {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Conformance/cases")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".py") }.sorted()
        return try files.map { try String(contentsOfFile: dir.appendingPathComponent($0).path, encoding: .utf8) }
    }

    /// Splits into rough tokens (words, single punctuation, whitespace runs) for token-level mutation.
    private func tokens(_ s: String) -> [String] {
        var out: [String] = []
        var cur = ""
        func flush() { if !cur.isEmpty { out.append(cur); cur = "" } }
        for c in s {
            if c.isLetter || c.isNumber || c == "_" {
                if let l = cur.last, !(l.isLetter || l.isNumber || l == "_") { flush() }
                cur.append(c)
            } else if c == " " {
                if let l = cur.last, l != " " { flush() }
                cur.append(c)
            } else {
                flush()
                out.append(String(c))
            }
        }
        flush()
        return out
    }

    private func mutate(_ program: String, _ rng: inout Rng) -> String {
        if rng.below(3) == 0 {
            var bytes = Array(program.utf8)
            for _ in 0..<(1 + rng.below(4)) where !bytes.isEmpty {
                let i = rng.below(bytes.count)
                switch rng.below(4) {
                case 0: bytes.remove(at: i)
                case 1: bytes.insert(bytes[rng.below(bytes.count)], at: i)
                case 2: bytes.swapAt(i, rng.below(bytes.count))
                default: bytes[i] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var toks = tokens(program)
        for _ in 0..<(1 + rng.below(3)) where !toks.isEmpty {
            let i = rng.below(toks.count)
            switch rng.below(4) {
            case 0: toks.remove(at: i)
            case 1: toks.insert(toks[rng.below(toks.count)], at: i)
            case 2: toks.swapAt(i, rng.below(toks.count))
            default: toks[i] = ["(", ")", "[", "]", ":", "\n", "    ", "=", "**", "lambda", "class", "-1", "0", "'", "\"\"\"", "\\", "f'{", "}", "*", "not", "in", "while True:"][rng.below(22)]
            }
        }
        return toks.joined()
    }

    private func randomProgram(_ rng: inout Rng) -> String {
        let atoms = ["x", "y", "1", "0", "2.5", "'s'", "None", "[", "]", "(", ")", "{", "}", ",", ":", "=", "+", "-", "*",
                     "/", "//", "%", "**", "==", "<", "and", "or", "not", "if", "else", "for", "in", "while", "def", "class",
                     "return", "lambda", "\n", "    ", ".", "len", "print", "range", "try", "except", "raise", "f'{x}'", "@"]
        var s = ""
        for _ in 0..<(1 + rng.below(40)) { s += atoms[rng.below(atoms.count)] + (rng.below(3) == 0 ? "" : " ") }
        return s
    }

    func testTenThousandRandomAndMutatedInputs() throws {
        let programs = try corpus()
        XCTAssertGreaterThan(programs.count, 100)
        let work = NSTemporaryDirectory() + "mlus-fuzz-\(getpid())"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let previous = FileManager.default.currentDirectoryPath
        FileManager.default.changeCurrentDirectoryPath(work)
        defer {
            FileManager.default.changeCurrentDirectoryPath(previous)
            try? FileManager.default.removeItem(atPath: work)
        }
        var rng = Rng(state: 0x5EED)
        var inputs: [String] = []
        for i in 0..<10_000 {
            if i % 5 == 0 {
                inputs.append(randomProgram(&rng))
            } else {
                inputs.append(mutate(programs[rng.below(programs.count)], &rng))
            }
        }
        var outcomes: [String: Int] = [:]
        let start = Date()
        for (k, source) in inputs.enumerated() {
            let out = CapturedOutput()
            let interp = Interpreter(stdout: out, stderr: out)
            interp.stepBudget = 3_000
            interp.maxSequenceLength = 100_000
            interp.builtins["input"] = nil
            // Keep fuzzed programs from sleeping for long.
            interp.modules.register("time") { _ in
                let m = Module(name: "time")
                m.addFunction("time") { _ in .float(0) }
                m.addFunction("perf_counter") { _ in .float(0) }
                m.addFunction("sleep") { _ in .none }
                return m
            }
            let session = Session(interpreter: interp)
            do {
                try session.execute(source, filename: "fuzz\(k).py")
                outcomes["ok", default: 0] += 1
            } catch let e as ScriptError {
                outcomes[e.typeName, default: 0] += 1
                XCTAssertFalse(session.render(e).isEmpty)
            } catch {
                XCTFail("input \(k) raised a non-script error: \(error)\n\(source)")
            }
        }
        XCTAssertEqual(outcomes.values.reduce(0, +), 10_000)
        XCTAssertGreaterThan(outcomes["SyntaxError", default: 0], 100)
        XCTAssertGreaterThan(outcomes["ok", default: 0], 100)
        print("fuzz outcomes in \(Int(Date().timeIntervalSince(start)))s:", outcomes.sorted { $0.value > $1.value }.prefix(12))
    }
}
