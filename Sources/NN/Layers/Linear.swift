import Ops
import Tensors

/// `nn.Linear`: `y = x Wᵀ + b` over the last dimension. Weight [out, in].
open class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        guard inFeatures >= 0, outFeatures >= 0 else {
            throw NNError.invalidArgument(layer: "Linear", message: "in_features (\(inFeatures)) and out_features (\(outFeatures)) must be non-negative")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        super.init()
        let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
        try registerParameter("weight", Module.uniformInit([outFeatures, inFeatures], bound: bound))
        try registerParameter("bias", bias ? Module.uniformInit([outFeatures], bound: bound) : nil)
    }

    open override var extraRepr: String {
        "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(PythonRepr.bool(parameter("bias") != nil))"
    }

    open override func forward(_ x: Tensor) throws -> Tensor {
        try require(x.rank >= 1 && x.shape[x.rank - 1] == inFeatures,
                     "expected input with last dimension \(inFeatures), got input of shape \(x.shape)")
        let w = try requireParameter("weight")
        return try runLayer { try TensorOps.linear(x, weight: w, bias: parameter("bias")) }
    }
}
