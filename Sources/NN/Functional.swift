import Ops
import Tensors

/// `torch.nn.functional`: the layer computations as functions, all dispatched through `TensorOps`.
public enum Functional {
    public static func relu(_ x: Tensor) throws -> Tensor { try TensorOps.relu(x) }
    public static func relu6(_ x: Tensor) throws -> Tensor { try TensorOps.relu6(x) }
    public static func leakyReLU(_ x: Tensor, negativeSlope: Double = 0.01) throws -> Tensor { try TensorOps.leakyReLU(x, slope: negativeSlope) }
    public static func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor { try TensorOps.prelu(x, weight: weight) }
    public static func elu(_ x: Tensor, alpha: Double = 1) throws -> Tensor { try TensorOps.elu(x, alpha: alpha) }
    public static func silu(_ x: Tensor) throws -> Tensor { try TensorOps.silu(x) }
    /// `approximate` is "none" or "tanh".
    public static func gelu(_ x: Tensor, approximate: String = "none") throws -> Tensor {
        guard GELU.approximations.contains(approximate) else {
            throw NNError.invalidArgument(layer: "gelu", message: "approximate argument must be either none or tanh, got '\(approximate)'")
        }
        return try TensorOps.gelu(x, tanhApproximation: approximate == "tanh")
    }
    public static func hardswish(_ x: Tensor) throws -> Tensor { try TensorOps.hardswish(x) }
    public static func hardsigmoid(_ x: Tensor) throws -> Tensor { try TensorOps.hardsigmoid(x) }
    public static func sigmoid(_ x: Tensor) throws -> Tensor { try TensorOps.sigmoid(x) }
    public static func tanh(_ x: Tensor) throws -> Tensor { try TensorOps.tanh(x) }
    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor { try TensorOps.softmax(x, dim: dim) }
    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor { try TensorOps.logSoftmax(x, dim: dim) }
    public static func dropout(_ x: Tensor, p: Double = 0.5, training: Bool = true) throws -> Tensor {
        try TensorOps.dropout(x, p: p, training: training)
    }

    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try TensorOps.linear(x, weight: weight, bias: bias)
    }
    public static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
                              dilation: [Int] = [1], groups: Int = 1) throws -> Tensor {
        try TensorOps.conv2d(x, weight: weight, bias: bias, Conv2dAttributes(stride: stride, padding: padding, dilation: dilation, groups: groups))
    }
    public static func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                              dilation: Int = 1, groups: Int = 1) throws -> Tensor {
        let y = try TensorOps.conv2d(TensorOps.unsqueeze(x, dim: 2), weight: TensorOps.unsqueeze(weight, dim: 2), bias: bias,
                                     Conv2dAttributes(stride: [1, stride], padding: [0, padding], dilation: [1, dilation], groups: groups))
        return try TensorOps.squeeze(y, dim: 2)
    }
    public static func convTranspose2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0],
                                       outputPadding: [Int] = [0], groups: Int = 1, dilation: [Int] = [1]) throws -> Tensor {
        try TensorOps.convTranspose2d(x, weight: weight, bias: bias,
                                      ConvTranspose2dAttributes(stride: stride, padding: padding, outputPadding: outputPadding,
                                                                dilation: dilation, groups: groups))
    }
    /// `F.batch_norm` with given running statistics (inference); `training: true` uses batch statistics.
    public static func batchNorm(_ x: Tensor, runningMean: Tensor, runningVar: Tensor, weight: Tensor? = nil, bias: Tensor? = nil,
                                 training: Bool = false, eps: Double = 1e-5) throws -> Tensor {
        guard x.rank >= 2 else {
            throw NNError.invalidArgument(layer: "batch_norm", message: "expected an input with at least 2 dimensions [N, C, ...], got \(x.shape)")
        }
        guard training else {
            return try TensorOps.batchNorm(x, mean: runningMean, variance: runningVar, weight: weight, bias: bias, eps: eps)
        }
        let dims = [0] + Array(2..<x.rank)
        var statShape = [Int](repeating: 1, count: x.rank)
        statShape[1] = x.shape[1]
        let mean = try TensorOps.mean(x, dims: dims)
        let centered = try TensorOps.sub(x, TensorOps.reshape(mean, statShape))
        let variance = try TensorOps.mean(TensorOps.mul(centered, centered), dims: dims)
        return try TensorOps.batchNorm(x, mean: mean, variance: variance, weight: weight, bias: bias, eps: eps)
    }
    public static func maxPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], dilation: [Int] = [1],
                                 ceilMode: Bool = false) throws -> Tensor {
        try TensorOps.maxPool2d(x, Pool2dAttributes(kernel: kernelSize, stride: stride.flatMap { $0.isEmpty ? nil : $0 }, padding: padding,
                                                    dilation: dilation, ceilMode: ceilMode))
    }
    public static func avgPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0], ceilMode: Bool = false,
                                 countIncludePad: Bool = true, divisorOverride: Int? = nil) throws -> Tensor {
        try TensorOps.avgPool2d(x, Pool2dAttributes(kernel: kernelSize, stride: stride.flatMap { $0.isEmpty ? nil : $0 }, padding: padding,
                                                    ceilMode: ceilMode, countIncludePad: countIncludePad, divisorOverride: divisorOverride))
    }
    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: [Int]) throws -> Tensor {
        try TensorOps.adaptiveAvgPool2d(x, outputSize: outputSize)
    }
    public static func flatten(_ x: Tensor, startDim: Int = 0, endDim: Int = -1) throws -> Tensor {
        try TensorOps.flatten(x, startDim: startDim, endDim: endDim)
    }
    /// `F.pad` with `mode='constant'` (the only mode mlus computes).
    public static func pad(_ x: Tensor, _ pad: [Int], mode: String = "constant", value: Double = 0) throws -> Tensor {
        guard mode == "constant" else {
            throw NNError.invalidArgument(layer: "pad", message: "mode '\(mode)' is not supported; mlus computes mode='constant' (PyTorch also has 'reflect', 'replicate', 'circular')")
        }
        return try TensorOps.pad(x, pad, value: value)
    }

    /// Interpolation modes mlus computes.
    public static let interpolationModes = InterpolationMode.allCases.map(\.rawValue)

    static func interpolationAttributes(size: [Int]?, scaleFactor: [Double]?, mode: String, alignCorners: Bool?,
                                        recomputeScaleFactor: Bool?, layer: String) throws -> InterpolateAttributes {
        guard let m = InterpolationMode(rawValue: mode) else {
            let known = ["linear", "bicubic", "trilinear", "area", "nearest-exact"].contains(mode)
            throw NNError.invalidArgument(layer: layer, message: known
                ? "mode '\(mode)' is not supported by mlus; supported modes are 'nearest' and 'bilinear'"
                : "mode must be one of 'nearest', 'bilinear' (PyTorch also has 'linear', 'bicubic', 'trilinear', 'area', 'nearest-exact'), got '\(mode)'")
        }
        if size != nil && scaleFactor != nil { throw NNError.invalidArgument(layer: layer, message: "only one of size or scale_factor should be defined") }
        if size == nil && scaleFactor == nil { throw NNError.invalidArgument(layer: layer, message: "either size or scale_factor should be defined") }
        if m == .nearest && alignCorners != nil {
            throw NNError.invalidArgument(layer: layer, message: "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear")
        }
        if let size, !(size.count == 1 || size.count == 2) || size.contains(where: { $0 <= 0 }) {
            throw NNError.invalidArgument(layer: layer, message: "size must be one or two positive ints for 4-D input, got \(size)")
        }
        if let s = scaleFactor, !(s.count == 1 || s.count == 2) || s.contains(where: { !($0 > 0) }) {
            throw NNError.invalidArgument(layer: layer, message: "scale_factor must be one or two positive numbers, got \(s)")
        }
        // With recompute_scale_factor the kernel uses input/output sizes, not the given factor.
        if recomputeScaleFactor == true, let s = scaleFactor {
            return InterpolateAttributes(size: nil, scaleFactor: s, mode: m, alignCorners: alignCorners, recompute: true)
        }
        return InterpolateAttributes(size: size, scaleFactor: scaleFactor, mode: m, alignCorners: alignCorners)
    }

    /// `F.interpolate` for 4-D NCHW input: `nearest` or `bilinear` (`alignCorners` true/false), by `size` or `scaleFactor`.
    public static func interpolate(_ x: Tensor, size: [Int]? = nil, scaleFactor: [Double]? = nil, mode: String = "nearest",
                                   alignCorners: Bool? = nil, recomputeScaleFactor: Bool? = nil) throws -> Tensor {
        let attributes = try interpolationAttributes(size: size, scaleFactor: scaleFactor, mode: mode, alignCorners: alignCorners,
                                                     recomputeScaleFactor: recomputeScaleFactor, layer: "interpolate")
        guard x.rank == 4 else {
            throw NNError.invalidArgument(layer: "interpolate", message: "expected a 4-D NCHW input for mode '\(mode)', got input of shape \(x.shape)")
        }
        return try TensorOps.interpolate(x, attributes)
    }
}
