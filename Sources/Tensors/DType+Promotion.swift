/// PyTorch's type promotion, reduced to the dtypes mlus has.
extension DType {
    /// Ordering within a category: bool < integers < floating point.
    var category: Int {
        switch self {
        case .bool: return 0
        case .uint8, .int8, .int16, .int32, .int64: return 1
        case .float16, .bfloat16, .float32, .float64: return 2
        }
    }

    /// The dtype both operands convert to when two dimensioned tensors meet (`torch.promote_types`).
    public static func promote(_ a: DType, _ b: DType) -> DType {
        if a == b { return a }
        if a.category != b.category { return a.category > b.category ? a : b }
        switch (a, b) {
        case (.uint8, .int8), (.int8, .uint8): return .int16
        case (.float16, .bfloat16), (.bfloat16, .float16): return .float32
        default: return a.rank >= b.rank ? a : b
        }
    }

    private var rank: Int {
        switch self {
        case .bool: return 0
        case .uint8: return 1
        case .int8: return 1
        case .int16: return 2
        case .int32: return 3
        case .int64: return 4
        case .float16, .bfloat16: return 1
        case .float32: return 2
        case .float64: return 3
        }
    }

    /// Result dtype of a binary operation, following PyTorch: a zero-dim operand only decides the
    /// dtype when it is of a higher category (bool < integer < float) than the dimensioned one.
    public static func result(_ a: Tensor, _ b: Tensor) -> DType {
        let aDim = a.rank > 0, bDim = b.rank > 0
        if aDim == bDim { return promote(a.dtype, b.dtype) }
        let (dimensioned, scalar) = aDim ? (a.dtype, b.dtype) : (b.dtype, a.dtype)
        if scalar.category > dimensioned.category {
            return scalar.category == 2 && scalar != .float64 ? .float32 : scalar
        }
        return dimensioned
    }
}
