import Tensors

/// The operator vocabulary shared by eager execution, tracing, graph passes, the offline model and the
/// performance model (DESIGN §2). Each case carries its attributes; tensors are inputs, in the order given
/// in the case's comment. Adding an operator: a case here, its properties (`Op+Properties`), its shape rule
/// (`Op+Shapes`), its CPU kernel (`CPUBackend`), a `TensorOps` entry and a fixture row.
public enum Op: Sendable {
    // Element-wise binary with broadcasting. Inputs: a, b.
    case add, sub, mul, div, pow, maximum, minimum
    /// `a op scalar`, or `scalar op a` when `scalarFirst`. Inputs: a.
    case scalarArithmetic(BinaryOperator, Double, scalarFirst: Bool)
    /// Inputs: a, b. Output: bool.
    case compare(ComparisonOperator)
    /// Inputs: a. Output: bool.
    case compareScalar(ComparisonOperator, Double)
    /// Inputs: a, b (nonzero is true). Output: bool.
    case logical(LogicalOperator)
    /// Inputs: a.
    case logicalNot
    /// `torch.where`. Inputs: condition, a, b.
    case select

    // Element-wise unary. Inputs: x.
    case abs, neg, exp, log, sqrt, rsqrt
    case clamp(min: Double?, max: Double?)
    case powScalar(Double)
    case relu, relu6, sigmoid, tanh, silu, hardswish, hardsigmoid
    case leakyReLU(slope: Double)
    case elu(alpha: Double)
    case gelu(tanhApproximation: Bool)
    /// Inputs: x, slope ([1] or [C]).
    case prelu
    case softmax(dim: Int)
    case logSoftmax(dim: Int)
    /// Training mode zeroes elements with probability p and scales the rest by 1/(1-p); otherwise identity.
    case dropout(p: Double, training: Bool)
    case cast(DType)

    // Reductions. Inputs: x.
    case sum(dims: [Int]?, keepDim: Bool)
    case mean(dims: [Int]?, keepDim: Bool)
    case maxAll, minAll
    /// Outputs: values, indices.
    case maxDim(dim: Int, keepDim: Bool)
    /// Outputs: values, indices.
    case minDim(dim: Int, keepDim: Bool)
    case argmax(dim: Int?, keepDim: Bool)
    case argmin(dim: Int?, keepDim: Bool)

    // Linear algebra and CNN layers.
    /// Inputs: a, b.
    case matmul
    /// Inputs: x, weight [out, in], optional bias.
    case linear
    /// Inputs: x NCHW, weight [out, in/groups, kh, kw], optional bias.
    case conv2d(Conv2dAttributes)
    /// Inputs: x NCHW, weight [in, out/groups, kh, kw], optional bias.
    case convTranspose2d(ConvTranspose2dAttributes)
    /// Inference batch norm with given statistics. Inputs: x, mean, var, then weight and bias when `affine`.
    case batchNorm(eps: Double, affine: Bool)
    case maxPool2d(Pool2dAttributes)
    case avgPool2d(Pool2dAttributes)
    /// Output (height, width).
    case adaptiveAvgPool2d(outputSize: [Int])
    case interpolate(InterpolateAttributes)
    /// Constant padding, (before, after) pairs from the last dimension.
    case pad([Int], value: Double)

    // Shape and data movement. Inputs: x (cat/stack: all parts).
    case reshape([Int])
    case view([Int])
    case permute([Int])
    case transpose(Int, Int)
    case flatten(startDim: Int, endDim: Int)
    case squeeze(Int?)
    case unsqueeze(Int)
    case expand([Int])
    case contiguous
    /// Inputs: x, then one tensor per `.tensorInput` component.
    case index([IndexComponent])
    case cat(dim: Int)
    case stack(dim: Int)
    /// Outputs: the pieces.
    case split(size: Int, dim: Int)
    /// Outputs: the pieces.
    case splitSizes([Int], dim: Int)
    /// Outputs: the pieces.
    case chunk(Int, dim: Int)
}
