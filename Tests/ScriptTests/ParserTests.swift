import XCTest
@testable import Script

final class ParserTests: XCTestCase {
    private func parse(_ s: String) throws -> [Stmt] { try Parser.parse(SourceFile(name: "t.py", text: s)) }

    private func parseError(_ s: String, file: StaticString = #filePath, line: UInt = #line) -> ParseError? {
        do {
            _ = try parse(s)
            XCTFail("expected a parse error for \(s)", file: file, line: line)
            return nil
        } catch let e as ParseError {
            return e
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
            return nil
        }
    }

    func testIncompleteInputIsDistinguishedFromInvalid() {
        for s in ["x = (1,", "def f():", "def f():\n", "class A:\n", "if x:\n    pass\nelse:", "s = '''abc", "x = 1 + \\",
                  "for i in range(3):", "d = {'a':", "try:\n    pass\n"] {
            XCTAssertTrue(Parser.isIncomplete(s), "should be incomplete: \(s.debugDescription)")
        }
        for s in ["x = 1", "x = )", "def f():\n    return 1\n", "1 = 2", "if x:\npass", "x = 'abc", "print(1))"] {
            XCTAssertFalse(Parser.isIncomplete(s), "should not be incomplete: \(s.debugDescription)")
        }
    }

    func testSpansCoverNodes() throws {
        let stmts = try parse("x = foo(1, b=2)\n")
        guard case .assign(_, let value) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(value.span.line, 1)
        XCTAssertEqual(value.span.column, 5)
        XCTAssertEqual(value.span.endColumn, 16)
        guard case .call(let callee, let args) = value.kind else { return XCTFail() }
        XCTAssertEqual(callee.span.column, 5)
        XCTAssertEqual(args.count, 2)
    }

    func testPrecedence() throws {
        let stmts = try parse("x = 1 + 2 * 3 ** 2 ** 1 - -4\n")
        guard case .assign(_, let e) = stmts[0].kind, case .binary(.sub, let lhs, _) = e.kind,
              case .binary(.add, _, let mul) = lhs.kind, case .binary(.mul, _, let pow) = mul.kind,
              case .binary(.pow, _, let inner) = pow.kind, case .binary(.pow, _, _) = inner.kind else {
            return XCTFail("wrong tree")
        }
    }

    func testScopeAnalysis() throws {
        let stmts = try parse("""
        def f(a, *args, **kw):
            global g
            nonlocal_name = 1
            for i, (j, k) in x: pass
            import os.path
            def inner(): pass
            g = 2
        """)
        guard case .functionDef(let def) = stmts[0].kind else { return XCTFail() }
        XCTAssertEqual(def.localNames, ["a", "args", "kw", "nonlocal_name", "i", "j", "k", "os", "inner"])
        XCTAssertEqual(def.globalNames, ["g"])
    }

    func testUnsupportedConstructsAreNamed() {
        let cases: [(String, String)] = [
            ("async def f():\n    pass\n", "'async'"),
            ("def f():\n    yield 1\n", "'yield'"),
            ("x = await y\n", "'await'"),
            ("if (n := 10) > 5:\n    pass\n", "walrus"),
            ("match x:\n    case 1:\n        pass\n", "'match'"),
            ("@functools.wraps\ndef f():\n    pass\n", "decorators"),
            ("class A(B, C):\n    pass\n", "multiple inheritance"),
            ("x = 3j\n", "complex"),
        ]
        for (src, word) in cases {
            guard let e = parseError(src) else { continue }
            XCTAssertTrue(e.message.contains(word), "\(src.debugDescription): message '\(e.message)' should name \(word)")
        }
    }

    func testSyntaxErrorLocations() {
        XCTAssertEqual(parseError("x = 1\ny = (2 +\nz = 3\n")?.span.line, 2)
        XCTAssertEqual(parseError("def f():\nreturn 1\n")?.kind, .indentation)
        XCTAssertEqual(parseError("x = 1\n    y = 2\n")?.message, "unexpected indent")
        XCTAssertEqual(parseError("f(a=1, 2)\n")?.message, "positional argument follows keyword argument")
        XCTAssertEqual(parseError("1 = x\n")?.message, "cannot assign to literal")
    }

    func testDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
        XCTAssertNotNil(parseError("x = " + deep + "\n"))
        let deepUnary = "x = " + String(repeating: "-", count: 5000) + "1\n"
        XCTAssertNotNil(parseError(deepUnary))
    }
}
