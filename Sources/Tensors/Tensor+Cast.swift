import CKernels

/// Dtype conversion.
extension Tensor {
    /// A tensor of `dtype` with the same values (self when the dtype already matches).
    /// float32→float16 rounds to nearest even, as PyTorch's `.half()`; floats truncate toward zero into integers.
    public func to(_ dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let source = contiguous()
        var out = Tensor(uninitialized: shape, dtype: dtype, device: device)
        let n = count
        if n == 0 { return out }
        switch (source.dtype, dtype) {
        case (.float32, .float16):
            mlus_f32_to_f16(source.baseAddress.assumingMemoryBound(to: Float.self),
                            out.baseAddress.assumingMemoryBound(to: UInt16.self), n)
        case (.float16, .float32):
            mlus_f16_to_f32(source.baseAddress.assumingMemoryBound(to: UInt16.self),
                            out.baseAddress.assumingMemoryBound(to: Float.self), n)
        case (.float32, .float64):
            let s = source.baseAddress.assumingMemoryBound(to: Float.self)
            let d = out.baseAddress.assumingMemoryBound(to: Double.self)
            for i in 0..<n { d[i] = Double(s[i]) }
        case (.float64, .float32):
            let s = source.baseAddress.assumingMemoryBound(to: Double.self)
            let d = out.baseAddress.assumingMemoryBound(to: Float.self)
            for i in 0..<n { d[i] = Float(s[i]) }
        default:
            if source.dtype == .int64 && dtype.category == 1 {
                let s = source.baseAddress.assumingMemoryBound(to: Int64.self)
                for i in 0..<n { out.storeInteger(s[i], at: i) }
            } else {
                let base = source.offset
                for i in 0..<n { out.storeScalar(source.loadScalar(base + i), at: i) }
            }
        }
        out.offset = 0
        return out
    }

    /// Stores an exact integer, wrapping into narrower integer dtypes.
    private func storeInteger(_ value: Int64, at index: Int) {
        let p = storage.bytes
        switch dtype {
        case .int64: p.storeBytes(of: value, toByteOffset: index * 8, as: Int64.self)
        case .int32: p.storeBytes(of: Int32(truncatingIfNeeded: value), toByteOffset: index * 4, as: Int32.self)
        case .int16: p.storeBytes(of: Int16(truncatingIfNeeded: value), toByteOffset: index * 2, as: Int16.self)
        case .int8: p.storeBytes(of: Int8(truncatingIfNeeded: value), toByteOffset: index, as: Int8.self)
        case .uint8: p.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: index, as: UInt8.self)
        case .float32, .float64, .float16, .bfloat16, .bool: storeScalar(Double(value), at: index)
        }
    }

    /// Contiguous float32 data (a copy only when needed), the input form of the fast kernels.
    public func contiguousFloat32() -> Tensor {
        let t = to(.float32)
        return t.contiguous()
    }

    /// Returns the same tensor tagged with another device (the MLU is emulated in host memory).
    public func to(_ device: Device) -> Tensor {
        var t = self
        t.device = device
        return t
    }
}
