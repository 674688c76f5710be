import Ops
import Tensors

/// A parameter-free element-wise layer: its forward is one dispatched op.
open class ElementwiseActivation: Module {
    public let inplace: Bool
    private let apply: (Tensor) throws -> Tensor

    init(inplace: Bool = false, _ apply: @escaping (Tensor) throws -> Tensor) {
        self.inplace = inplace
        self.apply = apply
        super.init()
    }

    /// PyTorch prints `inplace=True` only when set.
    open override var extraRepr: String { inplace ? "inplace=True" : "" }

    open override func forward(_ x: Tensor) throws -> Tensor { try runLayer { try apply(x) } }
}

/// `nn.ReLU`. In-place is accepted and computed out of place (values are identical).
open class ReLU: ElementwiseActivation {
    public init(inplace: Bool = false) { super.init(inplace: inplace) { try TensorOps.relu($0) } }
}

/// `nn.ReLU6`: min(max(x, 0), 6).
open class ReLU6: ElementwiseActivation {
    public init(inplace: Bool = false) { super.init(inplace: inplace) { try TensorOps.relu6($0) } }
}

/// `nn.SiLU`: x·sigmoid(x).
open class SiLU: ElementwiseActivation {
    public init(inplace: Bool = false) { super.init(inplace: inplace) { try TensorOps.silu($0) } }
}

/// `nn.Hardswish`: x·relu6(x+3)/6.
open class Hardswish: ElementwiseActivation {
    public init(inplace: Bool = false) { super.init(inplace: inplace) { try TensorOps.hardswish($0) } }
    open override var extraRepr: String { "" }
}

/// `nn.Hardsigmoid`: relu6(x+3)/6.
open class Hardsigmoid: ElementwiseActivation {
    public init(inplace: Bool = false) { super.init(inplace: inplace) { try TensorOps.hardsigmoid($0) } }
    open override var extraRepr: String { "" }
}

/// `nn.Sigmoid`.
open class Sigmoid: ElementwiseActivation {
    public init() { super.init { try TensorOps.sigmoid($0) } }
}

/// `nn.Tanh`.
open class Tanh: ElementwiseActivation {
    public init() { super.init { try TensorOps.tanh($0) } }
}

/// `nn.LeakyReLU`: x for x > 0, slope·x otherwise.
open class LeakyReLU: ElementwiseActivation {
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01, inplace: Bool = false) {
        self.negativeSlope = negativeSlope
        super.init(inplace: inplace) { try TensorOps.leakyReLU($0, slope: negativeSlope) }
    }
    open override var extraRepr: String { "negative_slope=\(PythonRepr.float(negativeSlope))" + (inplace ? ", inplace=True" : "") }
}

/// `nn.ELU`: x for x > 0, α(eˣ−1) otherwise.
open class ELU: ElementwiseActivation {
    public let alpha: Double
    public init(alpha: Double = 1.0, inplace: Bool = false) {
        self.alpha = alpha
        super.init(inplace: inplace) { try TensorOps.elu($0, alpha: alpha) }
    }
    open override var extraRepr: String { "alpha=\(PythonRepr.float(alpha))" + (inplace ? ", inplace=True" : "") }
}

/// `nn.GELU` with `approximate` "none" (erf) or "tanh".
open class GELU: ElementwiseActivation {
    public let approximate: String
    public static let approximations = ["none", "tanh"]
    public init(approximate: String = "none") throws {
        guard GELU.approximations.contains(approximate) else {
            throw NNError.invalidArgument(layer: "GELU", message: "approximate argument must be either none or tanh, got '\(approximate)'")
        }
        self.approximate = approximate
        super.init { try TensorOps.gelu($0, tanhApproximation: approximate == "tanh") }
    }
    open override var extraRepr: String { "approximate='\(approximate)'" }
}

/// `nn.PReLU`: learnable negative slope, one value or one per channel (dimension 1).
open class PReLU: Module {
    public let numParameters: Int
    public init(numParameters: Int = 1, initialValue: Double = 0.25) throws {
        guard numParameters > 0 else { throw NNError.invalidArgument(layer: "PReLU", message: "num_parameters must be positive, got \(numParameters)") }
        self.numParameters = numParameters
        super.init()
        try registerParameter("weight", Tensor.full([numParameters], value: initialValue))
    }
    open override var extraRepr: String { "num_parameters=\(numParameters)" }
    open override func forward(_ x: Tensor) throws -> Tensor {
        let w = try requireParameter("weight")
        return try runLayer { try TensorOps.prelu(x, weight: w) }
    }
}

/// `nn.Softmax` along `dim` (nil: PyTorch's legacy choice, 0 for 0-, 1- and 3-D inputs, else 1).
open class Softmax: Module {
    public let dim: Int?
    public init(dim: Int? = nil) {
        self.dim = dim
        super.init()
    }
    open override var extraRepr: String { "dim=\(dim.map(String.init) ?? "None")" }
    open override func forward(_ x: Tensor) throws -> Tensor {
        let d = dim ?? ([0, 1, 3].contains(x.rank) ? 0 : 1)
        return try runLayer { try TensorOps.softmax(x, dim: d) }
    }
}
