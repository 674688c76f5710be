import Ops

/// How the performance model counts an op's arithmetic (docs/runtime.md, "mlus inspect").
enum OpCostKind: Equatable {
    /// Convolution: output elements × (Cin/groups · kh · kw) multiply-accumulates.
    case convolution
    /// Transposed convolution: input elements × (Cout/groups · kh · kw) multiply-accumulates.
    case transposedConvolution
    /// Linear / matmul: output elements × the reduced dimension multiply-accumulates.
    case matrixProduct
    /// One operation per output element, activations read and written once.
    case perElement
    /// Metadata only on the card (a view, or a copy the fused graph elides): no time.
    case free
}

extension Op {
    /// The cost rule of this op; exhaustive, so a new op must say how it is counted.
    var costKind: OpCostKind {
        switch self {
        case .conv2d: return .convolution
        case .convTranspose2d: return .transposedConvolution
        case .linear, .matmul: return .matrixProduct
        case .reshape, .view, .flatten, .squeeze, .unsqueeze, .contiguous, .dropout, .expand:
            return .free
        case .add, .sub, .mul, .div, .pow, .maximum, .minimum, .scalarArithmetic, .compare, .compareScalar, .logical,
             .logicalNot, .select, .abs, .neg, .exp, .log, .sqrt, .rsqrt, .clamp, .powScalar, .relu, .relu6, .sigmoid, .tanh,
             .silu, .hardswish, .hardsigmoid, .leakyReLU, .elu, .gelu, .prelu, .softmax, .logSoftmax, .cast, .sum, .mean,
             .maxAll, .minAll, .maxDim, .minDim, .argmax, .argmin, .batchNorm, .maxPool2d, .avgPool2d, .adaptiveAvgPool2d,
             .interpolate, .pad, .permute, .transpose, .index, .cat, .stack, .split, .splitSizes, .chunk:
            return .perElement
        }
    }
}
