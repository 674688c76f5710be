import XCTest
@testable import Script

final class ErrorRendererTests: XCTestCase {
    func testRenderSnapshot() {
        let report = ErrorReport(frames: [
            .init(file: "port.mlus", line: 7, column: 1, endLine: 7, endColumn: 12, function: "<module>", sourceLine: "main(model)"),
            .init(file: "port.mlus", line: 3, column: 12, endLine: 3, endColumn: 17, function: "main", sourceLine: "    return modle.eval()"),
        ], typeName: "NameError", message: "name 'modle' is not defined", hint: "did you mean 'model'?", isSyntaxError: false)
        XCTAssertEqual(ErrorRenderer.render(report), """
        Traceback (most recent call last):
          File "port.mlus", line 7, in <module>
            main(model)
          File "port.mlus", line 3, in main
        port.mlus:3:12
            return modle.eval()
                   ^^^^^
        NameError: name 'modle' is not defined
        hint: did you mean 'model'?

        """)
    }

    func testSyntaxErrorSnapshot() {
        let report = ErrorReport(frames: [
            .init(file: "a.py", line: 2, column: 7, endLine: 2, endColumn: 8, function: "<module>", sourceLine: "y = x +* 2"),
        ], typeName: "SyntaxError", message: "invalid syntax: unexpected '*'", hint: nil, isSyntaxError: true)
        XCTAssertEqual(ErrorRenderer.render(report), """
        a.py:2:7
            y = x +* 2
                  ^
        SyntaxError: invalid syntax: unexpected '*'

        """)
    }

    func testRepeatedFramesCollapse() {
        let frame = ErrorReport.Frame(file: "r.py", line: 2, column: 12, endLine: 2, endColumn: 22, function: "f", sourceLine: "    return f(n + 1)")
        let report = ErrorReport(frames: Array(repeating: frame, count: 10), typeName: "RecursionError",
                                 message: "maximum recursion depth exceeded", hint: nil, isSyntaxError: false)
        let text = ErrorRenderer.render(report)
        XCTAssertTrue(text.contains("[Previous line repeated 8 more times]"), text)
        XCTAssertTrue(text.hasSuffix("RecursionError: maximum recursion depth exceeded\n"))
    }

    func testEndToEndTracebackFromSession() {
        let out = CapturedOutput()
        let session = Session(interpreter: Interpreter(stdout: out, stderr: out))
        do {
            try session.execute("def load(cfg):\n    return cfg['batch_size']\nconfig = {'batch': 4}\nload(config)\n", filename: "cfg.py")
            XCTFail("expected KeyError")
        } catch let e as ScriptError {
            XCTAssertEqual(session.render(e), """
            Traceback (most recent call last):
              File "cfg.py", line 4, in <module>
                load(config)
              File "cfg.py", line 2, in load
            cfg.py:2:12
                return cfg['batch_size']
                       ^^^^^^^^^^^^^^^^^
            KeyError: 'batch_size'

            """)
        } catch {
            XCTFail("\(error)")
        }
    }

    func testAttributeHint() {
        let session = Session(interpreter: Interpreter(stdout: CapturedOutput(), stderr: CapturedOutput()))
        do {
            try session.execute("class M:\n    def forward(self): pass\nM().forwrd()\n", filename: "m.py")
        } catch let e as ScriptError {
            XCTAssertEqual(e.hint, "did you mean 'forward'?")
            XCTAssertEqual(e.span?.line, 3)
        } catch {
            XCTFail("\(error)")
        }
    }
}
