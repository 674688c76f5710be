import Tensors

/// Attributes of `Op.conv2d`: all spatial values are (height, width).
public struct Conv2dAttributes: Hashable, Sendable {
    public var stride: [Int]
    public var padding: [Int]
    public var dilation: [Int]
    public var groups: Int
    /// ReLU applied inside the convolution (set by fusion passes; eager layers leave it false).
    public var fusedReLU: Bool

    public init(stride: [Int] = [1, 1], padding: [Int] = [0, 0], dilation: [Int] = [1, 1], groups: Int = 1, fusedReLU: Bool = false) {
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        self.fusedReLU = fusedReLU
    }
}

/// Attributes of `Op.convTranspose2d`.
public struct ConvTranspose2dAttributes: Hashable, Sendable {
    public var stride: [Int]
    public var padding: [Int]
    public var outputPadding: [Int]
    public var dilation: [Int]
    public var groups: Int

    public init(stride: [Int] = [1, 1], padding: [Int] = [0, 0], outputPadding: [Int] = [0, 0], dilation: [Int] = [1, 1], groups: Int = 1) {
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
    }
}

/// Attributes of the 2-D pooling ops (max uses `dilation`, average uses `countIncludePad`/`divisorOverride`).
public struct Pool2dAttributes: Hashable, Sendable {
    public var kernel: [Int]
    public var stride: [Int]
    public var padding: [Int]
    public var dilation: [Int]
    public var ceilMode: Bool
    public var countIncludePad: Bool
    public var divisorOverride: Int?

    public init(kernel: [Int], stride: [Int]? = nil, padding: [Int] = [0, 0], dilation: [Int] = [1, 1], ceilMode: Bool = false,
                countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        self.kernel = kernel
        self.stride = stride ?? kernel
        self.padding = padding
        self.dilation = dilation
        self.ceilMode = ceilMode
        self.countIncludePad = countIncludePad
        self.divisorOverride = divisorOverride
    }
}

/// Attributes of `Op.interpolate`: exactly one of `size` and `scaleFactor` is set.
public struct InterpolateAttributes: Hashable, Sendable {
    public var size: [Int]?
    public var scaleFactor: [Double]?
    public var mode: InterpolationMode
    public var alignCorners: Bool?
    /// PyTorch's `recompute_scale_factor=True`: the output size comes from the scale factor, but the source
    /// coordinates use input/output sizes instead of 1/scale.
    public var recompute: Bool

    public init(size: [Int]? = nil, scaleFactor: [Double]? = nil, mode: InterpolationMode = .nearest, alignCorners: Bool? = nil,
                recompute: Bool = false) {
        self.size = size
        self.scaleFactor = scaleFactor
        self.mode = mode
        self.alignCorners = alignCorners
        self.recompute = recompute
    }

    /// Output (height, width) for an input of (height, width): `size`, or floor(input × scale).
    public func outputSize(height: Int, width: Int) throws -> (Int, Int) {
        if let size {
            guard size.count == 2 || size.count == 1 else { throw TensorError.invalidArgument("interpolate: size must have 1 or 2 values, got \(size)") }
            return (size[0], size.count == 2 ? size[1] : size[0])
        }
        guard let s = scaleFactor, s.count == 1 || s.count == 2 else {
            throw TensorError.invalidArgument("interpolate: either size or scale_factor should be defined")
        }
        let sh = s[0], sw = s.count == 2 ? s[1] : s[0]
        guard sh > 0, sw > 0, sh.isFinite, sw.isFinite else {
            throw TensorError.invalidArgument("interpolate: scale_factor must be positive, got \(s)")
        }
        let h = (Double(height) * sh).rounded(.down), w = (Double(width) * sw).rounded(.down)
        guard h < Double(1 << 31), w < Double(1 << 31) else {
            throw TensorError.invalidArgument("interpolate: scale_factor \(s) gives an output too large for input (\(height), \(width))")
        }
        return (Int(h), Int(w))
    }

    /// The scale factors that set the source step (`Tensor.interpolate`'s `scaleFactor`): the given ones,
    /// unless an explicit size or `recompute` makes the step input/output.
    public var sourceScaleFactors: (Double, Double)? {
        guard size == nil, !recompute, let s = scaleFactor, !s.isEmpty else { return nil }
        return (s[0], s.count > 1 ? s[1] : s[0])
    }
}

/// One entry of an `Op.index` subscript; tensor entries refer to the op's extra inputs in order.
public enum IndexComponent: Hashable, Sendable {
    case at(Int)
    case range(Int?, Int?, Int?)
    case newAxis
    case ellipsis
    /// The next tensor input (a bool mask or integer positions).
    case tensorInput
}
