/// How far a hardware number can be trusted, as marked in reference cambricon.md.
public enum Confidence: String, Sendable, Codable {
    /// Read in driver or SDK sources.
    case high = "H"
    case mediumHigh = "M-H"
    case medium = "M"
    /// Press figures, unverified quotes, or mlus's own assumptions.
    case low = "L"
}

/// A number together with where it comes from and how sure we are of it.
///
/// Every device figure is one of these, so a latency estimate can always say what it rests on.
public struct Sourced<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public var value: Value
    public var source: String
    public var confidence: Confidence

    public init(_ value: Value, source: String, confidence: Confidence) {
        self.value = value
        self.source = source
        self.confidence = confidence
    }
}
