import CDNNL

/// Matrix products through oneDNN's matmul primitive.
extension Tensor {
    /// Batched product of [B, M, K] and [B, K, N] float32 views (any strides with a unit stride in
    /// one of the two matrix dimensions), with an optional [N] bias; returns a contiguous [B, M, N].
    static func dnnlMatmul(_ a: Tensor, _ b: Tensor, bias: Tensor?) throws -> Tensor {
        func prepared(_ t: Tensor) -> Tensor {
            let unit = t.strides[2] == 1 || t.strides[1] == 1
            let batchOK = t.shape[0] == 1 || t.strides[0] != 0
            return (unit && batchOK && t.dtype == .float32) ? t : t.contiguousFloat32()
        }
        let x = prepared(a), w = prepared(b)
        let (batch, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
        let out = Tensor(uninitialized: [batch, m, n], dtype: .float32, device: a.device)
        if out.count == 0 { return out }
        if k == 0 { return Tensor(zeros: [batch, m, n]) }
        func safeStrides(_ t: Tensor) -> [Int] {
            // oneDNN rejects zero strides on size-1 dimensions; any value works there.
            var s = t.strides
            for i in 0..<3 where t.shape[i] == 1 { s[i] = i == 0 ? t.shape[1] * t.shape[2] : (i == 1 ? t.shape[2] : 1) }
            return s
        }
        let xs = safeStrides(x), ws = safeStrides(w)
        let context = try DNNLContext.shared()
        let key = "matmul \(x.shape) \(xs) \(w.shape) \(ws) b\(bias != nil) t\(EngineThreads.current)"
        let srcMd = try DNNLContext.desc(x.shape, strides: xs)
        let weiMd = try DNNLContext.desc(w.shape, strides: ws)
        let dstMd = try DNNLContext.desc(out.shape, dnnl_abc)
        let biasMd = try DNNLContext.desc([1, 1, n], dnnl_abc)
        let primitive = try context.primitive(key) {
            var s = srcMd, wt = weiMd, d = dstMd, bm = biasMd
            var desc = dnnl_matmul_desc_t()
            if bias != nil {
                try DNNLContext.check(dnnl_matmul_desc_init(&desc, &s, &wt, &bm, &d), "matmul_desc_init")
            } else {
                try DNNLContext.check(dnnl_matmul_desc_init(&desc, &s, &wt, nil, &d), "matmul_desc_init")
            }
            return try DNNLPrimitive.make(context, opDesc: &desc, attr: nil, plain: [:], queries: [:])
        }
        var args: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)] =
            [(DNNL_ARG_SRC, srcMd, x.baseAddress), (DNNL_ARG_WEIGHTS, weiMd, w.baseAddress), (DNNL_ARG_DST, dstMd, out.baseAddress)]
        var keep: Tensor? = nil
        if let bias {
            let b = bias.contiguousFloat32()
            keep = b
            args.append((DNNL_ARG_BIAS, biasMd, b.baseAddress))
        }
        try context.execute(primitive.primitive, pd: primitive.pd, args)
        _ = keep
        return out
    }

    /// `torch.matmul`: 1-D operands are promoted to matrices and the added dimension removed afterwards;
    /// batch dimensions broadcast.
    public func matmul(_ other: Tensor) throws -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            throw TensorError.shapeMismatch("both arguments to matmul need to be at least 1D, but they are \(rank)D and \(other.rank)D")
        }
        let a = rank == 1 ? try unsqueeze(0) : self
        let b = other.rank == 1 ? try other.unsqueeze(1) : other
        let (m, k) = (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (k2, n) = (b.shape[b.rank - 2], b.shape[b.rank - 1])
        guard k == k2 else {
            throw TensorError.shapeMismatch("mat1 and mat2 shapes cannot be multiplied (\(m)x\(k) and \(k2)x\(n)); operands \(shape) and \(other.shape)")
        }
        let batchShape = try Tensor.broadcastShapes(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2)))
        let batch = batchShape.reduce(1, *)
        let a3 = try a.expand(batchShape + [m, k]).reshape([batch, m, k])
        let b3 = try b.expand(batchShape + [k, n]).reshape([batch, k, n])
        var result = try Tensor.dnnlMatmul(a3, b3, bias: nil).reshape(batchShape + [m, n])
        if rank == 1 { result = try result.squeeze(-2) }
        if other.rank == 1 { result = try result.squeeze(-1) }
        let dtype = DType.promote(self.dtype, other.dtype)
        return dtype == .float32 ? result : result.to(dtype)
    }

    /// `F.linear`: `self @ weight.T + bias` over the last dimension; `weight` is [out, in].
    public func linear(weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard weight.rank == 2 else { throw TensorError.shapeMismatch("linear: weight must be 2-D [out, in], got \(weight.shape)") }
        guard rank >= 1, shape[rank - 1] == weight.shape[1] else {
            throw TensorError.shapeMismatch("mat1 and mat2 shapes cannot be multiplied (\(rank >= 1 ? count / Swift.max(shape[rank - 1], 1) : 1)x\(rank >= 1 ? shape[rank - 1] : 0) and \(weight.shape[1])x\(weight.shape[0])); input \(shape), weight \(weight.shape)")
        }
        if let bias, bias.count != weight.shape[0] {
            throw TensorError.shapeMismatch("linear: bias of shape \(bias.shape) does not match \(weight.shape[0]) output features")
        }
        let k = weight.shape[1], n = weight.shape[0]
        let x = try contiguousFloat32().reshape([1, count / Swift.max(k, 1), k])
        let rows = k == 0 ? count : x.shape[1]
        let x3 = k == 0 ? Tensor(zeros: [1, rows, 0]) : x
        let w = weight.to(.float32)
        // weight.T as a strided view: element (0, kk, nn) is weight[nn, kk].
        let wt = Tensor(storage: w.storage, shape: [1, k, n], strides: [k * n, w.strides[1], w.strides[0]], offset: w.offset, dtype: .float32, device: w.device)
        var out = try Tensor.dnnlMatmul(x3, wt, bias: bias)
        if k == 0, let bias { out = try out.binary(.add, bias) }
        return try out.reshape(Array(shape.dropLast()) + [n])
    }
}
