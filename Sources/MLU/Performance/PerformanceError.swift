/// Errors of the performance model.
public enum PerformanceError: Error, Equatable, CustomStringConvertible {
    case invalidCost(layer: String, field: String, value: Double)
    case invalidAssumption(field: String, value: Double)

    public var description: String {
        switch self {
        case let .invalidCost(layer, field, value):
            return "layer '\(layer)': \(field) is \(value); it must be finite and non-negative"
        case let .invalidAssumption(field, value):
            return "roofline assumption \(field) is \(value); it must be in (0, 1] (overhead: finite, non-negative)"
        }
    }
}
