import XCTest
@testable import Notebook

/// Random and mutated input through the pure parts (cell splitter, input collector, completer, magic
/// helpers): none may crash, and their basic contracts hold.
final class RobustnessTests: XCTestCase {
    /// SplitMix64, so a failure can be replayed from the printed seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = ["# %%", "# %% [markdown]", "#", "\n", "\r\n", " ", "    ", ":", "'", "\"", "\"\"\"", "(", ")",
                         "[", "]", "{", "}", "\\", "x", "def f():", "return", "%time", "?", "é", "→", "\t", "model.",
                         "os.path.", "'/tm", "1.5", "..", "_", "@", "pass"]

    func randomText(_ generator: inout Generator) -> String {
        let count = Int.random(in: 0...30, using: &generator)
        return (0..<count).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
    }

    func testRandomInputsDoNotCrash() {
        var generator = Generator(state: 20261127)
        let completer = Completer(source: TableSource(globals: ["model", "x"], attributes: ["model": ["conv1"]]),
                                  magics: REPL.magicNames, currentDirectory: { "/tmp" })
        for _ in 0..<3000 {
            let text = randomText(&generator)
            for cell in CellSplitter.split(text) {
                XCTAssertGreaterThanOrEqual(cell.firstLine, 1)
                XCTAssertFalse(cell.source.isEmpty)
            }
            var input = CellInput(isIncomplete: { $0.count % 3 == 0 })
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if case .run = input.append(String(line)) { input.reset() }
            }
            let cursor = Int.random(in: -2...(text.count + 2), using: &generator)
            let result = completer.complete(line: text, cursor: cursor)
            for candidate in result.candidates where !result.prefix.isEmpty {
                XCTAssertTrue(candidate.hasPrefix(result.prefix) || result.prefix.hasPrefix("~"), "\(candidate) \(result.prefix)")
            }
            _ = REPL.helpTopic(text)
            _ = REPL.shellWords(text)
            _ = CellInput.nextIndent(after: text.components(separatedBy: "\n"))
            _ = LineScan(text)
            _ = MarkdownTranscriptWriter.fenced(text, info: "")
        }
    }
}
