import CKernels

/// Joining and splitting along a dimension.
extension Tensor {
    /// Concatenates along `dim`; all other dimensions must agree. Dtypes promote as in PyTorch.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.invalidArgument("torch.cat(): expected a non-empty list of Tensors") }
        // PyTorch skips legacy empty 1-D tensors of shape [0].
        let parts = tensors.filter { !($0.rank == 1 && $0.shape[0] == 0) }
        guard let reference = parts.first else { return first }
        guard reference.rank > 0 else { throw TensorError.invalidArgument("zero-dimensional tensor (at position 0) cannot be concatenated") }
        let d = try normalizeDim(dim, rank: reference.rank, op: "cat")
        var dtype = reference.dtype
        for t in parts { dtype = DType.promote(dtype, t.dtype) }
        var total = 0
        for (i, t) in parts.enumerated() {
            guard t.rank == reference.rank else {
                throw TensorError.shapeMismatch("Tensors must have same number of dimensions: got \(reference.rank) and \(t.rank) (shapes \(reference.shape) and \(t.shape))")
            }
            for k in 0..<t.rank where k != d && t.shape[k] != reference.shape[k] {
                throw TensorError.shapeMismatch("Sizes of tensors must match except in dimension \(d). Expected size \(reference.shape[k]) but got size \(t.shape[k]) for tensor number \(i) in the list (shapes \(reference.shape) and \(t.shape))")
            }
            total += t.shape[d]
        }
        var outShape = reference.shape
        outShape[d] = total
        if d == 1 && dtype == .float32 && reference.suggestedMemoryFormat == .channelsLast {
            return try catChannelsLast(parts, shape: outShape)
        }
        let out = Tensor(uninitialized: outShape, dtype: dtype, device: reference.device)
        let outer = outShape[..<d].reduce(1, *)
        let inner = outShape[(d + 1)...].reduce(1, *) * dtype.itemSize
        let outRow = total * inner
        var start = 0
        for t in parts {
            let src = t.to(dtype).dense()
            let block = t.shape[d] * inner
            if block > 0 {
                if outer == 1 {
                    mlus_copy_parallel(out.baseAddress + start, src.baseAddress, block)
                } else {
                    for o in 0..<outer {
                        (out.baseAddress + o * outRow + start).copyMemory(from: src.baseAddress + o * block, byteCount: block)
                    }
                }
            }
            start += block
        }
        return out
    }

    /// Channel concatenation producing a channels-last result (PyTorch keeps the first input's format).
    private static func catChannelsLast(_ parts: [Tensor], shape: [Int]) throws -> Tensor {
        let nhwc = try parts.map { try $0.to(.float32).contiguous(memoryFormat: .channelsLast) }
        let out = Tensor(uninitialized: shape, memoryFormat: .channelsLast, device: parts[0].device)
        let pixels = shape[0] * shape[2] * shape[3]
        if out.count == 0 { return out }
        let pointers: [UnsafePointer<Float>?] = nhwc.map { UnsafePointer($0.baseAddress.assumingMemoryBound(to: Float.self)) }
        let channels = nhwc.map { Int64($0.shape[1]) }
        withExtendedLifetime(nhwc) {
            mlus_cat_channels_nhwc_f32(out.baseAddress.assumingMemoryBound(to: Float.self), pointers, channels, Int64(nhwc.count), Int64(pixels))
        }
        return out
    }

    /// Stacks equally shaped tensors along a new dimension `dim`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw TensorError.invalidArgument("stack expects a non-empty TensorList") }
        for (i, t) in tensors.enumerated() where t.shape != first.shape {
            throw TensorError.shapeMismatch("stack expects each tensor to be equal size, but got \(first.shape) at entry 0 and \(t.shape) at entry \(i)")
        }
        let d = try normalizeDim(dim, rank: first.rank + 1, op: "stack")
        return try cat(tensors.map { try $0.unsqueeze(d) }, dim: d)
    }

    /// Views of consecutive pieces of `splitSize` along `dim` (the last may be smaller).
    public func split(_ splitSize: Int, dim: Int = 0) throws -> [Tensor] {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "split")
        let size = shape[d]
        guard splitSize > 0 || (splitSize == 0 && size == 0) else {
            throw TensorError.invalidArgument("split expects split_size be non-negative, but got split_size=\(splitSize) (dimension \(d) of shape \(shape))")
        }
        if size == 0 { return [self] }
        var out = [Tensor]()
        var start = 0
        while start < size {
            let length = Swift.min(splitSize, size - start)
            out.append(try narrow(d, start: start, length: length))
            start += length
        }
        return out
    }

    /// Views with the given sizes along `dim`; the sizes must add up to the dimension.
    public func split(sizes: [Int], dim: Int = 0) throws -> [Tensor] {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "split")
        guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, +) == shape[d] else {
            throw TensorError.invalidArgument("split_with_sizes expects split_sizes to sum exactly to \(shape[d]) (input tensor's size at dimension \(d)), but got split_sizes=\(sizes)")
        }
        var out = [Tensor]()
        var start = 0
        for s in sizes {
            out.append(try narrow(d, start: start, length: s))
            start += s
        }
        return out
    }

    /// `chunks` views of nearly equal size along `dim` (PyTorch: size ceil(n/chunks), maybe fewer pieces).
    public func chunk(_ chunks: Int, dim: Int = 0) throws -> [Tensor] {
        guard chunks > 0 else { throw TensorError.invalidArgument("chunk expects `chunks` to be greater than 0, got: \(chunks)") }
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "chunk")
        let size = shape[d]
        let piece = (size + chunks - 1) / chunks
        if piece == 0 { return try split(sizes: [Int](repeating: 0, count: chunks), dim: d) }
        return try split(piece, dim: d)
    }
}
