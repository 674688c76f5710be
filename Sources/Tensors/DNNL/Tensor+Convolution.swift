import CDNNL
import Foundation

/// Convolution and transposed convolution through oneDNN.
///
/// Tensors are NCHW at this API's edges; oneDNN chooses its own layout inside (NHWC or blocked) and the
/// reorders run around the primitive. A fused graph can later keep activations in the chosen layout:
/// `DNNLPrimitive.layouts` exposes it.
extension Tensor {
    /// Output length of a convolution along one axis (PyTorch's formula).
    /// A non-positive stride gives 0 (the callers report it as too small an output).
    public static func convOutputSize(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int) -> Int {
        guard stride > 0 else { return 0 }
        return (input + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1
    }

    /// Output length of a transposed convolution along one axis.
    public static func convTransposeOutputSize(input: Int, kernel: Int, stride: Int, padding: Int, outputPadding: Int, dilation: Int) -> Int {
        (input - 1) * stride - 2 * padding + dilation * (kernel - 1) + outputPadding + 1
    }

    private static func pair(_ v: [Int], _ name: String) throws -> (Int, Int) {
        if v.count == 1 { return (v[0], v[0]) }
        guard v.count == 2 else { throw TensorError.invalidArgument("expected \(name) to be a single integer value or a list of 2 values to match the convolution dimensions, but got \(name)=\(v)") }
        return (v[0], v[1])
    }

    /// 2-D convolution of an NCHW input. `weight` is [out, in/groups, kh, kw]; `bias` is [out] or nil.
    /// `fusedReLU` applies ReLU inside the primitive (a oneDNN post-op).
    public func conv2d(weight: Tensor, bias: Tensor?, stride: [Int] = [1], padding: [Int] = [0], dilation: [Int] = [1],
                       groups: Int = 1, fusedReLU: Bool = false) throws -> Tensor {
        let (sh, sw) = try Tensor.pair(stride, "stride"), (ph, pw) = try Tensor.pair(padding, "padding")
        let (dh, dw) = try Tensor.pair(dilation, "dilation")
        guard rank == 4 else {
            throw TensorError.shapeMismatch("Expected 4D (batched) input to conv2d, but got input of size: \(shape)")
        }
        guard weight.rank == 4 else {
            throw TensorError.shapeMismatch("conv2d: weight must be 4-D [out, in/groups, kh, kw], got \(weight.shape)")
        }
        guard sh > 0, sw > 0 else { throw TensorError.invalidArgument("non-positive stride is not supported (stride \(stride))") }
        guard ph >= 0, pw >= 0 else { throw TensorError.invalidArgument("negative padding is not supported (padding \(padding))") }
        guard dh > 0, dw > 0 else { throw TensorError.invalidArgument("dilation should be greater than zero (dilation \(dilation))") }
        guard groups > 0 else { throw TensorError.invalidArgument("non-positive groups is not supported (groups \(groups))") }
        let (n, c, ih, iw) = (shape[0], shape[1], shape[2], shape[3])
        let (o, ig, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        guard o % groups == 0 else {
            throw TensorError.shapeMismatch("Given groups=\(groups), expected weight to be divisible by \(groups) at dimension 0, but got weight of size \(weight.shape) instead")
        }
        guard c == ig * groups else {
            throw TensorError.shapeMismatch("Given groups=\(groups), weight of size \(weight.shape), expected input\(shape) to have \(ig * groups) channels, but got \(c) channels instead")
        }
        if let bias, bias.shape != [o] {
            throw TensorError.shapeMismatch("conv2d: bias of shape \(bias.shape) does not match \(o) output channels")
        }
        let oh = Tensor.convOutputSize(input: ih, kernel: kh, stride: sh, padding: ph, dilation: dh)
        let ow = Tensor.convOutputSize(input: iw, kernel: kw, stride: sw, padding: pw, dilation: dw)
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch("Calculated padded input size per channel: (\(ih + 2 * ph) x \(iw + 2 * pw)). Kernel size: (\(dh * (kh - 1) + 1) x \(dw * (kw - 1) + 1)). Kernel size can't be greater than actual input size (input \(shape), weight \(weight.shape))")
        }
        // Channels-last input gives channels-last output (PyTorch's rule) and needs no reorders around oneDNN.
        let channelsLast = dtype == .float32 && suggestedMemoryFormat == .channelsLast
        var out = Tensor(uninitialized: [n, o, oh, ow], memoryFormat: channelsLast ? .channelsLast : .contiguous, device: device)
        if out.count == 0 { return out }
        if c == 0 || kh * kw == 0 {
            out = Tensor(zeros: out.shape, dtype: .float32, device: device)
            if let bias { out = try out.binary(.add, bias.reshape([1, o, 1, 1])) }
            return fusedReLU ? try out.unary(.relu) : out
        }
        let x = channelsLast ? self : contiguousFloat32(), w = weight.contiguousFloat32()
        let b = bias?.contiguousFloat32()
        let context = try DNNLContext.shared()
        let wino = channelsLast && Tensor.prefersWinograd(inChannels: c, outChannels: o, kernel: (kh, kw), stride: (sh, sw),
                                          dilation: (dh, dw), groups: groups)
        let key = "conv2d \(shape) \(weight.shape) b\(bias != nil) s\(sh),\(sw) p\(ph),\(pw) d\(dh),\(dw) g\(groups) r\(fusedReLU) cl\(channelsLast) w\(wino) t\(EngineThreads.current)"
        let srcPlain = try DNNLContext.desc(shape, channelsLast ? dnnl_nhwc : dnnl_nchw)
        let dstPlain = try DNNLContext.desc(out.shape, channelsLast ? dnnl_nhwc : dnnl_nchw)
        let weiPlain = groups == 1 ? try DNNLContext.desc(weight.shape, dnnl_oihw)
            : try DNNLContext.desc([groups, o / groups, ig, kh, kw], dnnl_goihw)
        let biasPlain = try DNNLContext.desc([o], dnnl_a)
        let primitive = try context.primitive(key) {
            func make(_ algorithm: dnnl_alg_kind_t) throws -> DNNLPrimitive {
                var src = try DNNLContext.desc(shape, dnnl_format_tag_any)
                var dst = try DNNLContext.desc(out.shape, dnnl_format_tag_any)
                var wei = groups == 1 ? try DNNLContext.desc(weight.shape, dnnl_format_tag_any)
                    : try DNNLContext.desc([groups, o / groups, ig, kh, kw], dnnl_format_tag_any)
                var bmd = biasPlain
                var desc = dnnl_convolution_desc_t()
                let strides: [Int64] = [Int64(sh), Int64(sw)], dil: [Int64] = [Int64(dh - 1), Int64(dw - 1)]
                let padL: [Int64] = [Int64(ph), Int64(pw)]
                if bias != nil {
                    try DNNLContext.check(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, algorithm,
                        &src, &wei, &bmd, &dst, strides, dil, padL, padL), "convolution_desc_init")
                } else {
                    try DNNLContext.check(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, algorithm,
                        &src, &wei, nil, &dst, strides, dil, padL, padL), "convolution_desc_init")
                }
                return try Tensor.withAttributes(reluPostOp: fusedReLU) { attr in
                    try DNNLPrimitive.make(context, opDesc: &desc, attr: attr,
                                           plain: [DNNL_ARG_SRC: srcPlain, DNNL_ARG_WEIGHTS: weiPlain, DNNL_ARG_DST: dstPlain],
                                           queries: [DNNL_ARG_SRC: dnnl_query_src_md, DNNL_ARG_WEIGHTS: dnnl_query_weights_md,
                                                     DNNL_ARG_DST: dnnl_query_dst_md])
                }
            }
            // Winograd exists only for some CPUs (AVX-512) and shapes: anything else runs the direct kernels.
            if wino, let p = try? make(dnnl_convolution_winograd) { return p }
            return try make(dnnl_convolution_direct)
        }
        try Tensor.run(primitive, context: context, src: (srcPlain, x.baseAddress), weights: (weiPlain, w.baseAddress),
                       bias: b.map { (biasPlain, $0.baseAddress) }, dst: (dstPlain, out.baseAddress))
        return out
    }

    /// 2-D transposed convolution of an NCHW input. `weight` is [in, out/groups, kh, kw] (PyTorch's layout).
    public func convTranspose2d(weight: Tensor, bias: Tensor?, stride: [Int] = [1], padding: [Int] = [0],
                                outputPadding: [Int] = [0], dilation: [Int] = [1], groups: Int = 1) throws -> Tensor {
        let (sh, sw) = try Tensor.pair(stride, "stride"), (ph, pw) = try Tensor.pair(padding, "padding")
        let (dh, dw) = try Tensor.pair(dilation, "dilation"), (oph, opw) = try Tensor.pair(outputPadding, "output_padding")
        guard rank == 4 else {
            throw TensorError.shapeMismatch("Expected 4D (batched) input to conv_transpose2d, but got input of size: \(shape)")
        }
        guard weight.rank == 4 else {
            throw TensorError.shapeMismatch("conv_transpose2d: weight must be 4-D [in, out/groups, kh, kw], got \(weight.shape)")
        }
        guard sh > 0, sw > 0, dh > 0, dw > 0, groups > 0, ph >= 0, pw >= 0 else {
            throw TensorError.invalidArgument("conv_transpose2d: stride \(stride), dilation \(dilation) and groups \(groups) must be positive, padding \(padding) non-negative")
        }
        guard oph >= 0, opw >= 0, oph < Swift.max(sh, dh), opw < Swift.max(sw, dw) else {
            throw TensorError.invalidArgument("output padding must be smaller than either stride or dilation, but got output_padding \(outputPadding), stride \(stride), dilation \(dilation)")
        }
        let (n, c, ih, iw) = (shape[0], shape[1], shape[2], shape[3])
        let (wi, og, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        guard wi == c, c % groups == 0 else {
            throw TensorError.shapeMismatch("Given transposed=1, weight of size \(weight.shape), expected input\(shape) to have \(wi) channels, but got \(c) channels instead (groups \(groups))")
        }
        let o = og * groups
        if let bias, bias.shape != [o] {
            throw TensorError.shapeMismatch("conv_transpose2d: bias of shape \(bias.shape) does not match \(o) output channels")
        }
        let oh = Tensor.convTransposeOutputSize(input: ih, kernel: kh, stride: sh, padding: ph, outputPadding: oph, dilation: dh)
        let ow = Tensor.convTransposeOutputSize(input: iw, kernel: kw, stride: sw, padding: pw, outputPadding: opw, dilation: dw)
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch("conv_transpose2d: calculated output size (\(oh) x \(ow)) is too small (input \(shape), weight \(weight.shape))")
        }
        try Tensor.checkAllocation([n, o, oh, ow], op: "conv_transpose2d")
        let out = Tensor(uninitialized: [n, o, oh, ow], dtype: .float32, device: device)
        if out.count == 0 { return out }
        let x = contiguousFloat32(), w = weight.contiguousFloat32()
        let b = bias?.contiguousFloat32()
        let context = try DNNLContext.shared()
        let ig = c / groups
        let key = "deconv2d \(shape) \(weight.shape) b\(bias != nil) s\(sh),\(sw) p\(ph),\(pw) op\(oph),\(opw) d\(dh),\(dw) g\(groups) t\(EngineThreads.current)"
        let srcPlain = try DNNLContext.desc(shape, dnnl_nchw)
        let dstPlain = try DNNLContext.desc(out.shape, dnnl_nchw)
        // PyTorch stores [g*ig, og, kh, kw]; oneDNN wants (g, og, ig, kh, kw): describe it with strides, no copy.
        let k = kh * kw
        let weiDims = groups == 1 ? [o, c, kh, kw] : [groups, og, ig, kh, kw]
        let weiStrides = groups == 1 ? [k, og * k, kw, 1] : [ig * og * k, k, og * k, kw, 1]
        let weiPlain = try DNNLContext.desc(weiDims, strides: weiStrides)
        let biasPlain = try DNNLContext.desc([o], dnnl_a)
        let primitive = try context.primitive(key) {
            var src = try DNNLContext.desc(shape, dnnl_format_tag_any)
            var dst = try DNNLContext.desc(out.shape, dnnl_format_tag_any)
            var wei = try DNNLContext.desc(weiDims, dnnl_format_tag_any)
            var bmd = biasPlain
            var desc = dnnl_deconvolution_desc_t()
            let strides: [Int64] = [Int64(sh), Int64(sw)], dil: [Int64] = [Int64(dh - 1), Int64(dw - 1)]
            let padL: [Int64] = [Int64(ph), Int64(pw)], padR: [Int64] = [Int64(ph - oph), Int64(pw - opw)]
            if bias != nil {
                try DNNLContext.check(dnnl_dilated_deconvolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_deconvolution_direct,
                    &src, &wei, &bmd, &dst, strides, dil, padL, padR), "deconvolution_desc_init")
            } else {
                try DNNLContext.check(dnnl_dilated_deconvolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_deconvolution_direct,
                    &src, &wei, nil, &dst, strides, dil, padL, padR), "deconvolution_desc_init")
            }
            return try DNNLPrimitive.make(context, opDesc: &desc, attr: nil,
                                          plain: [DNNL_ARG_SRC: srcPlain, DNNL_ARG_WEIGHTS: weiPlain, DNNL_ARG_DST: dstPlain],
                                          queries: [DNNL_ARG_SRC: dnnl_query_src_md, DNNL_ARG_WEIGHTS: dnnl_query_weights_md,
                                                    DNNL_ARG_DST: dnnl_query_dst_md])
        }
        try Tensor.run(primitive, context: context, src: (srcPlain, x.baseAddress), weights: (weiPlain, w.baseAddress),
                       bias: b.map { (biasPlain, $0.baseAddress) }, dst: (dstPlain, out.baseAddress))
        return out
    }

    /// Whether a convolution runs oneDNN's Winograd F(4x4, 3x3) kernels instead of the direct ones.
    ///
    /// Winograd needs ~2.25x fewer multiplications for 3x3 stride-1 kernels but works in a blocked layout
    /// (nChw16c), so it pays only when the convolution outweighs the two activation reorders it adds: measured
    /// on this machine kind (docs/performance.md) it wins from ic·oc/(ic+oc) ≥ 12 (32→32, 48→16 and up) and
    /// loses at 16→16. Its rounding differs from the direct kernels' by ~1e-5 relative (CarSegNet's encoder
    /// features: 1.4e-5 vs 9e-6 from PyTorch, its output 7.5e-7), well inside the 1e-4 the port promises.
    /// Only channels-last inputs take it (the fused graph, or a user's `channels_last` model): NCHW callers
    /// keep the direct kernels, whose sums of integer-valued products below 2^24 are exact — the quantizer's
    /// exact integer emulation relies on that, and Winograd's fractional transforms would break it.
    /// `MLUS_CONV_ALGORITHM=direct` turns it off.
    static func prefersWinograd(inChannels ic: Int, outChannels oc: Int, kernel: (Int, Int), stride: (Int, Int),
                                dilation: (Int, Int), groups: Int) -> Bool {
        guard winogradAllowed, groups == 1, kernel == (3, 3), stride == (1, 1), dilation == (1, 1),
              ic % 16 == 0, oc % 16 == 0 else { return false }
        return ic * oc >= 12 * (ic + oc)
    }

    private static let winogradAllowed = ProcessInfo.processInfo.environment["MLUS_CONV_ALGORITHM"] != "direct"

    /// Primitive attributes with an optional fused ReLU.
    static func withAttributes<R>(reluPostOp: Bool, _ body: (dnnl_primitive_attr_t?) throws -> R) throws -> R {
        guard reluPostOp else { return try body(nil) }
        var attr: dnnl_primitive_attr_t?
        try DNNLContext.check(dnnl_primitive_attr_create(&attr), "attr_create")
        defer { if let attr { dnnl_primitive_attr_destroy(attr) } }
        var ops: dnnl_post_ops_t?
        try DNNLContext.check(dnnl_post_ops_create(&ops), "post_ops_create")
        defer { if let ops { dnnl_post_ops_destroy(ops) } }
        try DNNLContext.check(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0), "post_ops_append_eltwise")
        try DNNLContext.check(dnnl_primitive_attr_set_post_ops(attr, ops), "attr_set_post_ops")
        return try body(attr)
    }

    /// Runs a weights-carrying primitive, reordering src/weights in and dst out when the chosen layouts differ.
    static func run(_ p: DNNLPrimitive, context: DNNLContext,
                    src: (dnnl_memory_desc_t, UnsafeMutableRawPointer),
                    weights: (dnnl_memory_desc_t, UnsafeMutableRawPointer),
                    bias: (dnnl_memory_desc_t, UnsafeMutableRawPointer)?,
                    dst: (dnnl_memory_desc_t, UnsafeMutableRawPointer)) throws {
        var scratch = [UnsafeMutableRawPointer]()
        defer { for s in scratch { s.deallocate() } }
        func staged(_ arg: Int32, _ plain: (dnnl_memory_desc_t, UnsafeMutableRawPointer), input: Bool) throws -> (dnnl_memory_desc_t, UnsafeMutableRawPointer) {
            guard let reorder = p.reorders[arg], let layout = p.layouts[arg] else { return plain }
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(DNNLContext.size(layout), 1), alignment: 64)
            scratch.append(buffer)
            if input { try reorder.run(context, from: plain.1, to: buffer) }
            return (layout, buffer)
        }
        let s = try staged(DNNL_ARG_SRC, src, input: true)
        let d = try staged(DNNL_ARG_DST, dst, input: false)
        // Weights in the primitive's layout come from the weight cache (converted once, re-checked each call).
        var w = weights
        var cachedWeights: DNNLWeightCache.Entry?
        if let reorder = p.reorders[DNNL_ARG_WEIGHTS], let layout = p.layouts[DNNL_ARG_WEIGHTS] {
            if let entry = try context.weights.converted(weights.1, plainBytes: DNNLContext.size(weights.0),
                                                         convertedBytes: DNNLContext.size(layout), reorder: reorder, context: context) {
                cachedWeights = entry
                w = (layout, entry.converted)
            } else {
                w = try staged(DNNL_ARG_WEIGHTS, weights, input: true)
            }
        }
        var args = [(DNNL_ARG_SRC, s.0, s.1), (DNNL_ARG_WEIGHTS, w.0, w.1), (DNNL_ARG_DST, d.0, d.1)]
        if let bias { args.append((DNNL_ARG_BIAS, bias.0, bias.1)) }
        try withExtendedLifetime(cachedWeights) { try context.execute(p.primitive, pd: p.pd, args) }
        if let reorder = p.reorders[DNNL_ARG_DST] { try reorder.run(context, from: d.1, to: dst.1) }
    }
}
