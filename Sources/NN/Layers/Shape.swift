import Ops
import Tensors

/// `nn.Upsample`: `F.interpolate` as a layer.
open class Upsample: Module {
    public let size: [Int]?
    public let scaleFactor: [Double]?
    public let mode: String
    public let alignCorners: Bool?

    public init(size: [Int]? = nil, scaleFactor: [Double]? = nil, mode: String = "nearest", alignCorners: Bool? = nil) throws {
        _ = try Functional.interpolationAttributes(size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners,
                                                   recomputeScaleFactor: nil, layer: "Upsample")
        self.size = size
        self.scaleFactor = scaleFactor
        self.mode = mode
        self.alignCorners = alignCorners
        super.init()
    }
    open override var extraRepr: String {
        var s: String
        if let scaleFactor {
            s = "scale_factor=" + (scaleFactor.count == 1 ? PythonRepr.float(scaleFactor[0]) : "(" + scaleFactor.map(PythonRepr.float).joined(separator: ", ") + ")")
        } else {
            s = "size=" + (size.map(PythonRepr.intOrTuple) ?? "None")
        }
        return s + ", mode='\(mode)'"
    }
    open override func forward(_ x: Tensor) throws -> Tensor {
        try runLayer { try Functional.interpolate(x, size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners) }
    }
}

/// `nn.Dropout`: identity in eval mode; in train mode zeroes with probability p and rescales.
open class Dropout: Module {
    public let p: Double
    public let inplace: Bool
    public init(p: Double = 0.5, inplace: Bool = false) throws {
        guard p >= 0, p <= 1 else { throw NNError.invalidArgument(layer: "Dropout", message: "dropout probability has to be between 0 and 1, but got \(p)") }
        self.p = p
        self.inplace = inplace
        super.init()
    }
    open override var extraRepr: String { "p=\(PythonRepr.float(p)), inplace=\(PythonRepr.bool(inplace))" }
    open override func forward(_ x: Tensor) throws -> Tensor { try runLayer { try TensorOps.dropout(x, p: p, training: training) } }
}

/// `nn.Identity`: returns its input.
open class Identity: Module {
    public override init() { super.init() }
    open override func forward(_ x: Tensor) throws -> Tensor { x }
}

/// `nn.Flatten`: merges `startDim...endDim`.
open class Flatten: Module {
    public let startDim: Int
    public let endDim: Int
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
        super.init()
    }
    open override var extraRepr: String { "start_dim=\(startDim), end_dim=\(endDim)" }
    open override func forward(_ x: Tensor) throws -> Tensor {
        try runLayer { try TensorOps.flatten(x, startDim: startDim, endDim: endDim) }
    }
}
