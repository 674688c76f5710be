/// Facts about an operator, kept as data so checks such as "which ops of this graph cannot run on the MLU"
/// are set differences rather than special cases.
public struct OpProperties: Hashable, Sendable {
    /// Output element i depends only on input element i (after broadcasting).
    public var isElementwise: Bool
    /// Cambricon quantizes this op's inputs and weights (Conv/Linear family: observers, int8/int16).
    public var isQuantizable: Bool
    /// The op exists in PyTorch 1.3 (the version Cambricon's Catch stack is built on).
    public var existsInPyTorch13: Bool
    /// The emulated MLU (MLU220/MLU270 rules) runs this op.
    public var supportedOnMLU: Bool
    /// Only changes shape/strides or copies data; no arithmetic.
    public var movesDataOnly: Bool
}

extension Op {
    /// The PyTorch name of the operator (`torch.`/`F.` function or Tensor method).
    public var name: String {
        switch self {
        case .add: return "add"
        case .sub: return "sub"
        case .mul: return "mul"
        case .div: return "div"
        case .pow: return "pow"
        case .maximum: return "maximum"
        case .minimum: return "minimum"
        case .scalarArithmetic(let op, _, _):
            switch op {
            case .add: return "add"
            case .sub: return "sub"
            case .mul: return "mul"
            case .div: return "div"
            case .pow: return "pow"
            case .maximum: return "clamp_min"
            case .minimum: return "clamp_max"
            }
        case .compare(let c), .compareScalar(let c, _):
            switch c {
            case .equal: return "eq"
            case .notEqual: return "ne"
            case .less: return "lt"
            case .lessEqual: return "le"
            case .greater: return "gt"
            case .greaterEqual: return "ge"
            }
        case .logical(let l):
            switch l {
            case .and: return "logical_and"
            case .or: return "logical_or"
            case .xor: return "logical_xor"
            }
        case .logicalNot: return "logical_not"
        case .select: return "where"
        case .abs: return "abs"
        case .neg: return "neg"
        case .exp: return "exp"
        case .log: return "log"
        case .sqrt: return "sqrt"
        case .rsqrt: return "rsqrt"
        case .clamp: return "clamp"
        case .powScalar: return "pow"
        case .relu: return "relu"
        case .relu6: return "relu6"
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .silu: return "silu"
        case .hardswish: return "hardswish"
        case .hardsigmoid: return "hardsigmoid"
        case .leakyReLU: return "leaky_relu"
        case .elu: return "elu"
        case .gelu: return "gelu"
        case .prelu: return "prelu"
        case .softmax: return "softmax"
        case .logSoftmax: return "log_softmax"
        case .dropout: return "dropout"
        case .cast: return "to"
        case .sum: return "sum"
        case .mean: return "mean"
        case .maxAll, .maxDim: return "max"
        case .minAll, .minDim: return "min"
        case .argmax: return "argmax"
        case .argmin: return "argmin"
        case .matmul: return "matmul"
        case .linear: return "linear"
        case .conv2d: return "conv2d"
        case .convTranspose2d: return "conv_transpose2d"
        case .batchNorm: return "batch_norm"
        case .maxPool2d: return "max_pool2d"
        case .avgPool2d: return "avg_pool2d"
        case .adaptiveAvgPool2d: return "adaptive_avg_pool2d"
        case .interpolate: return "interpolate"
        case .pad: return "pad"
        case .reshape: return "reshape"
        case .view: return "view"
        case .permute: return "permute"
        case .transpose: return "transpose"
        case .flatten: return "flatten"
        case .squeeze: return "squeeze"
        case .unsqueeze: return "unsqueeze"
        case .expand: return "expand"
        case .contiguous: return "contiguous"
        case .index: return "__getitem__"
        case .cat: return "cat"
        case .stack: return "stack"
        case .split, .splitSizes: return "split"
        case .chunk: return "chunk"
        }
    }

    /// The operator's properties (see `OpProperties`).
    public var properties: OpProperties {
        func p(_ elementwise: Bool, quantizable: Bool = false, pt13: Bool = true, mlu: Bool = true, movesData: Bool = false) -> OpProperties {
            OpProperties(isElementwise: elementwise, isQuantizable: quantizable, existsInPyTorch13: pt13,
                         supportedOnMLU: mlu, movesDataOnly: movesData)
        }
        switch self {
        case .add, .sub, .mul, .div, .pow, .maximum, .minimum, .scalarArithmetic, .compare, .compareScalar:
            return p(true)
        case .logical, .logicalNot, .select:
            return p(true, mlu: false)
        case .abs, .neg, .exp, .log, .sqrt, .rsqrt, .clamp, .powScalar, .relu, .relu6, .sigmoid, .tanh,
             .leakyReLU, .elu, .prelu:
            return p(true)
        case .gelu, .silu:
            return p(true, pt13: self.geluIsExact, mlu: false)
        case .hardswish, .hardsigmoid:
            // Added in PyTorch 1.5/1.6; Catch (1.3) has no such ops, the MLU runs them as mult/add/relu6.
            return p(true, pt13: false, mlu: true)
        case .softmax, .logSoftmax:
            return p(false)
        case .dropout:
            return p(true)
        case .cast:
            return p(true, movesData: true)
        case .sum, .mean, .maxAll, .minAll, .maxDim, .minDim, .argmax, .argmin:
            return p(false)
        case .matmul:
            return p(false, quantizable: true)
        case .linear, .conv2d, .convTranspose2d:
            return p(false, quantizable: true)
        case .batchNorm:
            return p(false)
        case .maxPool2d, .avgPool2d, .adaptiveAvgPool2d, .interpolate, .pad:
            return p(false)
        case .reshape, .view, .permute, .transpose, .flatten, .squeeze, .unsqueeze, .expand, .contiguous,
             .index, .cat, .stack, .split, .splitSizes, .chunk:
            return p(false, movesData: true)
        }
    }

    /// GELU exists in 1.3 (exact form only); SiLU was added in 1.7.
    private var geluIsExact: Bool {
        if case .gelu(let approx) = self { return !approx }
        return false
    }
}
