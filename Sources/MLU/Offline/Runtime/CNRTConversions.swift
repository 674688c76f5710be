import Tensors

/// Host-side helpers of CNRT (`cnrtCastDataType`, `cnrtTransOrderAndCast`): dtype casts between
/// FP32 and FP16, and NHWC <-> NCHW transposes, for preparing inputs and reading outputs.
public enum CNRT {
    /// `cnrtCastDataType` between float32 and float16 (round to nearest even when narrowing).
    /// Returns a new contiguous tensor; casting to the same dtype copies.
    /// - Throws: `CNRTError.unsupportedCast` for any other pair.
    public static func cast(_ t: Tensor, to dtype: DType) throws -> Tensor {
        let supported: Set<DType> = [.float32, .float16]
        guard supported.contains(t.dtype), supported.contains(dtype) else {
            throw CNRTError.unsupportedCast(from: t.dtype, to: dtype)
        }
        let source = t.floats()
        var out = Tensor(uninitialized: t.shape, dtype: dtype, device: t.device)
        switch dtype {
        case .float16:
            let p = out.baseAddress.assumingMemoryBound(to: Float16.self)
            for (i, v) in source.enumerated() { p[i] = Float16(v) }
        default:
            let p = out.baseAddress.assumingMemoryBound(to: Float.self)
            for (i, v) in source.enumerated() { p[i] = v }
        }
        out.offset = 0
        return out
    }

    /// FP16 output → FP32, what every CNRT demo does after `cnrtMemcpy` back to the host.
    public static func float16ToFloat32(_ t: Tensor) throws -> Tensor { try cast(t, to: .float32) }

    /// FP32 host input → FP16 for a model with `CNRT_FLOAT16` input.
    public static func float32ToFloat16(_ t: Tensor) throws -> Tensor { try cast(t, to: .float16) }

    /// NHWC → NCHW (order `{0, 3, 1, 2}`), a contiguous copy.
    /// - Throws: `CNRTError.rankNotFour`.
    public static func nhwcToNCHW(_ t: Tensor) throws -> Tensor {
        try permute(t, [0, 3, 1, 2], "NHWC to NCHW")
    }

    /// NCHW → NHWC (order `{0, 2, 3, 1}`), a contiguous copy.
    /// - Throws: `CNRTError.rankNotFour`.
    public static func nchwToNHWC(_ t: Tensor) throws -> Tensor {
        try permute(t, [0, 2, 3, 1], "NCHW to NHWC")
    }

    /// `cnrtTransOrderAndCast` as the demos use it on 4-D outputs: NHWC FP16/FP32 → NCHW FP32.
    public static func nhwcToNCHWFloat32(_ t: Tensor) throws -> Tensor {
        try cast(try nhwcToNCHW(t), to: .float32)
    }

    private static func permute(_ t: Tensor, _ order: [Int], _ operation: String) throws -> Tensor {
        guard t.rank == 4 else { throw CNRTError.rankNotFour(operation: operation, shape: t.shape) }
        let view = Tensor(storage: t.storage, shape: order.map { t.shape[$0] }, strides: order.map { t.strides[$0] },
                          offset: t.offset, dtype: t.dtype, device: t.device)
        return view.dense()
    }
}
