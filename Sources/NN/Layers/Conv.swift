import Ops
import Tensors

/// Shared configuration and validation of the convolution layers.
open class ConvolutionBase: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: [Int]
    public let stride: [Int]
    public let padding: [Int]
    public let dilation: [Int]
    public let outputPadding: [Int]
    public let groups: Int
    public let paddingMode: String
    let transposed: Bool

    /// Valid `padding_mode` values of PyTorch; mlus computes only `zeros`.
    public static let paddingModes = ["zeros", "reflect", "replicate", "circular"]

    init(layer: String, dims: Int, inChannels: Int, outChannels: Int, kernelSize: [Int], stride: [Int], padding: [Int],
         dilation: [Int], outputPadding: [Int], groups: Int, bias: Bool, paddingMode: String, transposed: Bool) throws {
        guard inChannels > 0, outChannels > 0 else {
            throw NNError.invalidArgument(layer: layer, message: "in_channels (\(inChannels)) and out_channels (\(outChannels)) must be positive")
        }
        guard groups > 0 else { throw NNError.invalidArgument(layer: layer, message: "groups must be a positive integer, got \(groups)") }
        guard inChannels % groups == 0 else { throw NNError.invalidArgument(layer: layer, message: "in_channels (\(inChannels)) must be divisible by groups (\(groups))") }
        guard outChannels % groups == 0 else { throw NNError.invalidArgument(layer: layer, message: "out_channels (\(outChannels)) must be divisible by groups (\(groups))") }
        guard ConvolutionBase.paddingModes.contains(paddingMode) else {
            throw NNError.invalidArgument(layer: layer, message: "padding_mode must be one of 'zeros', 'reflect', 'replicate' or 'circular', but got padding_mode='\(paddingMode)'")
        }
        guard paddingMode == "zeros" else {
            throw NNError.invalidArgument(layer: layer, message: "padding_mode='\(paddingMode)' is not supported by mlus; the supported value is 'zeros'")
        }
        self.kernelSize = try Module.expand(kernelSize, to: dims, layer: layer, argument: "kernel_size")
        self.stride = try Module.expand(stride, to: dims, layer: layer, argument: "stride")
        self.padding = try Module.expand(padding, to: dims, layer: layer, argument: "padding")
        self.dilation = try Module.expand(dilation, to: dims, layer: layer, argument: "dilation")
        self.outputPadding = try Module.expand(outputPadding, to: dims, layer: layer, argument: "output_padding")
        guard self.kernelSize.allSatisfy({ $0 > 0 }), self.stride.allSatisfy({ $0 > 0 }), self.dilation.allSatisfy({ $0 > 0 }) else {
            throw NNError.invalidArgument(layer: layer, message: "kernel_size \(kernelSize), stride \(stride) and dilation \(dilation) must be positive")
        }
        guard self.padding.allSatisfy({ $0 >= 0 }) else {
            throw NNError.invalidArgument(layer: layer, message: "padding must be non-negative, got \(padding)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.groups = groups
        self.paddingMode = paddingMode
        self.transposed = transposed
        super.init()
        let weightShape = transposed ? [inChannels, outChannels / groups] + self.kernelSize : [outChannels, inChannels / groups] + self.kernelSize
        // PyTorch computes fan_in from weight dims 1...: for transposed weights that is out/groups × kernel.
        let fanIn = weightShape[1] * self.kernelSize.reduce(1, *)
        let bound = 1 / Double(fanIn).squareRoot()
        try registerParameter("weight", Module.uniformInit(weightShape, bound: bound))
        try registerParameter("bias", bias ? Module.uniformInit([outChannels], bound: bound) : nil)
    }

    open override var extraRepr: String {
        var s = "\(inChannels), \(outChannels), kernel_size=\(PythonRepr.tuple(kernelSize)), stride=\(PythonRepr.tuple(stride))"
        if padding.contains(where: { $0 != 0 }) { s += ", padding=\(PythonRepr.tuple(padding))" }
        if dilation.contains(where: { $0 != 1 }) { s += ", dilation=\(PythonRepr.tuple(dilation))" }
        if outputPadding.contains(where: { $0 != 0 }) { s += ", output_padding=\(PythonRepr.tuple(outputPadding))" }
        if groups != 1 { s += ", groups=\(groups)" }
        if parameter("bias") == nil { s += ", bias=False" }
        if paddingMode != "zeros" { s += ", padding_mode=\(paddingMode)" }
        return s
    }

    func checkChannels(_ x: Tensor, rank: Int) throws {
        try require(x.rank == rank, "expected \(rank)-D input (batched \(rank == 4 ? "NCHW" : "NCL")), got input of shape \(x.shape)")
        try require(x.shape[1] == inChannels, "expected input with \(inChannels) channels, got \(x.shape[1]) channels (input shape \(x.shape))")
    }
}

/// 2-D convolution, `nn.Conv2d`. Input [N, C_in, H, W] → [N, C_out, H_out, W_out].
open class Conv2d: ConvolutionBase {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                dilation: [Int] = [1], groups: Int = 1, bias: Bool = true, paddingMode: String = "zeros") throws {
        try super.init(layer: "Conv2d", dims: 2, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize, stride: stride,
                       padding: padding, dilation: dilation, outputPadding: [0], groups: groups, bias: bias, paddingMode: paddingMode,
                       transposed: false)
    }

    open override func forward(_ x: Tensor) throws -> Tensor {
        try checkChannels(x, rank: 4)
        let w = try requireParameter("weight")
        return try runLayer {
            try TensorOps.conv2d(x, weight: w, bias: parameter("bias"),
                                 Conv2dAttributes(stride: stride, padding: padding, dilation: dilation, groups: groups))
        }
    }
}

/// 1-D convolution, `nn.Conv1d`, computed as a 2-D convolution of height 1. Input [N, C_in, L].
open class Conv1d: ConvolutionBase {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, paddingMode: String = "zeros") throws {
        try super.init(layer: "Conv1d", dims: 1, inChannels: inChannels, outChannels: outChannels, kernelSize: [kernelSize], stride: [stride],
                       padding: [padding], dilation: [dilation], outputPadding: [0], groups: groups, bias: bias,
                       paddingMode: paddingMode, transposed: false)
    }

    open override func forward(_ x: Tensor) throws -> Tensor {
        try checkChannels(x, rank: 3)
        let w = try requireParameter("weight")
        return try runLayer {
            let y = try TensorOps.conv2d(TensorOps.unsqueeze(x, dim: 2), weight: TensorOps.unsqueeze(w, dim: 2), bias: parameter("bias"),
                                         Conv2dAttributes(stride: [1] + stride, padding: [0] + padding, dilation: [1] + dilation, groups: groups))
            return try TensorOps.squeeze(y, dim: 2)
        }
    }
}

/// 2-D transposed convolution, `nn.ConvTranspose2d`. Weight [C_in, C_out/groups, kh, kw].
open class ConvTranspose2d: ConvolutionBase {
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                outputPadding: [Int] = [0], groups: Int = 1, bias: Bool = true, dilation: [Int] = [1], paddingMode: String = "zeros") throws {
        try super.init(layer: "ConvTranspose2d", dims: 2, inChannels: inChannels, outChannels: outChannels, kernelSize: kernelSize,
                       stride: stride, padding: padding, dilation: dilation, outputPadding: outputPadding, groups: groups, bias: bias,
                       paddingMode: paddingMode, transposed: true)
        for i in 0..<2 where self.outputPadding[i] >= Swift.max(self.stride[i], self.dilation[i]) {
            throw NNError.invalidArgument(layer: "ConvTranspose2d", message: "output padding must be smaller than either stride or dilation, got output_padding=\(outputPadding), stride=\(stride), dilation=\(dilation)")
        }
    }

    open override func forward(_ x: Tensor) throws -> Tensor {
        try checkChannels(x, rank: 4)
        let w = try requireParameter("weight")
        return try runLayer {
            try TensorOps.convTranspose2d(x, weight: w, bias: parameter("bias"),
                                          ConvTranspose2dAttributes(stride: stride, padding: padding, outputPadding: outputPadding,
                                                                    dilation: dilation, groups: groups))
        }
    }
}
