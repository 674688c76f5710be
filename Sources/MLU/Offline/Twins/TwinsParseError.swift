/// A `.cambricon_twins` text that does not follow the layout of reference §5.
///
/// `line` is 1-based; `found` is the offending line (empty at end of file).
public struct TwinsParseError: Error, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var found: String

    public init(line: Int, message: String, found: String) {
        self.line = line
        self.message = message
        self.found = found
    }

    public var description: String {
        found.isEmpty ? "twins:\(line): \(message)" : "twins:\(line): \(message)\n    \(found)"
    }
}
