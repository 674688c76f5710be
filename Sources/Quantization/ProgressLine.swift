import Foundation

/// A one-line progress indicator on stderr for calibration loops (`calibrating 12/64 …`), shown only once a
/// run has lasted more than `delay` seconds, so short runs print nothing.
public struct ProgressLine {
    public let label: String
    public let total: Int?
    private let start = Date()
    private let delay: TimeInterval
    private var shown = false

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
        FileHandle.standardError.write(Data("\r\(label) \(done)\(of)  \(String(format: "%.1f", rate)) it/s".utf8))
    }

    /// Ends the line if one was shown.
    public func finish() {
        if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
