import Foundation
import XCTest
@testable import Script

final class InterpreterTests: XCTestCase {
    private func session(_ configure: (Interpreter) -> Void = { _ in }) -> (Session, CapturedOutput) {
        let out = CapturedOutput()
        let interp = Interpreter(stdout: out, stderr: out)
        configure(interp)
        return (Session(interpreter: interp), out)
    }

    private func error(_ source: String, _ configure: (Interpreter) -> Void = { _ in }) -> ScriptError? {
        let (s, _) = session(configure)
        do {
            try s.execute(source, filename: "t.py")
            XCTFail("expected an error from \(source)")
        } catch let e as ScriptError {
            return e
        } catch {
            XCTFail("non-script error \(error)")
        }
        return nil
    }

    func testIntegerOverflowIsAnError() {
        XCTAssertEqual(error("x = 9223372036854775807 + 1")?.typeName, "OverflowError")
        XCTAssertEqual(error("x = 2 ** 64")?.typeName, "OverflowError")
        XCTAssertEqual(error("x = -(-9223372036854775807 - 1)")?.typeName, "OverflowError")
        XCTAssertEqual(error("x = 3 * 4611686018427387904")?.typeName, "OverflowError")
        XCTAssertEqual(error("x = 1 << 64")?.typeName, "OverflowError")
    }

    func testRecursionErrorInsteadOfCrash() {
        let e = error("def f(n):\n    return f(n + 1)\nf(0)\n")
        XCTAssertEqual(e?.typeName, "RecursionError")
        XCTAssertEqual(e?.span?.line, 2)
        let (s, out) = session()
        XCTAssertNoThrow(try s.execute("def d(n):\n    return 0 if n == 0 else 1 + d(n - 1)\nprint(d(950))\n"))
        XCTAssertEqual(out.take(), "950\n")
        XCTAssertEqual(error("a = []\nfor i in range(100000):\n    a = [a]\nprint(a)\n")?.typeName, "RecursionError")
        XCTAssertEqual(error("a = []\nb = []\nfor i in range(100000):\n    a = [a]\n    b = [b]\nprint(a == b)\n")?.typeName, "RecursionError")
    }

    func testStepBudgetIsFatalAndUncatchable() {
        let e = error("while True:\n    try:\n        pass\n    except:\n        pass\n") { $0.stepBudget = 10_000 }
        XCTAssertEqual(e?.typeName, "StepBudgetExceeded")
        XCTAssertEqual(e?.isFatal, true)
        XCTAssertEqual(error("sum(range(10 ** 15))") { $0.stepBudget = 10_000 }?.typeName, "StepBudgetExceeded")
    }

    func testMemoryLimitOnRepetition() {
        XCTAssertEqual(error("x = [0] * 10 ** 12")?.typeName, "MemoryError")
        XCTAssertEqual(error("x = 'ab' * 10 ** 12")?.typeName, "MemoryError")
        XCTAssertEqual(error("x = list(range(10 ** 12))")?.typeName, "MemoryError")
    }

    func testInterruptStopsRunningLoop() throws {
        let (s, _) = session()
        let done = expectation(description: "interrupted")
        var caught: String? = nil
        let thread = Thread {
            do {
                try s.execute("while True:\n    pass\n")
            } catch let e as ScriptError {
                caught = e.typeName
            } catch {}
            done.fulfill()
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.2)
        s.requestInterrupt()
        wait(for: [done], timeout: 10)
        XCTAssertEqual(caught, "KeyboardInterrupt")
        // The session keeps working afterwards.
        XCTAssertNoThrow(try s.execute("x = 1"))
    }

    func testSessionKeepsGlobalsAndReturnsLastExpression() throws {
        let (s, out) = session()
        XCTAssertNil(try s.execute("x = 40\ndef f(y):\n    return x + y\n"))
        let v = try s.execute("f(2)")
        guard case .int(42)? = v else { return XCTFail("\(String(describing: v))") }
        XCTAssertNil(try s.execute("print(f(1))"))
        XCTAssertEqual(out.take(), "41\n")
        XCTAssertEqual(s.globalNames, ["f", "x"])
        XCTAssertEqual(s.repr(try s.execute("[x, 'a', 1.5]") ?? .none), "[40, 'a', 1.5]")
        try s.execute("import os")
        guard let path = s.resolve("os.path") else { return XCTFail("os.path unresolved") }
        XCTAssertTrue(s.attributeNames(of: path).contains("join"))
        XCTAssertTrue(s.attributeNames(of: .str("")).contains("startswith"))
        s.setGlobal("_", .int(7))
        guard case .int(8)? = try s.execute("_ + 1") else { return XCTFail() }
    }

    func testErrorsKeepSessionUsable() throws {
        let (s, out) = session()
        XCTAssertThrowsError(try s.execute("1/0"))
        XCTAssertThrowsError(try s.execute("def ("))
        try s.execute("print('still fine')")
        XCTAssertEqual(out.take(), "still fine\n")
    }

    func testUnsupportedConstructsAreSyntaxErrorsNamingThem() {
        XCTAssertTrue(error("def g():\n    yield 1\n")?.exception.exceptionArgs.description.contains("yield") ?? false)
        let e = error("@cache\ndef f():\n    pass\n")
        XCTAssertEqual(e?.typeName, "SyntaxError")
    }

    func testPrintToStderrUsesSink() throws {
        let out = CapturedOutput()
        let err = CapturedOutput()
        let s = Session(interpreter: Interpreter(stdout: out, stderr: err))
        try s.execute("import sys\nprint('o')\nprint('e', file=sys.stderr)\nsys.stderr.write('w')\n")
        XCTAssertEqual(out.take(), "o\n")
        XCTAssertEqual(err.take(), "e\nw")
    }

    func testImportSearchPathAndMissingName() throws {
        let dir = NSTemporaryDirectory() + "mlus-import-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/pkg", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "VALUE = 5\ndef twice(x):\n    return 2 * x\n".write(toFile: dir + "/pkg/tools.mlus", atomically: true, encoding: .utf8)
        let (s, out) = session { $0.searchPath = [dir] }
        try s.execute("import pkg.tools\nfrom pkg.tools import twice\nprint(pkg.tools.VALUE, twice(4))\n")
        XCTAssertEqual(out.take(), "5 8\n")
        do {
            try s.execute("from pkg.tools import thrice")
            XCTFail()
        } catch let e as ScriptError {
            XCTAssertEqual(e.typeName, "ImportError")
            let message = (try? s.interpreter.exceptionMessage(e.exception)) ?? ""
            XCTAssertTrue(message.contains("thrice") && message.contains("pkg.tools"), message)
        }
    }
}
