/// Records the range of a quantized layer's input during calibration (Catch's `MLUMinMaxObserver`,
/// reference §1.5).
///
/// Each call sees a whole input (batch included): `imin = min(x) * data_scale`, `imax = max(x) * data_scale`.
/// The first call sets the range; later calls keep the running min/max, or with `use_avg` the
/// slightly biased running mean `(m*k + new)/(k+1)` where `k` is the call count already incremented.
/// Only the first `iteration` calls are recorded; later ones are counted and ignored, with Catch's warning.
public struct MinMaxObserver: Sendable {
    public let iterationLimit: Int
    public let useAverage: Bool
    public let dataScale: Float
    public private(set) var min: Float = 0
    public private(set) var max: Float = 0
    /// Calls recorded so far.
    public private(set) var recordedCalls = 0
    /// Calls seen after the limit was reached.
    public private(set) var ignoredCalls = 0

    public init(iterationLimit: Int = 1, useAverage: Bool = false, dataScale: Float = 1) {
        self.iterationLimit = iterationLimit
        self.useAverage = useAverage
        self.dataScale = dataScale
    }

    public init(config: QConfig) {
        self.init(iterationLimit: config.iteration, useAverage: config.useAverage, dataScale: config.dataScale)
    }

    public var hasObservations: Bool { recordedCalls > 0 }

    /// Catch's warning once the limit is passed.
    public static let limitWarning =
        "[warning] It seems that evaluation reaches maxium img_num or iteration is in network. Quantization still works."

    /// Records one input given its minimum and maximum element. Returns false when the call was ignored.
    @discardableResult
    public mutating func observe(min batchMin: Float, max batchMax: Float) -> Bool {
        guard recordedCalls < iterationLimit else {
            ignoredCalls += 1
            return false
        }
        let imin = batchMin * dataScale
        let imax = batchMax * dataScale
        recordedCalls += 1
        if recordedCalls == 1 {
            min = imin
            max = imax
        } else if useAverage {
            let k = Float(recordedCalls)
            min = (min * k + imin) / (k + 1)
            max = (max * k + imax) / (k + 1)
        } else {
            min = Swift.min(min, imin)
            max = Swift.max(max, imax)
        }
        return true
    }

    /// Records one input's elements.
    @discardableResult
    public mutating func observe(_ values: [Float]) -> Bool {
        guard let lo = values.min(), let hi = values.max() else { return false }
        return observe(min: lo, max: hi)
    }

    /// The scale of the recorded range for `dtype`.
    public func params(dtype: QuantDType) -> QuantParams {
        QuantParams(min: min, max: max, dtype: dtype)
    }
}
