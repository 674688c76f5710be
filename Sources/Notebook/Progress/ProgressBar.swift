import Foundation

/// A progress bar for long loops (calibration, evaluation): items done of total, rate and time left.
///
/// On a terminal it redraws one line in place (`\r`), at most `redrawInterval` apart (10 times a second by
/// default), so a fast loop does not spend its time printing. When the output is not a terminal (a log, a
/// pipe, a notebook) it prints a plain line every `plainInterval` seconds and a final line, with no escape
/// codes. The clock and the output are injectable so the rendering can be tested.
public final class ProgressBar {
    public let label: String
    /// The number of items, when known (an iterator of unknown length shows a count and a rate only).
    public let total: Int?
    public private(set) var completed = 0

    let isTerminal: Bool
    let write: (String) -> Void
    let clock: () -> Double
    let redrawInterval: Double
    let plainInterval: Double
    let barWidth: Int
    let start: Double
    var lastDraw: Double?
    var finished = false

    /// - Parameters:
    ///   - write: receives the text to print (by default standard error, as tqdm does, so it does not mix
    ///     with a script's printed results).
    ///   - isTerminal: draw in place; by default whether standard error is a terminal.
    public init(
        total: Int?, label: String = "",
        isTerminal: Bool = isatty(STDERR_FILENO) == 1,
        redrawInterval: Double = 0.1, plainInterval: Double = 5, barWidth: Int = 24,
        clock: @escaping () -> Double = { ProcessInfo.processInfo.systemUptime },
        write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.total = total.map { max(0, $0) }
        self.label = label
        self.isTerminal = isTerminal
        self.redrawInterval = redrawInterval
        self.plainInterval = plainInterval
        self.barWidth = barWidth
        self.clock = clock
        self.write = write
        self.start = clock()
    }

    /// Records `count` more items done and redraws when it is time to.
    public func advance(by count: Int = 1) {
        guard !finished else { return }
        completed += count
        let now = clock()
        let interval = isTerminal ? redrawInterval : plainInterval
        if let last = lastDraw, now - last < interval { return }
        if !isTerminal && lastDraw == nil && now - start < interval {
            // A plain log gets no line for a loop that ends before the first interval, except the last one.
            return
        }
        draw(at: now)
    }

    /// Draws the final state and ends the line. Calling it again does nothing.
    public func finish() {
        guard !finished else { return }
        finished = true
        let now = clock()
        let line = Self.render(label: label, completed: completed, total: total, elapsed: now - start,
                               barWidth: isTerminal ? barWidth : 0)
        write(isTerminal ? "\r" + line + "\u{1B}[K\n" : line + "\n")
    }

    func draw(at now: Double) {
        lastDraw = now
        let line = Self.render(label: label, completed: completed, total: total, elapsed: now - start,
                               barWidth: isTerminal ? barWidth : 0)
        write(isTerminal ? "\r" + line + "\u{1B}[K" : line + "\n")
    }

    /// One line of progress, e.g. `calibrating  40%|#########-------------| 4/10 [00:02<00:03, 2.00 it/s]`;
    /// with `barWidth` 0 (plain mode) the bar is left out: `calibrating  40% 4/10 [00:02<00:03, 2.00 it/s]`.
    public static func render(label: String, completed: Int, total: Int?, elapsed: Double, barWidth: Int) -> String {
        let rate = elapsed > 0 ? Double(completed) / elapsed : 0
        let rateText = rate > 0 ? formatRate(rate) : "? it/s"
        var line = label.isEmpty ? "" : label + " "
        guard let total, total > 0 else {
            return line + "\(completed) [\(formatDuration(elapsed)), \(rateText)]"
        }
        let fraction = min(1, max(0, Double(completed) / Double(total)))
        let percent = Int((fraction * 100).rounded(.down))
        line += String(repeating: " ", count: max(0, 3 - String(percent).count)) + "\(percent)%"
        if barWidth > 0 {
            let filled = Int((fraction * Double(barWidth)).rounded(.down))
            line += "|" + String(repeating: "#", count: filled) + String(repeating: "-", count: barWidth - filled) + "|"
        }
        let remaining = completed >= total ? 0 : (rate > 0 ? Double(total - completed) / rate : nil)
        let eta = remaining.map(formatDuration) ?? "?"
        return line + " \(completed)/\(total) [\(formatDuration(elapsed))<\(eta), \(rateText)]"
    }

    /// `mm:ss`, or `h:mm:ss` from an hour on.
    static func formatDuration(_ seconds: Double) -> String {
        let whole = max(0, Int(seconds.rounded(.down)))
        let (hours, minutes, secs) = (whole / 3600, (whole / 60) % 60, whole % 60)
        let mmss = String(format: "%02d:%02d", minutes, secs)
        return hours > 0 ? "\(hours):\(mmss)" : mmss
    }

    /// Items per second, or seconds per item when slower than one a second (as tqdm shows them).
    static func formatRate(_ rate: Double) -> String {
        rate >= 1 ? String(format: "%.2f it/s", rate) : String(format: "%.2f s/it", 1 / rate)
    }
}
