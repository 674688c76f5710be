import Ops
import Tensors

/// `nn.MaxPool2d`. Sizes keep the form they were given in (one int or two) for printing, as PyTorch does.
open class MaxPool2d: Module {
    public let kernelSize: [Int]
    public let stride: [Int]
    public let padding: [Int]
    public let dilation: [Int]
    public let ceilMode: Bool

    /// `stride` nil means the kernel size.
    public init(kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1], ceilMode: Bool = false) throws {
        for (name, v) in [("kernel_size", kernelSize), ("stride", stride ?? kernelSize), ("padding", padding), ("dilation", dilation)] {
            guard v.count == 1 || v.count == 2 else { throw NNError.invalidArgument(layer: "MaxPool2d", message: "\(name) must be an int or a pair of ints, got \(v)") }
        }
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        super.init()
    }
    open override var extraRepr: String {
        "kernel_size=\(PythonRepr.intOrTuple(kernelSize)), stride=\(PythonRepr.intOrTuple(stride)), padding=\(PythonRepr.intOrTuple(padding)), dilation=\(PythonRepr.intOrTuple(dilation)), ceil_mode=\(PythonRepr.bool(ceilMode))"
    }
    open override func forward(_ x: Tensor) throws -> Tensor {
        try runLayer {
            try TensorOps.maxPool2d(x, Pool2dAttributes(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode))
        }
    }
}

/// `nn.AvgPool2d` with PyTorch's divisor rules.
open class AvgPool2d: Module {
    public let kernelSize: [Int]
    public let stride: [Int]
    public let padding: [Int]
    public let ceilMode: Bool
    public let countIncludePad: Bool
    public let divisorOverride: Int?

    public init(kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false, countIncludePad: Bool = true,
                divisorOverride: Int? = nil) throws {
        for (name, v) in [("kernel_size", kernelSize), ("stride", stride ?? kernelSize), ("padding", padding)] {
            guard v.count == 1 || v.count == 2 else { throw NNError.invalidArgument(layer: "AvgPool2d", message: "\(name) must be an int or a pair of ints, got \(v)") }
        }
        if let d = divisorOverride, d == 0 { throw NNError.invalidArgument(layer: "AvgPool2d", message: "divisor_override must be non-zero") }
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
        super.init()
    }
    open override var extraRepr: String {
        "kernel_size=\(PythonRepr.intOrTuple(kernelSize)), stride=\(PythonRepr.intOrTuple(stride)), padding=\(PythonRepr.intOrTuple(padding))"
    }
    open override func forward(_ x: Tensor) throws -> Tensor {
        try runLayer {
            try TensorOps.avgPool2d(x, Pool2dAttributes(kernel: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                                                        countIncludePad: countIncludePad, divisorOverride: divisorOverride))
        }
    }
}

/// `nn.AdaptiveAvgPool2d` to a fixed output size.
open class AdaptiveAvgPool2d: Module {
    public let outputSize: [Int]
    public init(outputSize: [Int]) throws {
        guard outputSize.count == 1 || outputSize.count == 2, outputSize.allSatisfy({ $0 >= 0 }) else {
            throw NNError.invalidArgument(layer: "AdaptiveAvgPool2d", message: "output_size must be an int or a pair of non-negative ints, got \(outputSize)")
        }
        self.outputSize = outputSize
        super.init()
    }
    open override var extraRepr: String { "output_size=\(PythonRepr.intOrTuple(outputSize))" }
    open override func forward(_ x: Tensor) throws -> Tensor {
        try runLayer { try TensorOps.adaptiveAvgPool2d(x, outputSize: outputSize) }
    }
}
