extension OfflineModel {
    /// Writes `<name>.cambricon` and `<name>.cambricon_twins`, the pair `ct.save_as_cambricon(name)`
    /// produces; each file is written atomically, the model first.
    ///
    /// - Parameter name: a path without extension, e.g. "out/carseg_int8_fp16".
    /// - Returns: the two paths written.
    /// - Throws: `OfflineFormatError` for an invalid model, `FileWriteError` when writing fails.
    @discardableResult
    public func save(as name: String, opSet: OfflineOpSet = .current) throws -> (model: String, twins: String) {
        let modelPath = name + ".cambricon"
        let twinsPath = modelPath + "_twins"
        let fileName = modelPath.split(separator: "/").last.map(String.init) ?? modelPath
        try OfflineModelWriter.write(self, to: modelPath, opSet: opSet)
        try TwinsWriter.write(TwinsFile(model: self, modelFileName: fileName), to: twinsPath)
        return (modelPath, twinsPath)
    }
}
