/// What an offline model was compiled for: `ct.set_core_version`, `ct.set_core_number`, the batch
/// of the generating run, and `ct.set_input_format` for firstconv models.
public struct OfflineTarget: Equatable, Sendable {
    public var coreVersion: CoreVersion
    public var coreNumber: Int
    public var batch: Int
    /// 0 rgba, 1 argb, 2 bgra, 3 abgr; nil when the model takes float input (no firstconv).
    public var inputFormat: Int?

    public init(coreVersion: CoreVersion, coreNumber: Int, batch: Int = 1, inputFormat: Int? = nil) {
        self.coreVersion = coreVersion
        self.coreNumber = coreNumber
        self.batch = batch
        self.inputFormat = inputFormat
    }
}
