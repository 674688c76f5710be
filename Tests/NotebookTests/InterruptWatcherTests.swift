import Foundation
import XCTest
@testable import Notebook

/// Ctrl-C between reading a line and starting to run it belongs to that run (the REPL soak hung on it).
final class InterruptWatcherTests: XCTestCase {
    func testCtrlCJustBeforeARunInterruptsIt() {
        let watcher = InterruptWatcher.shared
        watcher.install()
        // Nothing is running: the handler only marks the interrupt pending.
        raise(SIGINT)
        XCTAssertTrue(watcher.isPending)
        var interrupted = 0
        watcher.whileRunning(interrupt: { interrupted += 1 }) {}
        XCTAssertGreaterThanOrEqual(interrupted, 1, "the early Ctrl-C reached the run")
        XCTAssertFalse(watcher.isPending)
        // The next run starts clean.
        var again = 0
        watcher.whileRunning(interrupt: { again += 1 }) {}
        XCTAssertEqual(again, 0)
    }
}
