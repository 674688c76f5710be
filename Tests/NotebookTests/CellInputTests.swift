import XCTest
@testable import Notebook

final class CellInputTests: XCTestCase {
    /// A stand-in for the parser's test, enough for these inputs: unbalanced parentheses are unfinished.
    static func unbalanced(_ text: String) -> Bool {
        text.filter { $0 == "(" }.count > text.filter { $0 == ")" }.count
    }

    func testSimpleStatementRunsAtOnce() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("x = 1"), .run("x = 1"))
    }

    func testBlockNeedsBlankLineAndAutoIndents() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("class A:"), .needMore(indent: "    "))
        XCTAssertEqual(input.append("    def f(self):"), .needMore(indent: "        "))
        XCTAssertEqual(input.append("        return 1"), .needMore(indent: "    "))
        XCTAssertEqual(input.append("    x = 2  # not a block:"), .needMore(indent: "    "))
        XCTAssertEqual(input.append(""), .run("class A:\n    def f(self):\n        return 1\n    x = 2  # not a block:"))
    }

    func testBracketsContinueUntilClosed() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("total = max(1,"), .needMore(indent: ""))
        XCTAssertEqual(input.append(""), .needMore(indent: ""))
        XCTAssertEqual(input.append("  2)"), .run("total = max(1,\n\n  2)"))
    }

    func testColonInsideBracketOrStringDoesNotOpenBlock() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("print('a:')"), .run("print('a:')"))
        var dict = CellInput(isIncomplete: { $0.filter { $0 == "{" }.count > $0.filter { $0 == "}" }.count })
        XCTAssertEqual(dict.append("d = {1:"), .needMore(indent: ""))
        XCTAssertEqual(dict.append("2}"), .run("d = {1:\n2}"))
    }

    func testOneLineCompoundStatementAndDecorator() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("for i in range(3): print(i)"), .run("for i in range(3): print(i)"))
        var decorated = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(decorated.append("@staticmethod"), .needMore(indent: ""))
    }

    func testBlankLineInsideDocstringOrBracketKeepsTheBlockOpen() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("def f():"), .needMore(indent: "    "))
        XCTAssertEqual(input.append("    \"\"\"Doc."), .needMore(indent: "    "))
        XCTAssertEqual(input.append(""), .needMore(indent: "    "))
        XCTAssertEqual(input.append("    More.\"\"\""), .needMore(indent: "    "))
        XCTAssertEqual(input.append("    return [1,"), .needMore(indent: "    "))
        XCTAssertEqual(input.append(""), .needMore(indent: "    "))
        XCTAssertEqual(input.append("        2]"), .needMore(indent: "        "))
        XCTAssertEqual(input.append(""), .run("def f():\n    \"\"\"Doc.\n\n    More.\"\"\"\n    return [1,\n\n        2]"))
    }

    func testBlankFirstLineRunsNothing() {
        var input = CellInput(isIncomplete: Self.unbalanced)
        XCTAssertEqual(input.append("   "), .run(""))
    }
}
