/// The `qconfig_spec` dictionary of `quantize_dynamic_mlu` (reference §2), with Catch's code defaults.
///
/// `firstconv` defaults to `true`: the reference records a conflict (the MLU300 code's `mlu_qscheme`
/// says True, its doc says False) and MLU200-era scripts rely on the code default; docs/quantization.md
/// explains the choice. Unknown keys are kept in `ignoredKeys` so the caller can warn about typos such
/// as the official example's `'use_ave'`.
public struct QConfig: Equatable, Sendable {
    public var iteration = 1
    public var useAverage = false
    public var dataScale: Float = 1
    public var mean: [Float] = [0, 0, 0]
    public var std: [Float] = [1, 1, 1]
    public var firstConv = true
    public var perChannel = false
    public var method = "minmax"
    public private(set) var ignoredKeys: [String] = []
    /// Keys the user set explicitly (so a default firstconv can be warned about).
    public private(set) var explicitKeys: Set<String> = []

    public init() {}

    /// A value of the script's dictionary, already converted by the bindings.
    public enum Entry: Equatable, Sendable {
        case int(Int), float(Double), bool(Bool), string(String), list([Double])
    }

    /// Builds a config from the user's dictionary, checking each value's type and range.
    public init(_ entries: [(key: String, value: Entry)]) throws {
        self.init()
        for (key, value) in entries {
            explicitKeys.insert(key)
            switch key {
            case "iteration":
                guard case .int(let n) = value, n >= 1 else { throw bad(key, "expects an integer >= 1, got \(value)") }
                iteration = n
            case "use_avg":
                guard case .bool(let b) = value else { throw bad(key, "expects True or False, got \(value)") }
                useAverage = b
            case "data_scale":
                guard let x = value.number, x > 0 else { throw bad(key, "expects a positive number, got \(value)") }
                dataScale = Float(x)
            case "mean", "std":
                guard case .list(let xs) = value, [1, 3, 4].contains(xs.count) else {
                    throw bad(key, "expects a list of 1, 3 or 4 numbers, got \(value)")
                }
                guard xs.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                    throw bad(key, "values must be in [0, 1] (they are multiplied by 255 internally); got \(xs). For 0..255 statistics divide by 255")
                }
                if key == "std" && xs.contains(0) { throw bad(key, "values must be > 0, got \(xs)") }
                if key == "mean" { mean = xs.map(Float.init) } else { std = xs.map(Float.init) }
            case "firstconv":
                guard case .bool(let b) = value else { throw bad(key, "expects True or False, got \(value)") }
                firstConv = b
            case "per_channel":
                guard case .bool(let b) = value else { throw bad(key, "expects True or False, got \(value)") }
                perChannel = b
            case "method":
                guard case .string(let s) = value, s == "minmax" else { throw bad(key, "only 'minmax' is implemented, got \(value)") }
                method = s
            default:
                ignoredKeys.append(key)
            }
        }
        if mean.count != std.count { throw bad("mean", "has \(mean.count) values but std has \(std.count)") }
    }

    private func bad(_ key: String, _ message: String) -> QuantizationError {
        .invalidConfig(key: key, message: message)
    }
}

extension QConfig.Entry {
    var number: Double? {
        switch self {
        case .int(let n): return Double(n)
        case .float(let x): return x
        case .bool, .string, .list: return nil
        }
    }
}
