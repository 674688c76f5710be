import XCTest
@testable import Script

/// A Ctrl-C that lands between "the REPL armed the interrupt" and "the first statement ran" must stop the
/// chunk (the REPL soak once hung on `while True:` that way); a stale one is dropped only on request.
final class InterruptTimingTests: XCTestCase {
    private func session() -> Session {
        let out = CapturedOutput()
        return Session(interpreter: Interpreter(stdout: out, stderr: out))
    }

    func testInterruptRequestedBeforeTheChunkStartsStopsIt() {
        let s = session()
        s.requestInterrupt()
        // Before the fix, execute() cleared the request and this loop never ended.
        XCTAssertThrowsError(try s.execute("n = 0\nwhile True:\n    n += 1\n")) { error in
            XCTAssertEqual((error as? ScriptError)?.typeName, "KeyboardInterrupt")
        }
        XCTAssertNoThrow(try s.execute("m = 1"), "the request is used up")
    }

    func testDiscardedRequestDoesNotStopTheNextChunk() throws {
        let s = session()
        s.requestInterrupt()
        s.discardPendingInterrupt()
        let v = try s.execute("sum(range(10000))")
        guard case .int(49_995_000)? = v else { return XCTFail("\(String(describing: v))") }
    }
}
