/// Python-style indexing: basic indices give views, one tensor index gives a copy.
extension Tensor {
    /// Result of the basic part of an index: the view and where a tensor index applies to it.
    private struct BasicIndexResult {
        var view: Tensor
        /// (first view dimension the advanced index covers, the index tensor)
        var advanced: (dim: Int, index: Tensor)?
    }

    private func applyBasic(_ indices: [TensorIndex]) throws -> BasicIndexResult {
        var consumed = 0
        var ellipsisCount = 0
        var tensorCount = 0
        for i in indices {
            switch i {
            case .at, .range: consumed += 1
            case .newAxis: break
            case .ellipsis: ellipsisCount += 1
            case .tensor(let t):
                tensorCount += 1
                consumed += t.dtype == .bool ? Swift.max(t.rank, 1) : 1
            }
        }
        guard ellipsisCount <= 1 else { throw TensorError.invalidArgument("an index can only have a single ellipsis ('...')") }
        guard tensorCount <= 1 else {
            throw TensorError.invalidArgument("indexing with more than one tensor index is not supported (shape \(shape))")
        }
        guard consumed <= rank else {
            throw TensorError.invalidArgument("too many indices for tensor of dimension \(rank) (shape \(shape))")
        }
        var t = self
        var newShape = [Int](), newStrides = [Int]()
        var offset = self.offset
        var src = 0
        var advanced: (Int, Tensor)? = nil
        for i in indices {
            switch i {
            case .at(let k):
                let size = shape[src]
                let p = k < 0 ? k + size : k
                guard p >= 0 && p < size else {
                    throw TensorError.invalidArgument("index \(k) is out of bounds for dimension \(src) with size \(size) (shape \(shape))")
                }
                offset += p * strides[src]
                src += 1
            case .range(let start, let stop, let step):
                let size = shape[src]
                let st = step ?? 1
                guard st > 0 else { throw TensorError.invalidArgument("slice step must be positive, got \(st)") }
                func clampIndex(_ v: Int?, _ dflt: Int) -> Int {
                    guard let v else { return dflt }
                    let w = v < 0 ? v + size : v
                    return Swift.min(Swift.max(w, 0), size)
                }
                let b = clampIndex(start, 0), e = Swift.max(clampIndex(stop, size), b)
                offset += b * strides[src]
                newShape.append((e - b + st - 1) / st)
                newStrides.append(strides[src] * st)
                src += 1
            case .newAxis:
                newShape.append(1)
                newStrides.append(0)
            case .ellipsis:
                let fill = rank - consumed
                for _ in 0..<fill {
                    newShape.append(shape[src]); newStrides.append(strides[src]); src += 1
                }
            case .tensor(let index):
                advanced = (newShape.count, index)
                let covered = index.dtype == .bool ? Swift.max(index.rank, 1) : 1
                if index.dtype == .bool && index.rank == 0 {
                    throw TensorError.invalidArgument("indexing with a zero-dimensional bool tensor is not supported")
                }
                for _ in 0..<covered {
                    newShape.append(shape[src]); newStrides.append(strides[src]); src += 1
                }
            }
        }
        while src < rank {
            newShape.append(shape[src]); newStrides.append(strides[src]); src += 1
        }
        t.shape = newShape
        t.strides = newStrides
        t.offset = offset
        return BasicIndexResult(view: t, advanced: advanced.map { (dim: $0.0, index: $0.1) })
    }

    /// Offsets (in elements, relative to the view) selected by a tensor index over `dim`, and the
    /// shape that replaces the covered dimensions.
    private static func advancedOffsets(view: Tensor, dim: Int, index: Tensor) throws -> (offsets: [Int], shape: [Int], covered: Int) {
        if index.dtype == .bool {
            let covered = index.rank
            let coveredShape = Array(view.shape[dim..<(dim + covered)])
            guard coveredShape == index.shape else {
                throw TensorError.shapeMismatch("The shape of the mask \(index.shape) at index 0 does not match the shape of the indexed tensor \(view.shape) at dimension \(dim)")
            }
            let flags = index.integers()
            var offsets = [Int]()
            var position = [Int](repeating: 0, count: covered)
            for f in flags {
                if f != 0 {
                    var o = 0
                    for k in 0..<covered { o += position[k] * view.strides[dim + k] }
                    offsets.append(o)
                }
                var k = covered - 1
                while k >= 0 {
                    position[k] += 1
                    if position[k] < coveredShape[k] { break }
                    position[k] = 0
                    k -= 1
                }
            }
            return (offsets, [offsets.count], covered)
        }
        guard index.dtype.category == 1 else {
            throw TensorError.unsupportedDType("tensors used as indices must be long, int, byte or bool tensors, got \(index.dtype.torchName)")
        }
        let size = view.shape[dim]
        var offsets = [Int]()
        for v in index.integers() {
            let p = v < 0 ? Int(v) + size : Int(v)
            guard p >= 0 && p < size else {
                throw TensorError.invalidArgument("index \(v) is out of bounds for dimension \(dim) with size \(size)")
            }
            offsets.append(p * view.strides[dim])
        }
        return (offsets, index.shape, 1)
    }

    /// `t[indices]`: a view for ints, slices, `None` and `...`; a copy when a tensor index is present.
    public func indexed(_ indices: [TensorIndex]) throws -> Tensor {
        let basic = try applyBasic(indices)
        guard let (dim, index) = basic.advanced else { return basic.view }
        let view = basic.view
        let (offsets, replaced, covered) = try Tensor.advancedOffsets(view: view, dim: dim, index: index)
        let pre = Array(view.shape[..<dim]), post = Array(view.shape[(dim + covered)...])
        let outShape = pre + replaced + post
        var out = Tensor(uninitialized: outShape, dtype: dtype, device: device)
        if out.count == 0 { return out }
        var rest = view
        rest.shape = pre + post
        rest.strides = Array(view.strides[..<dim]) + Array(view.strides[(dim + covered)...])
        let restIndices = rest.storageIndices()
        let postCount = post.reduce(1, *)
        let preCount = pre.reduce(1, *)
        let size = dtype.itemSize
        var dst = out.storage.bytes
        let src = storage.bytes
        for p in 0..<preCount {
            for o in offsets {
                for q in 0..<postCount {
                    dst.copyMemory(from: src + (restIndices[p * postCount + q] + o) * size, byteCount: size)
                    dst += size
                }
            }
        }
        out.offset = 0
        return out
    }

    /// `t[indices] = value` (value broadcast to the indexed shape and converted to this dtype).
    /// Writes through to the storage, as PyTorch's in-place assignment does.
    public func assign(_ value: Tensor, at indices: [TensorIndex]) throws {
        let basic = try applyBasic(indices)
        guard let (dim, index) = basic.advanced else {
            try basic.view.copyElements(from: value)
            return
        }
        let view = basic.view
        let (offsets, replaced, covered) = try Tensor.advancedOffsets(view: view, dim: dim, index: index)
        let pre = Array(view.shape[..<dim]), post = Array(view.shape[(dim + covered)...])
        let targetShape = pre + replaced + post
        let source = try value.to(dtype).expand(targetShape)
        let sourceIndices = source.storageIndices()
        var rest = view
        rest.shape = pre + post
        rest.strides = Array(view.strides[..<dim]) + Array(view.strides[(dim + covered)...])
        let restIndices = rest.storageIndices()
        let postCount = post.reduce(1, *), preCount = pre.reduce(1, *)
        let size = dtype.itemSize
        var k = 0
        for p in 0..<preCount {
            for o in offsets {
                for q in 0..<postCount {
                    (storage.bytes + (restIndices[p * postCount + q] + o) * size)
                        .copyMemory(from: source.storage.bytes + sourceIndices[k] * size, byteCount: size)
                    k += 1
                }
            }
        }
    }

    /// Copies `source` (broadcast, converted) into this view's elements in place (`copy_`).
    public func copyElements(from source: Tensor) throws {
        let src = try source.to(dtype).expand(shape)
        let size = dtype.itemSize
        let si = src.storageIndices(), di = storageIndices()
        for k in 0..<di.count {
            (storage.bytes + di[k] * size).copyMemory(from: src.storage.bytes + si[k] * size, byteCount: size)
        }
    }

    /// Fills this view with `value` in place (`fill_`).
    public func fill(_ value: Double) {
        forEachStorageIndex { storeScalar(value, at: $0) }
    }
}
