import CKernels

/// Batch normalisation and padding.
extension Tensor {
    /// Batch norm over dimension 1 of an [N, C, ...] input with given statistics:
    /// `(x - mean) / sqrt(var + eps) * weight + bias`, computed as one fused scale-and-shift per channel.
    /// `fusedReLU` applies ReLU in the same pass.
    public func batchNorm(mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?, eps: Double,
                          fusedReLU: Bool = false) throws -> Tensor {
        guard rank >= 2 else {
            throw TensorError.shapeMismatch("batch_norm: expected an input with at least 2 dimensions [N, C, ...], got \(shape)")
        }
        let c = shape[1]
        for (name, t) in [("running_mean", mean), ("running_var", variance)] + (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? []) {
            guard t.count == c else {
                throw TensorError.shapeMismatch("batch_norm: \(name) should contain \(c) elements not \(t.count) (input shape \(shape))")
            }
        }
        let (scale, shift) = Tensor.batchNormAffine(mean: mean, variance: variance, weight: weight, bias: bias, eps: eps)
        if dtype == .float32 && suggestedMemoryFormat == .channelsLast {
            let out = Tensor(uninitialized: shape, memoryFormat: .channelsLast, device: device)
            if count > 0 {
                mlus_channel_affine_nhwc_f32(out.baseAddress.assumingMemoryBound(to: Float.self), baseAddress.assumingMemoryBound(to: Float.self),
                                             scale, shift, Int64(count / c), Int64(c), fusedReLU ? 1 : 0)
            }
            return out
        }
        let x = contiguousFloat32()
        let out = Tensor(uninitialized: shape, dtype: .float32, device: device)
        if count > 0 {
            mlus_channel_affine_f32(out.baseAddress.assumingMemoryBound(to: Float.self), x.baseAddress.assumingMemoryBound(to: Float.self),
                                    scale, shift, Int64(shape[0]), Int64(c), Int64(shape[2...].reduce(1, *)), fusedReLU ? 1 : 0)
        }
        return out
    }

    /// The per-channel `x · scale + shift` that `batchNorm` applies (computed in Double, rounded once to
    /// Float), for kernels that fuse a BatchNorm and must give its bits (the quantized convolution's epilogue).
    /// The tensors hold one value per channel (checked by the caller).
    public static func batchNormAffine(mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?,
                                       eps: Double) -> (scale: [Float], shift: [Float]) {
        let m = mean.to(.float64).scalars(), v = variance.to(.float64).scalars()
        let w = weight?.scalars(), b = bias?.scalars()
        let c = Swift.min(m.count, v.count)
        var scale = [Float](repeating: 0, count: c), shift = [Float](repeating: 0, count: c)
        for i in 0..<c {
            let inv = 1.0 / (v[i] + eps).squareRoot()
            let s = inv * (w?[i] ?? 1)
            scale[i] = Float(s)
            shift[i] = Float((b?[i] ?? 0) - m[i] * s)
        }
        return (scale, shift)
    }

    /// Per-channel batch statistics (mean and biased variance over every dimension but 1), as training-mode
    /// batch norm uses them.
    public func batchStatistics() throws -> (mean: Tensor, variance: Tensor) {
        guard rank >= 2 else { throw TensorError.shapeMismatch("batch_norm: expected at least 2 dimensions, got \(shape)") }
        let dims = [0] + Array(2..<rank)
        let perChannel = count / Swift.max(shape[1], 1)
        guard perChannel > 1 else {
            throw TensorError.invalidArgument("Expected more than 1 value per channel when training, got input size \(shape)")
        }
        let mean = try to(.float32).mean(dims: dims)
        var meanShape = [Int](repeating: 1, count: rank)
        meanShape[1] = shape[1]
        let centered = try to(.float32).binary(.sub, mean.reshape(meanShape))
        let variance = try centered.binary(.mul, centered).mean(dims: dims)
        return (mean, variance)
    }

    /// Constant padding (`F.pad(x, pad, value=...)`): `pad` lists (before, after) pairs starting from the
    /// last dimension. Negative padding crops.
    public func padded(_ pad: [Int], value: Double = 0) throws -> Tensor {
        guard pad.count % 2 == 0, pad.count / 2 <= rank else {
            throw TensorError.invalidArgument("Padding length must be divisible by 2 and at most twice the number of dimensions; got \(pad.count) values for input \(shape)")
        }
        var outShape = shape
        var starts = [Int](repeating: 0, count: rank)
        for i in 0..<(pad.count / 2) {
            let d = rank - 1 - i
            outShape[d] = shape[d] + pad[2 * i] + pad[2 * i + 1]
            starts[d] = pad[2 * i]
            guard outShape[d] >= 0 else {
                throw TensorError.invalidArgument("The input size \(shape[d]), plus negative padding \(pad[2 * i]) and \(pad[2 * i + 1]) resulted in a negative output size, which is invalid. Check dimension \(d) of your input (shape \(shape))")
            }
        }
        try Tensor.checkAllocation(outShape, dtype: dtype, op: "pad")
        let out = try Tensor.full(outShape, value: value, dtype: dtype, device: device)
        // Copy the overlapping region: crop the source where padding is negative, offset the target where positive.
        var src = self, dst = out
        for d in 0..<rank where starts[d] != 0 || outShape[d] != shape[d] {
            let lo = starts[d]
            let srcStart = Swift.max(-lo, 0), dstStart = Swift.max(lo, 0)
            let length = Swift.min(shape[d] - srcStart, outShape[d] - dstStart)
            if length <= 0 { return out }
            src = try src.narrow(d, start: srcStart, length: length)
            dst = try dst.narrow(d, start: dstStart, length: length)
        }
        try dst.copyElements(from: src)
        return out
    }
}
