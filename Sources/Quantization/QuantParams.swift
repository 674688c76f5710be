/// The quantization of one tensor: symmetric, zero offset, `q = clamp(round_half_away(x * scale))`.
///
/// Catch stores the multiplicative scale `qmax / absmax` (reference §1.1); the CNML hardware
/// representation `(position, scale)` (reference §1.2) describes the same step and is derived
/// here for display in `mlus inspect` and the twins file.
public struct QuantParams: Equatable, Sendable {
    public var dtype: QuantDType
    /// One scale per tensor, or one per output channel.
    public var scales: [Float]

    public init(dtype: QuantDType, scales: [Float]) {
        self.dtype = dtype
        self.scales = scales
    }

    public var isPerChannel: Bool { scales.count > 1 }

    /// Catch's `_calculate_qparams`: `scale = qmax / max(max, -min)`; 1.0 when the range is empty or NaN.
    public static func scale(min: Float, max: Float, dtype: QuantDType) -> Float {
        if min.isNaN || max.isNaN { return 1 }
        let absmax = Swift.max(max, -min)
        if !(absmax > 0) || !absmax.isFinite { return 1 }
        return dtype.qmax / absmax
    }

    /// Per-tensor parameters for values in `[min, max]`.
    public init(min: Float, max: Float, dtype: QuantDType) {
        self.init(dtype: dtype, scales: [QuantParams.scale(min: min, max: max, dtype: dtype)])
    }

    /// The CNML hardware encoding of a per-tensor scale, following the MLU300 Catch conversion
    /// (reference §1.2, derivation 2): `pos = floor(log2(absmax)) - (n-2)`,
    /// `scale_cnml = 2^pos * (2^(n-1)-1) / absmax`; the quantization step `2^pos / scale_cnml`
    /// equals `1 / scale`.
    public static func cnmlPositionScale(scale: Float, dtype: QuantDType) -> (position: Int, scale: Float) {
        guard scale > 0, scale.isFinite else { return (0, 1) }
        let absmax = Double(dtype.qmax) / Double(scale)
        let position = Int((absmax).log2Floor) - (dtype.bitWidth - 2)
        let cnmlScale = pow2(position) * Double(dtype.qmax) / absmax
        return (position, Float(cnmlScale))
    }
}

private func pow2(_ exponent: Int) -> Double { Double(sign: .plus, exponent: exponent, significand: 1) }

private extension Double {
    var log2Floor: Double { Double(exponent) }
}
