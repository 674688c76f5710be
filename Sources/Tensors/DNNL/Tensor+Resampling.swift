import CDNNL

/// oneDNN's linear resampling (OpenMP-parallel), used for the bilinear case where it computes PyTorch's
/// numbers: align_corners=False with a source step equal to input/output (given sizes, or a scale factor whose
/// reciprocal is exactly input/output, such as CarSegNet's ×2). Its coordinate rule, src = (dst + 0.5)·in/out − 0.5
/// with both taps clamped into the image, equals PyTorch's clamp of negative coordinates to 0; other cases
/// (align_corners=True, non-exact factors) run the C kernel, which follows PyTorch's rules directly.
extension Tensor {
    /// True when oneDNN's linear resampling reproduces `F.interpolate(..., mode="bilinear")` for these sizes.
    static func dnnlBilinearMatchesPyTorch(input: (Int, Int), output: (Int, Int), scaleFactor: (Double, Double)?, alignCorners: Bool) -> Bool {
        if alignCorners { return false }
        guard let s = scaleFactor else { return true }
        return Float(1.0 / s.0) == Float(input.0) / Float(output.0) && Float(1.0 / s.1) == Float(input.1) / Float(output.1)
    }

    /// Bilinear resize of a contiguous float32 NCHW tensor to `size` with oneDNN.
    func dnnlBilinear(size: (Int, Int)) throws -> Tensor {
        let x = contiguousFloat32()
        let out = Tensor(uninitialized: [shape[0], shape[1], size.0, size.1], dtype: .float32, device: device)
        if out.count == 0 { return out }
        let context = try DNNLContext.shared()
        let srcMd = try DNNLContext.desc(shape, dnnl_nchw)
        let dstMd = try DNNLContext.desc(out.shape, dnnl_nchw)
        let key = "resample-linear \(shape) \(out.shape) t\(EngineThreads.current)"
        let primitive = try context.primitive(key) {
            var s = srcMd, d = dstMd
            var desc = dnnl_resampling_desc_t()
            try DNNLContext.check(dnnl_resampling_forward_desc_init(&desc, dnnl_forward_inference, dnnl_resampling_linear, nil, &s, &d),
                                  "resampling_desc_init")
            return try DNNLPrimitive.make(context, opDesc: &desc, attr: nil, plain: [:], queries: [:])
        }
        try context.execute(primitive.primitive, pd: primitive.pd, [(DNNL_ARG_SRC, srcMd, x.baseAddress), (DNNL_ARG_DST, dstMd, out.baseAddress)])
        return out
    }
}
