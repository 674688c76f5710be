import Tensors

/// The dispatched tensor API: one function per operator, each going through `Dispatcher.shared`.
/// The script bindings (`torch.*`, `Tensor` methods, `torch.nn.functional`) and the NN layers call these,
/// never the Tensors kernels directly, so tracing and the MLU backend see every operation.
/// Creation functions (`zeros`, `rand`, ...) and metadata reads (`shape`, `item`) are not operators and
/// are called on `Tensor` directly.
public enum TensorOps {
    static func tensorIndex(_ c: IndexComponent) -> TensorIndex {
        switch c {
        case .at(let i): return .at(i)
        case .range(let a, let b, let s): return .range(a, b, s)
        case .newAxis: return .newAxis
        case .ellipsis: return .ellipsis
        case .tensorInput: return .ellipsis
        }
    }

    static var d: Dispatcher { Dispatcher.shared }

    // MARK: Arithmetic and comparisons

    /// `a + b` with broadcasting.
    public static func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.add, [a, b]) }
    public static func sub(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.sub, [a, b]) }
    public static func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.mul, [a, b]) }
    /// True division (integers give float32).
    public static func div(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.div, [a, b]) }
    public static func pow(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.pow, [a, b]) }
    public static func maximum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.maximum, [a, b]) }
    public static func minimum(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.minimum, [a, b]) }
    /// `a op scalar` (Python number on the right).
    public static func arithmetic(_ op: BinaryOperator, _ a: Tensor, scalar: Double) throws -> Tensor {
        try d.run1(.scalarArithmetic(op, scalar, scalarFirst: false), [a])
    }
    /// `scalar op a` (Python number on the left, e.g. `1 - x`).
    public static func arithmetic(_ op: BinaryOperator, scalar: Double, _ a: Tensor) throws -> Tensor {
        try d.run1(.scalarArithmetic(op, scalar, scalarFirst: true), [a])
    }
    public static func compare(_ op: ComparisonOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.compare(op), [a, b]) }
    public static func compare(_ op: ComparisonOperator, _ a: Tensor, scalar: Double) throws -> Tensor {
        try d.run1(.compareScalar(op, scalar), [a])
    }
    public static func logical(_ op: LogicalOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.logical(op), [a, b]) }
    public static func logicalNot(_ a: Tensor) throws -> Tensor { try d.run1(.logicalNot, [a]) }
    /// `torch.where(condition, a, b)`.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.select, [condition, a, b]) }

    // MARK: Unary math and activations

    public static func abs(_ x: Tensor) throws -> Tensor { try d.run1(.abs, [x]) }
    public static func neg(_ x: Tensor) throws -> Tensor { try d.run1(.neg, [x]) }
    public static func exp(_ x: Tensor) throws -> Tensor { try d.run1(.exp, [x]) }
    public static func log(_ x: Tensor) throws -> Tensor { try d.run1(.log, [x]) }
    public static func sqrt(_ x: Tensor) throws -> Tensor { try d.run1(.sqrt, [x]) }
    public static func rsqrt(_ x: Tensor) throws -> Tensor { try d.run1(.rsqrt, [x]) }
    public static func clamp(_ x: Tensor, min: Double?, max: Double?) throws -> Tensor { try d.run1(.clamp(min: min, max: max), [x]) }
    public static func pow(_ x: Tensor, exponent: Double) throws -> Tensor { try d.run1(.powScalar(exponent), [x]) }
    public static func relu(_ x: Tensor) throws -> Tensor { try d.run1(.relu, [x]) }
    public static func relu6(_ x: Tensor) throws -> Tensor { try d.run1(.relu6, [x]) }
    public static func leakyReLU(_ x: Tensor, slope: Double = 0.01) throws -> Tensor { try d.run1(.leakyReLU(slope: slope), [x]) }
    public static func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor { try d.run1(.prelu, [x, weight]) }
    public static func elu(_ x: Tensor, alpha: Double = 1) throws -> Tensor { try d.run1(.elu(alpha: alpha), [x]) }
    public static func silu(_ x: Tensor) throws -> Tensor { try d.run1(.silu, [x]) }
    /// GELU; `approximate: "tanh"` in PyTorch is `tanhApproximation: true`.
    public static func gelu(_ x: Tensor, tanhApproximation: Bool = false) throws -> Tensor {
        try d.run1(.gelu(tanhApproximation: tanhApproximation), [x])
    }
    public static func hardswish(_ x: Tensor) throws -> Tensor { try d.run1(.hardswish, [x]) }
    public static func hardsigmoid(_ x: Tensor) throws -> Tensor { try d.run1(.hardsigmoid, [x]) }
    public static func sigmoid(_ x: Tensor) throws -> Tensor { try d.run1(.sigmoid, [x]) }
    public static func tanh(_ x: Tensor) throws -> Tensor { try d.run1(.tanh, [x]) }
    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor { try d.run1(.softmax(dim: dim), [x]) }
    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor { try d.run1(.logSoftmax(dim: dim), [x]) }
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool) throws -> Tensor {
        try d.run1(.dropout(p: p, training: training), [x])
    }
    /// Converts to `dtype` (`tensor.to(dtype)`, `.half()`, `.float()`).
    public static func cast(_ x: Tensor, to dtype: DType) throws -> Tensor { try d.run1(.cast(dtype), [x]) }

    // MARK: Reductions

    public static func sum(_ x: Tensor, dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        try d.run1(.sum(dims: dims, keepDim: keepDim), [x])
    }
    public static func mean(_ x: Tensor, dims: [Int]? = nil, keepDim: Bool = false) throws -> Tensor {
        try d.run1(.mean(dims: dims, keepDim: keepDim), [x])
    }
    public static func max(_ x: Tensor) throws -> Tensor { try d.run1(.maxAll, [x]) }
    public static func min(_ x: Tensor) throws -> Tensor { try d.run1(.minAll, [x]) }
    /// `torch.max(x, dim)`: values and indices.
    public static func max(_ x: Tensor, dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let r = try d.run(.maxDim(dim: dim, keepDim: keepDim), [x])
        return (r[0], r[1])
    }
    public static func min(_ x: Tensor, dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        let r = try d.run(.minDim(dim: dim, keepDim: keepDim), [x])
        return (r[0], r[1])
    }
    public static func argmax(_ x: Tensor, dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try d.run1(.argmax(dim: dim, keepDim: keepDim), [x])
    }
    public static func argmin(_ x: Tensor, dim: Int? = nil, keepDim: Bool = false) throws -> Tensor {
        try d.run1(.argmin(dim: dim, keepDim: keepDim), [x])
    }

    // MARK: Linear algebra and CNN layers

    public static func matmul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try d.run1(.matmul, [a, b]) }
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try d.run1(.linear, [x, weight] + (bias.map { [$0] } ?? []))
    }
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, _ attributes: Conv2dAttributes = Conv2dAttributes()) throws -> Tensor {
        try d.run1(.conv2d(attributes), [x, weight] + (bias.map { [$0] } ?? []))
    }
    public static func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor?,
                                       _ attributes: ConvTranspose2dAttributes = ConvTranspose2dAttributes()) throws -> Tensor {
        try d.run1(.convTranspose2d(attributes), [x, weight] + (bias.map { [$0] } ?? []))
    }
    /// Batch norm with given statistics (inference form; training statistics are computed by the caller).
    public static func batchNorm(_ x: Tensor, mean: Tensor, variance: Tensor, weight: Tensor?, bias: Tensor?, eps: Double) throws -> Tensor {
        if weight != nil || bias != nil {
            // One of the two alone (BatchNorm with bias=False) runs as the affine op with the identity for the other.
            let c = mean.count
            let w = try weight ?? Tensor.ones([c], device: mean.device)
            let b = try bias ?? Tensor.zeros([c], device: mean.device)
            return try d.run1(.batchNorm(eps: eps, affine: true), [x, mean, variance, w, b])
        }
        return try d.run1(.batchNorm(eps: eps, affine: false), [x, mean, variance])
    }
    public static func maxPool2d(_ x: Tensor, _ attributes: Pool2dAttributes) throws -> Tensor { try d.run1(.maxPool2d(attributes), [x]) }
    public static func avgPool2d(_ x: Tensor, _ attributes: Pool2dAttributes) throws -> Tensor { try d.run1(.avgPool2d(attributes), [x]) }
    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: [Int]) throws -> Tensor {
        try d.run1(.adaptiveAvgPool2d(outputSize: outputSize), [x])
    }
    public static func interpolate(_ x: Tensor, _ attributes: InterpolateAttributes) throws -> Tensor {
        try d.run1(.interpolate(attributes), [x])
    }
    public static func pad(_ x: Tensor, _ pad: [Int], value: Double = 0) throws -> Tensor { try d.run1(.pad(pad, value: value), [x]) }

    // MARK: Shapes and data movement

    public static func reshape(_ x: Tensor, _ shape: [Int]) throws -> Tensor { try d.run1(.reshape(shape), [x]) }
    public static func view(_ x: Tensor, _ shape: [Int]) throws -> Tensor { try d.run1(.view(shape), [x]) }
    public static func permute(_ x: Tensor, _ dims: [Int]) throws -> Tensor { try d.run1(.permute(dims), [x]) }
    public static func transpose(_ x: Tensor, _ a: Int, _ b: Int) throws -> Tensor { try d.run1(.transpose(a, b), [x]) }
    public static func flatten(_ x: Tensor, startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        try d.run1(.flatten(startDim: startDim, endDim: endDim), [x])
    }
    public static func squeeze(_ x: Tensor, dim: Int? = nil) throws -> Tensor { try d.run1(.squeeze(dim), [x]) }
    public static func unsqueeze(_ x: Tensor, dim: Int) throws -> Tensor { try d.run1(.unsqueeze(dim), [x]) }
    public static func expand(_ x: Tensor, _ shape: [Int]) throws -> Tensor { try d.run1(.expand(shape), [x]) }
    public static func contiguous(_ x: Tensor) throws -> Tensor { try d.run1(.contiguous, [x]) }
    /// `x[indices]` (Python subscript); tensor entries become extra op inputs.
    public static func index(_ x: Tensor, _ indices: [TensorIndex]) throws -> Tensor {
        var components = [IndexComponent]()
        var tensors = [Tensor]()
        for i in indices {
            switch i {
            case .at(let k): components.append(.at(k))
            case .range(let a, let b, let s): components.append(.range(a, b, s))
            case .newAxis: components.append(.newAxis)
            case .ellipsis: components.append(.ellipsis)
            case .tensor(let t): components.append(.tensorInput); tensors.append(t)
            }
        }
        return try d.run1(.index(components), [x] + tensors)
    }
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor { try d.run1(.cat(dim: dim), tensors) }
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor { try d.run1(.stack(dim: dim), tensors) }
    public static func split(_ x: Tensor, size: Int, dim: Int = 0) throws -> [Tensor] { try d.run(.split(size: size, dim: dim), [x]) }
    public static func split(_ x: Tensor, sizes: [Int], dim: Int = 0) throws -> [Tensor] { try d.run(.splitSizes(sizes, dim: dim), [x]) }
    public static func chunk(_ x: Tensor, _ chunks: Int, dim: Int = 0) throws -> [Tensor] { try d.run(.chunk(chunks, dim: dim), [x]) }
}
