import XCTest
@testable import Notebook

final class ProgressBarTests: XCTestCase {
    func testRenderWithBarAndETA() {
        // 4 of 10 in 2 s: 2 it/s, 6 left -> 3 s to go.
        XCTAssertEqual(ProgressBar.render(label: "calibrating", completed: 4, total: 10, elapsed: 2, barWidth: 10),
                       "calibrating  40%|####------| 4/10 [00:02<00:03, 2.00 it/s]")
        XCTAssertEqual(ProgressBar.render(label: "", completed: 10, total: 10, elapsed: 125, barWidth: 0),
                       "100% 10/10 [02:05<00:00, 12.50 s/it]")
        XCTAssertEqual(ProgressBar.render(label: "eval", completed: 0, total: 8, elapsed: 0, barWidth: 0),
                       "eval   0% 0/8 [00:00<?, ? it/s]")
        XCTAssertEqual(ProgressBar.render(label: "n", completed: 7, total: nil, elapsed: 3700, barWidth: 5),
                       "n 7 [1:01:40, 528.57 s/it]")
    }

    func testCountsOutsideTheTotalStayInTheBar() {
        XCTAssertEqual(ProgressBar.render(label: "", completed: -2, total: 4, elapsed: 1, barWidth: 4),
                       "  0%|----| -2/4 [00:01<?, ? it/s]")
        XCTAssertEqual(ProgressBar.render(label: "", completed: 6, total: 4, elapsed: 2, barWidth: 4),
                       "100%|####| 6/4 [00:02<00:00, 3.00 it/s]")
    }

    func testPlainModePrintsPeriodicLinesWithoutEscapes() {
        var now = 100.0
        var lines: [String] = []
        let bar = ProgressBar(total: 4, label: "eval", isTerminal: false, plainInterval: 5,
                              clock: { now }, write: { lines.append($0) })
        now = 101; bar.advance()          // before the first interval: nothing
        now = 106; bar.advance()          // 6 s in: a line
        now = 107; bar.advance()          // 1 s after the last line: nothing
        now = 110; bar.finish()           // the final line
        bar.finish()                      // a second finish adds nothing
        // 6 s in, 2 done: 3.00 s/it, 2 left -> 00:06; at the end, 10 s for 3: 3.33 s/it, 1 left -> 00:03.
        XCTAssertEqual(lines, ["eval  50% 2/4 [00:06<00:06, 3.00 s/it]\n",
                               "eval  75% 3/4 [00:10<00:03, 3.33 s/it]\n"])
        XCTAssertFalse(lines.joined().contains("\u{1B}"))
        XCTAssertFalse(lines.joined().contains("\r"))
    }

    func testTerminalModeRedrawsInPlaceAtMostTenTimesASecond() {
        var now = 0.0
        var output = ""
        let bar = ProgressBar(total: 100, label: "x", isTerminal: true, barWidth: 4, clock: { now }, write: { output += $0 })
        for step in 1...100 {
            now = Double(step) * 0.01   // 100 items in 1 s
            bar.advance()
        }
        bar.finish()
        let draws = output.components(separatedBy: "\r").count - 1
        XCTAssertLessThanOrEqual(draws, 12)
        XCTAssertGreaterThanOrEqual(draws, 9)
        XCTAssertTrue(output.hasSuffix("\rx 100%|####| 100/100 [00:01<00:00, 100.00 it/s]\u{1B}[K\n"), output)
    }
}
