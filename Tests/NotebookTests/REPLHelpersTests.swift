import XCTest
@testable import Notebook

final class REPLHelpersTests: XCTestCase {
    func testPrompts() {
        XCTAssertEqual(REPL.prompt(3), "In [3]: ")
        XCTAssertEqual(REPL.continuationPrompt(3), "   ...: ")
        XCTAssertEqual(REPL.continuationPrompt(12), "    ...: ")
    }

    func testHelpTopics() {
        XCTAssertEqual(REPL.helpTopic("?len"), "len")
        XCTAssertEqual(REPL.helpTopic("os.path.join?"), "os.path.join")
        XCTAssertEqual(REPL.helpTopic("model??"), "model")
        XCTAssertNil(REPL.helpTopic("x = 1"))
        XCTAssertNil(REPL.helpTopic("f(x)?"))
        XCTAssertNil(REPL.helpTopic("?"))
    }

    func testStringLiteralEscapes() {
        XCTAssertEqual(REPL.stringLiteral("a\"b\\c\nd\u{1}"), #""a\"b\\c\nd\x01""#)
    }

    func testShellWords() {
        XCTAssertEqual(REPL.shellWords("train.mlus --lr 0.1 'two words'"), ["train.mlus", "--lr", "0.1", "two words"])
        XCTAssertEqual(REPL.shellWords("  "), [])
    }

    func testSecondsFormatting() {
        XCTAssertEqual(REPL.formatSeconds(1.5), "1.50 s")
        XCTAssertEqual(REPL.formatSeconds(0.0123), "12.3 ms")
        XCTAssertEqual(REPL.formatSeconds(0.000_456), "456 µs")
        XCTAssertEqual(REPL.formatSeconds(2.5e-8), "25.0 ns")
    }

    func testWhosTable() {
        XCTAssertEqual(REPL.table([["Variable", "Type", "Data/Info"], ["x", "int", "1"], ["name", "str", "'a'"]]),
                       "Variable   Type   Data/Info\n---------------------------\nx          int    1\nname       str    'a'")
    }

    func testCompletionColumns() {
        XCTAssertEqual(EditLineReader.columns(["a", "bbb", "cc"], width: 10), "a    bbb\ncc\n")
        XCTAssertEqual(EditLineReader.displayName("model.conv1"), "conv1")
        XCTAssertEqual(EditLineReader.displayName("images/sub/"), "sub/")
    }
}
