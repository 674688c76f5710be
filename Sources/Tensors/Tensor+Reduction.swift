/// Reductions over all elements or along dimensions.
public enum ReductionOperator: Sendable, Hashable {
    case sum, mean, max, min, argmax, argmin
}

extension Tensor {
    /// Moves `dims` to the end and returns rows of length `product(shape[dims])` as Doubles,
    /// plus the shape of the result (with or without the reduced dimensions kept as 1).
    private func rows(over dims: [Int], keepDim: Bool) throws -> (values: [Double], rowLength: Int, outShape: [Int]) {
        let reduced = Set(dims)
        let kept = (0..<rank).filter { !reduced.contains($0) }
        let order = kept + dims.sorted()
        let moved = try permute(order)
        let values: [Double]
        if dtype == .float32 {
            values = moved.dense().floats().map(Double.init)
        } else {
            values = moved.scalars()
        }
        let rowLength = dims.map { shape[$0] }.reduce(1, *)
        var outShape = [Int]()
        for d in 0..<rank {
            if reduced.contains(d) { if keepDim { outShape.append(1) } } else { outShape.append(shape[d]) }
        }
        return (values, rowLength, outShape)
    }

    private func normalizedDims(_ dims: [Int]?, op: String) throws -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(0..<rank) }
        if rank == 0 {
            for d in dims { _ = try Tensor.normalizeDim(d, rank: 0, op: op) }
            return []
        }
        let n = try dims.map { try Tensor.normalizeDim($0, rank: rank, op: op) }
        guard Set(n).count == n.count else {
            throw TensorError.invalidArgument("\(op): dim \(dims) appears multiple times in the list of dims")
        }
        return n
    }

    /// Sum over `dims` (all when nil). Integer and bool inputs sum to int64.
    public func sum(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        let d = try normalizedDims(dims, op: "sum")
        let (values, length, outShape) = try rows(over: d, keepDim: keepDim)
        let outType: DType = dtype.category == 2 ? dtype : .int64
        let rowsCount = length == 0 ? outShape.reduce(1, *) : values.count / length
        var out = [Double](repeating: 0, count: rowsCount)
        if length > 0 {
            for r in 0..<rowsCount {
                var s = 0.0
                for i in 0..<length { s += values[r * length + i] }
                out[r] = s
            }
        }
        if outType == .int64 {
            let ints = try permute((0..<rank).filter { !d.contains($0) } + d.sorted()).contiguous().integers()
            var sums = [Int64](repeating: 0, count: rowsCount)
            if length > 0 { for r in 0..<rowsCount { for i in 0..<length { sums[r] &+= ints[r * length + i] } } }
            return try Tensor(int64s: sums, shape: outShape)
        }
        return try Tensor(doubles: out, shape: outShape, dtype: outType, device: device)
    }

    /// Mean over `dims` (all when nil); floating-point inputs only, as in PyTorch.
    public func mean(dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        guard dtype.category == 2 else {
            throw TensorError.unsupportedDType("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: \(dtype.rawValue.capitalized)")
        }
        let d = try normalizedDims(dims, op: "mean")
        let (values, length, outShape) = try rows(over: d, keepDim: keepDim)
        let rowsCount = outShape.reduce(1, *)
        var out = [Double](repeating: .nan, count: rowsCount)
        if length > 0 {
            for r in 0..<rowsCount {
                var s = 0.0
                for i in 0..<length { s += values[r * length + i] }
                out[r] = s / Double(length)
            }
        }
        return try Tensor(doubles: out, shape: outShape, dtype: dtype, device: device)
    }

    /// Index and value of the maximum (or minimum) of each row; NaN wins, first occurrence wins ties.
    private func extremum(dim: Int?, keepDim: Bool, largest: Bool, op: String) throws -> (values: Tensor, indices: Tensor) {
        if count == 0 && (dim == nil || rank == 0) {
            throw TensorError.invalidArgument("\(op)(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument (input shape \(shape))")
        }
        let d: [Int]
        if let dim {
            d = rank == 0 ? try normalizedDims([dim], op: op) : [try Tensor.normalizeDim(dim, rank: rank, op: op)]
            if rank > 0 && shape[d[0]] == 0 {
                throw TensorError.invalidArgument("\(op)(): Expected reduction dim \(d[0]) to have non-zero size (input shape \(shape))")
            }
        } else {
            d = Array(0..<rank)
        }
        let (values, length, outShape) = try rows(over: d, keepDim: keepDim)
        let rowsCount = outShape.reduce(1, *)
        var best = [Double](repeating: 0, count: rowsCount)
        var index = [Int64](repeating: 0, count: rowsCount)
        for r in 0..<rowsCount {
            var b = values[r * length]
            var bi = 0
            if !b.isNaN {
                for i in 1..<Swift.max(length, 1) {
                    let v = values[r * length + i]
                    if v.isNaN { b = v; bi = i; break }
                    if largest ? v > b : v < b { b = v; bi = i }
                }
            }
            best[r] = b
            index[r] = Int64(bi)
        }
        return (try Tensor(doubles: best, shape: outShape, dtype: dtype, device: device),
                try Tensor(int64s: index, shape: outShape))
    }

    /// Maximum over all elements (rank-0 result).
    public func reduceMax() throws -> Tensor { try extremum(dim: nil, keepDim: false, largest: true, op: "max").values }
    /// Minimum over all elements (rank-0 result).
    public func reduceMin() throws -> Tensor { try extremum(dim: nil, keepDim: false, largest: false, op: "min").values }

    /// Maximum values and their indices along `dim` (`torch.max(x, dim)`).
    public func reduceMax(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremum(dim: dim, keepDim: keepDim, largest: true, op: "max")
    }

    /// Minimum values and their indices along `dim`.
    public func reduceMin(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try extremum(dim: dim, keepDim: keepDim, largest: false, op: "min")
    }

    /// Index of the maximum along `dim`, or in the flattened tensor when `dim` is nil.
    public func argmax(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        if dim == nil { return try reshape([-1]).extremum(dim: 0, keepDim: false, largest: true, op: "argmax").indices }
        return try extremum(dim: dim, keepDim: keepDim, largest: true, op: "argmax").indices
    }

    /// Index of the minimum along `dim`, or in the flattened tensor when `dim` is nil.
    public func argmin(dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        if dim == nil { return try reshape([-1]).extremum(dim: 0, keepDim: false, largest: false, op: "argmin").indices }
        return try extremum(dim: dim, keepDim: keepDim, largest: false, op: "argmin").indices
    }
}
