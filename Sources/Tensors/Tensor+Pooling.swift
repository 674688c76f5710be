import CKernels

/// Pooling on NCHW float32 (C kernels written to PyTorch's window rules).
extension Tensor {
    /// Routes max pooling to oneDNN (3–40x faster than the C kernel on NCHW); inputs holding NaN always take the
    /// C kernel, which propagates NaN as PyTorch does. Tests turn it off to compare the paths.
    nonisolated(unsafe) static var useDNNLMaxPool = true

    /// Output length of a pooling window along one axis, PyTorch's `pooling_output_shape` (ceil_mode drops a
    /// last window that would start in the right padding).
    public static func poolOutputSize(input: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, ceilMode: Bool) -> Int {
        guard stride > 0 else { return 0 }
        let numerator = input + 2 * padding - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)
        var out = Int((Double(numerator) / Double(stride)).rounded(.down)) + 1
        if ceilMode && (out - 1) * stride >= input + padding { out -= 1 }
        return out
    }

    private func poolCheck(_ op: String, kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)) throws -> (Tensor, Bool) {
        guard rank == 3 || rank == 4 else {
            throw TensorError.shapeMismatch("\(op): Expected 3D or 4D (batch mode) tensor for input, but got: \(shape)")
        }
        guard kernel.0 > 0, kernel.1 > 0 else { throw TensorError.invalidArgument("\(op): kernel_size must be greater than zero, but got (\(kernel.0), \(kernel.1))") }
        guard stride.0 > 0, stride.1 > 0 else { throw TensorError.invalidArgument("\(op): stride must be greater than zero, but got (\(stride.0), \(stride.1))") }
        guard dilation.0 > 0, dilation.1 > 0 else { throw TensorError.invalidArgument("\(op): dilation must be greater than zero") }
        guard padding.0 >= 0, padding.1 >= 0, padding.0 <= ((kernel.0 - 1) * dilation.0 + 1) / 2,
              padding.1 <= ((kernel.1 - 1) * dilation.1 + 1) / 2 else {
            throw TensorError.invalidArgument("\(op): pad should be at most half of effective kernel size, but got pad=(\(padding.0), \(padding.1)), kernel_size=(\(kernel.0), \(kernel.1))")
        }
        return (rank == 3 ? try unsqueeze(0) : self, rank == 3)
    }

    /// Max pooling (`F.max_pool2d`); padding counts as -inf.
    public func maxPool2d(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
                          ceilMode: Bool = false) throws -> Tensor {
        let (x4, squeezed) = try poolCheck("max_pool2d", kernel: kernel, stride: stride, padding: padding, dilation: dilation)
        let (n, c, ih, iw) = (x4.shape[0], x4.shape[1], x4.shape[2], x4.shape[3])
        let oh = Tensor.poolOutputSize(input: ih, kernel: kernel.0, stride: stride.0, padding: padding.0, dilation: dilation.0, ceilMode: ceilMode)
        let ow = Tensor.poolOutputSize(input: iw, kernel: kernel.1, stride: stride.1, padding: padding.1, dilation: dilation.1, ceilMode: ceilMode)
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch("max_pool2d: Given input size: (\(c)x\(ih)x\(iw)). Calculated output size: (\(c)x\(oh)x\(ow)). Output size is too small")
        }
        let dense = x4.dtype == .float32 && x4.isDenseNonOverlapping ? x4 : x4.contiguousFloat32()
        if Tensor.useDNNLMaxPool && mlus_has_nan_f32(dense.baseAddress.assumingMemoryBound(to: Float.self), dense.count) == 0 {
            let out = try dense.dnnlMaxPool2d(kernel: kernel, stride: stride, padding: padding, dilation: dilation, output: (oh, ow))
            return squeezed ? try out.squeeze(0) : out
        }
        let x = dense.contiguousFloat32()
        let out = Tensor(uninitialized: [n, c, oh, ow], dtype: .float32, device: device)
        if out.count > 0 {
            mlus_max_pool2d_f32(out.baseAddress.assumingMemoryBound(to: Float.self), x.baseAddress.assumingMemoryBound(to: Float.self),
                                Int64(n * c), Int64(ih), Int64(iw), Int64(oh), Int64(ow), Int64(kernel.0), Int64(kernel.1),
                                Int64(stride.0), Int64(stride.1), Int64(padding.0), Int64(padding.1), Int64(dilation.0), Int64(dilation.1))
        }
        return squeezed ? try out.squeeze(0) : out
    }

    /// Average pooling (`F.avg_pool2d`) with PyTorch's divisor rules.
    public func avgPool2d(kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int) = (0, 0), ceilMode: Bool = false,
                          countIncludePad: Bool = true, divisorOverride: Int? = nil) throws -> Tensor {
        let (x4, squeezed) = try poolCheck("avg_pool2d", kernel: kernel, stride: stride, padding: padding, dilation: (1, 1))
        if let d = divisorOverride, d == 0 { throw TensorError.invalidArgument("avg_pool2d: divisor must be not zero") }
        let (n, c, ih, iw) = (x4.shape[0], x4.shape[1], x4.shape[2], x4.shape[3])
        let oh = Tensor.poolOutputSize(input: ih, kernel: kernel.0, stride: stride.0, padding: padding.0, dilation: 1, ceilMode: ceilMode)
        let ow = Tensor.poolOutputSize(input: iw, kernel: kernel.1, stride: stride.1, padding: padding.1, dilation: 1, ceilMode: ceilMode)
        guard oh > 0, ow > 0 else {
            throw TensorError.shapeMismatch("avg_pool2d: Given input size: (\(c)x\(ih)x\(iw)). Calculated output size: (\(c)x\(oh)x\(ow)). Output size is too small")
        }
        if x4.dtype == .float32 && x4.suggestedMemoryFormat == .channelsLast {
            let out = Tensor(uninitialized: [n, c, oh, ow], memoryFormat: .channelsLast, device: device)
            mlus_avg_pool2d_nhwc_f32(out.baseAddress.assumingMemoryBound(to: Float.self), x4.baseAddress.assumingMemoryBound(to: Float.self),
                                     Int64(n), Int64(c), Int64(ih), Int64(iw), Int64(oh), Int64(ow), Int64(kernel.0), Int64(kernel.1),
                                     Int64(stride.0), Int64(stride.1), Int64(padding.0), Int64(padding.1), countIncludePad ? 1 : 0,
                                     Int64(divisorOverride ?? 0))
            return squeezed ? try out.squeeze(0) : out
        }
        let x = x4.contiguousFloat32()
        let out = Tensor(uninitialized: [n, c, oh, ow], dtype: .float32, device: device)
        if out.count > 0 {
            mlus_avg_pool2d_f32(out.baseAddress.assumingMemoryBound(to: Float.self), x.baseAddress.assumingMemoryBound(to: Float.self),
                                Int64(n * c), Int64(ih), Int64(iw), Int64(oh), Int64(ow), Int64(kernel.0), Int64(kernel.1),
                                Int64(stride.0), Int64(stride.1), Int64(padding.0), Int64(padding.1), countIncludePad ? 1 : 0,
                                Int64(divisorOverride ?? 0))
        }
        return squeezed ? try out.squeeze(0) : out
    }

    /// Adaptive average pooling to `outputSize` (`F.adaptive_avg_pool2d`).
    public func adaptiveAvgPool2d(outputSize: (Int, Int)) throws -> Tensor {
        guard rank == 3 || rank == 4 else {
            throw TensorError.shapeMismatch("adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got \(shape)")
        }
        let x4 = rank == 3 ? try unsqueeze(0) : self
        let (n, c, ih, iw) = (x4.shape[0], x4.shape[1], x4.shape[2], x4.shape[3])
        guard ih > 0, iw > 0 else {
            throw TensorError.shapeMismatch("adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes \(shape)")
        }
        let (oh, ow) = outputSize
        guard oh >= 0, ow >= 0 else { throw TensorError.invalidArgument("adaptive_avg_pool2d: output size (\(oh), \(ow)) must be non-negative") }
        if x4.dtype == .float32 && x4.suggestedMemoryFormat == .channelsLast {
            let out = Tensor(uninitialized: [n, c, oh, ow], memoryFormat: .channelsLast, device: device)
            mlus_adaptive_avg_pool2d_nhwc_f32(out.baseAddress.assumingMemoryBound(to: Float.self), x4.baseAddress.assumingMemoryBound(to: Float.self),
                                              Int64(n), Int64(c), Int64(ih), Int64(iw), Int64(oh), Int64(ow))
            return rank == 3 ? try out.squeeze(0) : out
        }
        let x = x4.contiguousFloat32()
        let out = Tensor(uninitialized: [n, c, oh, ow], dtype: .float32, device: device)
        if out.count > 0 {
            mlus_adaptive_avg_pool2d_f32(out.baseAddress.assumingMemoryBound(to: Float.self), x.baseAddress.assumingMemoryBound(to: Float.self),
                                         Int64(n * c), Int64(ih), Int64(iw), Int64(oh), Int64(ow))
        }
        return rank == 3 ? try out.squeeze(0) : out
    }
}
