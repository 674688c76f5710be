/// Facts about this build that generated files record.
public enum MLURuntime {
    /// Written into every offline model's provenance (the `mlus --version` string).
    public static let toolVersion = "mlus 0.1.0"
}
