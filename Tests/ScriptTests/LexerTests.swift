import XCTest
@testable import Script

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) throws -> [String] {
        try Lexer.tokenize(SourceFile(name: "t", text: source)).map { t in
            switch t.kind {
            case .name(let n): return "N:\(n)"
            case .int(let i): return "I:\(i)"
            case .float(let d): return "F:\(d)"
            case .string(let s): return "S:\(s)"
            case .fstring: return "FSTR"
            case .op(let o): return o
            case .newline: return "NL"
            case .indent: return "IN"
            case .dedent: return "DE"
            case .eof: return "EOF"
            }
        }
    }

    func testIndentationProducesIndentAndDedent() throws {
        let src = "if a:\n    b\n    if c:\n        d\ne\n"
        XCTAssertEqual(try kinds(src), ["N:if", "N:a", ":", "NL", "IN", "N:b", "NL", "N:if", "N:c", ":", "NL", "IN",
                                        "N:d", "NL", "DE", "DE", "N:e", "NL", "EOF"])
    }

    func testBlankAndCommentLinesDoNotAffectIndentation() throws {
        let src = "if a:\n\n    # comment\n    b  # trailing\n\n"
        XCTAssertEqual(try kinds(src), ["N:if", "N:a", ":", "NL", "IN", "N:b", "NL", "DE", "EOF"])
    }

    func testImplicitJoiningInsideBracketsAndBackslash() throws {
        XCTAssertEqual(try kinds("x = (1,\n     2)\ny = 1 + \\\n    2\n"),
                       ["N:x", "=", "(", "I:1", ",", "I:2", ")", "NL", "N:y", "=", "I:1", "+", "I:2", "NL", "EOF"])
    }

    func testNumberForms() throws {
        XCTAssertEqual(try kinds("0x1F 0o17 0b101 1_000 3.5 .5 1e3 2E-2 1_0.0_1"),
                       ["I:31", "I:15", "I:5", "I:1000", "F:3.5", "F:0.5", "F:1000.0", "F:0.02", "F:10.01", "NL", "EOF"])
    }

    func testStringForms() throws {
        XCTAssertEqual(try kinds(#"'a\tb' "q\"" r'\n' '''x"y''' "\x41\u00e9" 'a' 'b'"#),
                       ["S:a\tb", "S:q\"", "S:\\n", "S:x\"y", "S:Aé", "S:a", "S:b", "NL", "EOF"])
    }

    func testFStringParts() throws {
        let tokens = try Lexer.tokenize(SourceFile(name: "t", text: "f'a{x!r:>{w}}b{{c}}'"))
        guard case .fstring(let parts) = tokens[0].kind else { return XCTFail("not an f-string") }
        XCTAssertEqual(parts.count, 3)
        guard case .literal("a") = parts[0], case .field(let src, _, _, let conv, let spec, _) = parts[1],
              case .literal("b{c}") = parts[2] else { return XCTFail("unexpected parts \(parts)") }
        XCTAssertEqual(src, "x")
        XCTAssertEqual(conv, "r")
        XCTAssertEqual(spec?.count, 2)
    }

    func testErrorsCarryLocation() {
        XCTAssertThrowsError(try Lexer.tokenize(SourceFile(name: "t", text: "x = 1\ny = 0777\n"))) { e in
            guard let p = e as? ParseError else { return XCTFail("\(e)") }
            XCTAssertEqual(p.span.line, 2)
            XCTAssertEqual(p.span.column, 5)
            XCTAssertFalse(p.isIncomplete)
        }
        XCTAssertThrowsError(try Lexer.tokenize(SourceFile(name: "t", text: "s = '''abc\n"))) { e in
            XCTAssertTrue((e as? ParseError)?.isIncomplete ?? false)
        }
        XCTAssertThrowsError(try Lexer.tokenize(SourceFile(name: "t", text: "x = 99999999999999999999\n")))
        XCTAssertThrowsError(try Lexer.tokenize(SourceFile(name: "t", text: "x = b'bytes'\n")))
    }
}
