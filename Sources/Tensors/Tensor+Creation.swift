/// Factory functions (`torch.zeros`, `ones`, `full`, `arange`, `rand`, `randn`).
extension Tensor {
    private static func checkShape(_ shape: [Int], _ op: String) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidArgument("\(op): Trying to create tensor with negative dimension in shape \(shape)")
        }
        try checkAllocation(shape, op: op)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try checkShape(shape, "zeros")
        return Tensor(zeros: shape, dtype: dtype, device: device)
    }

    /// A tensor of ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, value: 1, dtype: dtype, device: device)
    }

    /// A tensor filled with `value`.
    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try checkShape(shape, "full")
        let t = Tensor(uninitialized: shape, dtype: dtype, device: device)
        if dtype == .float32 {
            let p = t.baseAddress.assumingMemoryBound(to: Float.self)
            p.initialize(repeating: Float(value), count: t.count)
        } else {
            for i in 0..<t.count { t.storeScalar(value, at: i) }
        }
        return t
    }

    /// Values `start, start+step, ...` below `end` (above for negative steps). Without a dtype the result is
    /// int64 when all three are integral and float32 otherwise, as in PyTorch.
    public static func arange(start: Double = 0, end: Double, step: Double = 1, dtype: DType? = nil) throws -> Tensor {
        guard step != 0 else { throw TensorError.invalidArgument("arange: step must be nonzero") }
        guard start.isFinite, end.isFinite else { throw TensorError.invalidArgument("arange: unsupported range: \(start) -> \(end)") }
        guard (step > 0 && end >= start) || (step < 0 && end <= start) else {
            throw TensorError.invalidArgument("arange: upper bound and larger bound inconsistent with step sign (start \(start), end \(end), step \(step))")
        }
        let integral = [start, end, step].allSatisfy { $0.rounded() == $0 }
        let type = dtype ?? (integral ? .int64 : .float32)
        let length = ((end - start) / step).rounded(.up)
        guard length <= Double(1 << 40) else { throw TensorError.invalidArgument("arange: \(length) elements is too many") }
        let n = Int(length)
        return try Tensor(doubles: (0..<n).map { start + Double($0) * step }, shape: [n], dtype: type)
    }

    /// Uniform values in [0, 1) from `generator` (PyTorch's float recipe on the same mt19937 stream).
    public static func rand(_ shape: [Int], generator: Generator = .shared, dtype: DType = .float32) throws -> Tensor {
        try checkShape(shape, "rand")
        let values = generator.uniformFloats(shape.reduce(1, *))
        return Tensor(values, shape: shape).to(dtype)
    }

    /// Standard normal values from `generator`.
    public static func randn(_ shape: [Int], generator: Generator = .shared, dtype: DType = .float32) throws -> Tensor {
        try checkShape(shape, "randn")
        let values = generator.normalFloats(shape.reduce(1, *))
        return Tensor(values, shape: shape).to(dtype)
    }
}
