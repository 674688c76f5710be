import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-line progress indicator on stderr for calibration loops (`calibrating 12/64 …`), shown only once a
/// run has lasted more than `delay` seconds, so short runs print nothing. On a terminal the line updates in
/// place; otherwise (logs, notebooks) a plain line is printed at most every 10 seconds.
public struct ProgressLine {
    public let label: String
    public let total: Int?
    private let start = Date()
    private let delay: TimeInterval
    private var shown = false
    private var lastPlain = Date.distantPast
    private let isTerminal = isatty(2) != 0

    public init(label: String, total: Int?, delay: TimeInterval = 2) {
        self.label = label
        self.total = total
        self.delay = delay
    }

    /// Reports `done` items finished.
    public mutating func update(_ done: Int) {
        let elapsed = Date().timeIntervalSince(start)
        guard elapsed >= delay else { return }
        shown = true
        let of = total.map { "/\($0)" } ?? ""
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let text = "\(label) \(done)\(of)  \(String(format: "%.1f", rate)) it/s"
        if isTerminal {
            FileHandle.standardError.write(Data(("\r" + text).utf8))
        } else if Date().timeIntervalSince(lastPlain) >= 10 || done == total {
            lastPlain = Date()
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Ends the line if one was updated in place.
    public func finish() {
        if shown && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
