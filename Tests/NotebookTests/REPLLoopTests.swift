import XCTest
@testable import Notebook

/// The REPL loop over the real interpreter, fed lines by a scripted reader (the terminal side is covered
/// by scripts/tests/repl_pty.py).
final class REPLLoopTests: XCTestCase {
    final class ScriptedReader: LineReader {
        var lines: [LineReadResult]
        var prompts: [(prompt: String, indent: String)] = []
        var history: [String] = []

        init(_ lines: [LineReadResult]) { self.lines = lines }

        func readLine(prompt: String, indent: String) -> LineReadResult {
            prompts.append((prompt, indent))
            return lines.isEmpty ? .endOfInput : lines.removeFirst()
        }

        func addToHistory(_ line: String) { history.append(line) }
    }

    func testNumberingHistoryVariablesAndBlocks() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        let reader = ScriptedReader([
            .line("x = 2"),                 // In [1]
            .line("x * 21"),                // In [2] -> Out[2] 42
            .line("abandoned = ("), .interrupted,
            .line("class A:"),              // In [3]
            .line("    def f(self):"),
            .line("        return _ + 1"),
            .line("    "),
            .line("A().f()"),               // In [4] -> Out[4] 43
            .line("1 / 0"),                 // In [5] error
            .line("%who"),                  // In [6]
        ])
        let repl = REPL(engine: engine, reader: reader)
        XCTAssertEqual(repl.run(), 0)
        XCTAssertEqual(repl.executionCount, 7)
        XCTAssertEqual(repl.inputs[3], "class A:\n    def f(self):\n        return _ + 1")
        XCTAssertEqual(reader.prompts.map(\.prompt), [
            "In [1]: ", "In [2]: ", "In [3]: ", "   ...: ", "In [3]: ", "   ...: ", "   ...: ", "   ...: ",
            "In [4]: ", "In [5]: ", "In [6]: ", "In [7]: ",
        ])
        // Auto-indent: one level after `class A:`, two after `def`, back one after `return`.
        XCTAssertEqual(reader.prompts[5...7].map(\.indent), ["    ", "        ", "    "])
        XCTAssertEqual(engine.run("(_, __, _2, _4, Out[2], In[2])", filename: "<t>"), .value("(43, 42, 42, 43, 42, 'x * 21')"))
        XCTAssertEqual(engine.run("abandoned", filename: "<t>").errorName, "NameError")
        XCTAssertEqual(reader.history.first, "x = 2")
    }

    func testExitAndSysExitStatus() {
        let quit = REPL(engine: ScriptSessionEngine(scriptPath: nil, arguments: [""]),
                        reader: ScriptedReader([.line("exit"), .line("never = 1")]))
        XCTAssertEqual(quit.run(), 0)
        XCTAssertEqual(quit.executionCount, 2)
        let failing = REPL(engine: ScriptSessionEngine(scriptPath: nil, arguments: [""]),
                           reader: ScriptedReader([.line("import sys"), .line("sys.exit(7)"), .line("never = 1")]))
        XCTAssertEqual(failing.run(), 7)
    }
}

extension RunOutcome {
    var errorName: String? {
        if case .error(let name, _, _) = self { return name }
        return nil
    }
}
