import CKernels

/// Views: new shapes and strides over the same storage (no copy), and the copies that some of them need.
extension Tensor {
    /// Normalises a possibly negative dimension for a tensor of `rank` (PyTorch's wrap rules).
    public static func normalizeDim(_ dim: Int, rank: Int, op: String = "dim") throws -> Int {
        let r = max(rank, 1)
        guard dim >= -r && dim < r else {
            throw TensorError.invalidArgument("\(op): Dimension out of range (expected to be in range of [\(-r), \(r - 1)], but got \(dim))")
        }
        return dim < 0 ? dim + r : dim
    }

    /// Resolves one `-1` in `shape` against `count` elements.
    static func inferShape(_ shape: [Int], count: Int, from original: [Int]) throws -> [Int] {
        var out = shape
        var inferred: Int? = nil
        var known = 1
        for (i, s) in shape.enumerated() {
            if s == -1 {
                guard inferred == nil else { throw TensorError.invalidArgument("only one dimension can be inferred in shape \(shape)") }
                inferred = i
            } else if s < 0 {
                throw TensorError.invalidArgument("invalid shape dimension \(s) in \(shape)")
            } else {
                let (p, overflow) = known.multipliedReportingOverflow(by: s)
                guard !overflow else { throw TensorError.invalidArgument("shape \(shape) overflows") }
                known = p
            }
        }
        if let i = inferred {
            guard known != 0, count % known == 0 else {
                throw TensorError.shapeMismatch("shape '\(shape)' is invalid for input of size \(count) (input shape \(original))")
            }
            out[i] = count / known
        } else if known != count {
            throw TensorError.shapeMismatch("shape '\(shape)' is invalid for input of size \(count) (input shape \(original))")
        }
        return out
    }

    /// Contiguous data, copying with the vectorised gather for float32.
    public func dense() -> Tensor {
        if isContiguous { return self }
        guard dtype == .float32, rank <= 8 else { return clonedContiguous() }
        let out = Tensor(uninitialized: shape, dtype: .float32, device: device)
        let s = strides.map(Int64.init), sh = shape.map(Int64.init)
        mlus_gather_f32(out.baseAddress.assumingMemoryBound(to: Float.self),
                        baseAddress.assumingMemoryBound(to: Float.self), s, sh, Int32(rank))
        return out
    }

    /// Strides for viewing this tensor as `newShape` without copying, or nil when impossible
    /// (PyTorch's `computeStride`).
    func viewStrides(for newShape: [Int]) -> [Int]? {
        if count == 0 || isContiguous { return Tensor.contiguousStrides(for: newShape) }
        var newStrides = [Int](repeating: 0, count: newShape.count)
        var viewD = newShape.count - 1
        var chunkBase = strides.last ?? 1
        var tensorNumel = 1
        var viewNumel = 1
        var tensorD = shape.count - 1
        while tensorD >= 0 {
            tensorNumel *= shape[tensorD]
            if tensorD == 0 || (shape[tensorD - 1] != 1 && strides[tensorD - 1] != tensorNumel * chunkBase) {
                while viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1) {
                    newStrides[viewD] = viewNumel * chunkBase
                    viewNumel *= newShape[viewD]
                    viewD -= 1
                }
                if viewNumel != tensorNumel { return nil }
                if tensorD > 0 {
                    chunkBase = strides[tensorD - 1]
                    tensorNumel = 1
                    viewNumel = 1
                }
            }
            tensorD -= 1
        }
        if viewD != -1 { return nil }
        return newStrides
    }

    /// A view with a new shape (one entry may be -1); throws when the strides do not allow it.
    public func view(_ shape: [Int]) throws -> Tensor {
        let target = try Tensor.inferShape(shape, count: count, from: self.shape)
        try Tensor.checkShape(target, op: "view")
        guard let s = viewStrides(for: target) else {
            throw TensorError.invalidView("view size \(target) is not compatible with input tensor's size \(self.shape) and stride \(strides); use reshape instead")
        }
        var t = self
        t.shape = target
        t.strides = s
        return t
    }

    /// `view` when possible, otherwise a contiguous copy with the new shape.
    public func reshape(_ shape: [Int]) throws -> Tensor {
        let target = try Tensor.inferShape(shape, count: count, from: self.shape)
        try Tensor.checkShape(target, op: "reshape")
        if let s = viewStrides(for: target) {
            var t = self
            t.shape = target
            t.strides = s
            return t
        }
        var t = dense()
        t.shape = target
        t.strides = Tensor.contiguousStrides(for: target)
        return t
    }

    /// Reorders the dimensions.
    public func permute(_ dims: [Int]) throws -> Tensor {
        guard dims.count == rank else {
            throw TensorError.invalidArgument("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = \(rank) is not equal to len(dims) = \(dims.count)")
        }
        let normalized = try dims.map { try Tensor.normalizeDim($0, rank: rank, op: "permute") }
        guard Set(normalized).count == rank else {
            throw TensorError.invalidArgument("permute(): duplicate dims are not allowed in \(dims)")
        }
        var t = self
        t.shape = normalized.map { shape[$0] }
        t.strides = normalized.map { strides[$0] }
        return t
    }

    /// Swaps two dimensions.
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        if rank == 0 { return self }
        let a = try Tensor.normalizeDim(dim0, rank: rank, op: "transpose")
        let b = try Tensor.normalizeDim(dim1, rank: rank, op: "transpose")
        var t = self
        t.shape.swapAt(a, b)
        t.strides.swapAt(a, b)
        return t
    }

    /// Merges dimensions `startDim...endDim` into one.
    public func flatten(startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        if rank == 0 { return try reshape([1]) }
        let s = try Tensor.normalizeDim(startDim, rank: rank, op: "flatten")
        let e = try Tensor.normalizeDim(endDim, rank: rank, op: "flatten")
        guard s <= e else { throw TensorError.invalidArgument("flatten() has invalid args: start_dim \(startDim) cannot come after end_dim \(endDim)") }
        if s == e { return self }
        let merged = shape[s...e].reduce(1, *)
        return try reshape(Array(shape[..<s]) + [merged] + Array(shape[(e + 1)...]))
    }

    /// Removes size-1 dimensions (all of them, or only `dim`).
    public func squeeze(_ dim: Int? = nil) throws -> Tensor {
        var t = self
        if let dim {
            if rank == 0 { return self }
            let d = try Tensor.normalizeDim(dim, rank: rank, op: "squeeze")
            if shape[d] != 1 { return self }
            t.shape.remove(at: d)
            t.strides.remove(at: d)
            return t
        }
        let keep = shape.indices.filter { shape[$0] != 1 }
        t.shape = keep.map { shape[$0] }
        t.strides = keep.map { strides[$0] }
        return t
    }

    /// Inserts a size-1 dimension at `dim` (in `-(rank+1)...rank`).
    public func unsqueeze(_ dim: Int) throws -> Tensor {
        let d = try Tensor.normalizeDim(dim, rank: rank + 1, op: "unsqueeze")
        var t = self
        let stride = d < rank ? shape[d] * strides[d] : 1
        t.shape.insert(1, at: d)
        t.strides.insert(stride, at: d)
        return t
    }

    /// Repeats size-1 dimensions (stride 0) to `shape`; -1 keeps a dimension; new leading dimensions may be added.
    public func expand(_ shape: [Int]) throws -> Tensor {
        guard shape.count >= rank else {
            throw TensorError.shapeMismatch("expand: the number of sizes provided (\(shape.count)) must be greater or equal to the number of dimensions in the tensor (\(rank)); tensor shape \(self.shape)")
        }
        let lead = shape.count - rank
        var newShape = [Int](), newStrides = [Int]()
        for (i, s) in shape.enumerated() {
            if i < lead {
                guard s >= 0 else { throw TensorError.invalidArgument("expand: -1 is not allowed in a leading, non-existing dimension \(i) of \(shape)") }
                newShape.append(s); newStrides.append(0)
                continue
            }
            let own = self.shape[i - lead]
            let target = s == -1 ? own : s
            if own == target {
                newShape.append(own); newStrides.append(strides[i - lead])
            } else if own == 1 {
                guard target >= 0 else { throw TensorError.invalidArgument("expand: invalid size \(s) in \(shape)") }
                newShape.append(target); newStrides.append(0)
            } else {
                throw TensorError.shapeMismatch("The expanded size of the tensor (\(target)) must match the existing size (\(own)) at non-singleton dimension \(i).  Target sizes: \(shape).  Tensor sizes: \(self.shape)")
            }
        }
        try Tensor.checkShape(newShape, op: "expand")
        var t = self
        t.shape = newShape
        t.strides = newStrides
        return t
    }

    /// The view `start..<start+length` along `dim`.
    public func narrow(_ dim: Int, start: Int, length: Int) throws -> Tensor {
        let d = try Tensor.normalizeDim(dim, rank: rank, op: "narrow")
        let s = start < 0 ? start + shape[d] : start
        guard s >= 0, length >= 0, s + length <= shape[d] else {
            throw TensorError.invalidArgument("narrow: start \(start) + length \(length) exceeds dimension \(d) of size \(shape[d]) (shape \(shape))")
        }
        var t = self
        t.offset += s * strides[d]
        t.shape[d] = length
        return t
    }

    /// Broadcast shape of two shapes (NumPy rules); the error names both shapes.
    public static func broadcastShapes(_ a: [Int], _ b: [Int]) throws -> [Int] {
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let x = i < n - a.count ? 1 : a[i - (n - a.count)]
            let y = i < n - b.count ? 1 : b[i - (n - b.count)]
            if x == y || y == 1 { out[i] = x }
            else if x == 1 { out[i] = y }
            else {
                throw TensorError.shapeMismatch("The size of tensor a (\(x)) must match the size of tensor b (\(y)) at non-singleton dimension \(i); shapes \(a) and \(b) do not broadcast")
            }
        }
        return out
    }
}
