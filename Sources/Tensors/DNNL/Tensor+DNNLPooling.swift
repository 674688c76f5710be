import CDNNL

/// oneDNN max pooling (`pooling_v2`, with dilation). PyTorch's `ceil_mode` becomes extra right padding; oneDNN's
/// max pooling never reads padding, which is PyTorch's −∞ padding. NaN inputs are the one difference (PyTorch
/// propagates them), so `maxPool2d` sends inputs holding NaN to the C kernel.
extension Tensor {
    /// Max pooling of a 4-D NCHW float32 tensor whose output size `(oh, ow)` is already validated.
    func dnnlMaxPool2d(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), output: (Int, Int)) throws -> Tensor {
        // Channels-last input stays channels-last (PyTorch's rule); oneDNN reads and writes NHWC directly.
        let channelsLast = dtype == .float32 && suggestedMemoryFormat == .channelsLast
        let x = channelsLast ? self : contiguousFloat32()
        let out = Tensor(uninitialized: [shape[0], shape[1], output.0, output.1], memoryFormat: channelsLast ? .channelsLast : .contiguous,
                         device: device)
        if out.count == 0 { return out }
        // Right padding so that oneDNN's floor formula yields PyTorch's (possibly ceil-mode) output size.
        let padRH = (output.0 - 1) * stride.0 + (kernel.0 - 1) * dilation.0 + 1 - shape[2] - padding.0
        let padRW = (output.1 - 1) * stride.1 + (kernel.1 - 1) * dilation.1 + 1 - shape[3] - padding.1
        let context = try DNNLContext.shared()
        let tag = channelsLast ? dnnl_nhwc : dnnl_nchw
        let srcMd = try DNNLContext.desc(shape, tag)
        let dstMd = try DNNLContext.desc(out.shape, tag)
        let key = "maxpool \(shape) cl\(channelsLast) k\(kernel) s\(stride) p\(padding) d\(dilation) o\(output) t\(EngineThreads.current)"
        let primitive = try context.primitive(key) {
            var s = srcMd, d = dstMd
            var desc = dnnl_pooling_v2_desc_t()
            try DNNLContext.check(dnnl_pooling_v2_forward_desc_init(
                &desc, dnnl_forward_inference, dnnl_pooling_max, &s, &d, [Int64(stride.0), Int64(stride.1)],
                [Int64(kernel.0), Int64(kernel.1)], [Int64(dilation.0 - 1), Int64(dilation.1 - 1)],
                [Int64(padding.0), Int64(padding.1)], [Int64(Swift.max(padRH, 0)), Int64(Swift.max(padRW, 0))]), "pooling_desc_init")
            return try DNNLPrimitive.make(context, opDesc: &desc, attr: nil, plain: [:], queries: [:])
        }
        try context.execute(primitive.primitive, pd: primitive.pd, [(DNNL_ARG_SRC, srcMd, x.baseAddress), (DNNL_ARG_DST, dstMd, out.baseAddress)])
        return out
    }
}
