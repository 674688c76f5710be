/// Where an offline model came from, so a deployed file can be traced back to its checkpoint.
public struct OfflineProvenance: Equatable, Sendable {
    /// SHA-256 of the source checkpoint file (32 bytes).
    public var sourceSHA256: [UInt8]
    /// e.g. "mlus 0.1.0".
    public var toolVersion: String
    /// Seconds since 1970-01-01 UTC; an input so that writing stays deterministic.
    public var creationTime: Int64
    /// The quantization settings as text (dtype, per_channel, firstconv, mean, std, ...).
    public var quantizationSettings: [String: String]

    public init(sourceSHA256: [UInt8], toolVersion: String, creationTime: Int64, quantizationSettings: [String: String] = [:]) {
        self.sourceSHA256 = sourceSHA256
        self.toolVersion = toolVersion
        self.creationTime = creationTime
        self.quantizationSettings = quantizationSettings
    }
}
