/// The rounding and saturation of the MLU200 (reference §1.3): round half away from zero,
/// clamp to `[qmin, qmax]`. The product `x * scale` is taken in float32, as Catch does.
@inline(__always)
public func quantizeValue(_ x: Float, scale: Float, dtype: QuantDType) -> Float {
    let scaled = (x * scale).rounded(.toNearestOrAwayFromZero)
    if scaled.isNaN { return 0 }
    return Swift.min(Swift.max(scaled, dtype.qmin), dtype.qmax)
}

/// Quantizes `values` to integers (held exactly in floats), per tensor.
public func quantize(_ values: [Float], scale: Float, dtype: QuantDType) -> [Float] {
    var out = [Float](repeating: 0, count: values.count)
    let (lo, hi) = (dtype.qmin, dtype.qmax)
    values.withUnsafeBufferPointer { v in
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<v.count {
                let scaled = (v[i] * scale).rounded(.toNearestOrAwayFromZero)
                o[i] = scaled.isNaN ? 0 : Swift.min(Swift.max(scaled, lo), hi)
            }
        }
    }
    return out
}

/// Quantizes a weight laid out `[channels, rest...]` with one scale per leading channel.
public func quantizePerChannel(_ values: [Float], scales: [Float], dtype: QuantDType) -> [Float] {
    guard !scales.isEmpty else { return values }
    let perChannel = values.count / scales.count
    var out = [Float](repeating: 0, count: values.count)
    for c in 0..<scales.count {
        let base = c * perChannel
        for i in 0..<perChannel { out[base + i] = quantizeValue(values[base + i], scale: scales[c], dtype: dtype) }
    }
    return out
}

/// Integer values back to real ones: `q / scale`.
public func dequantize(_ values: [Float], scale: Float) -> [Float] {
    values.map { $0 / scale }
}
