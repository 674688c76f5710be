import NN
import Ops
import Tensors

/// Catch's `MLUConv2d`: a `Conv2d` with float weights and the quantization of reference §3.
/// Subclassing keeps `isinstance(m, nn.Conv2d)`, the hyper-parameters and the weight/bias keys.
public final class MLUConv2d: Conv2d, MLUQuantizedLayer {
    public let quantization: LayerQuantization

    init(from float: Conv2d, quantization: LayerQuantization) throws {
        self.quantization = quantization
        try super.init(float.inChannels, float.outChannels, kernelSize: float.kernelSize, stride: float.stride, padding: float.padding,
                       dilation: float.dilation, groups: float.groups, bias: float.parameter("bias") != nil, paddingMode: float.paddingMode)
        try registerParameter("weight", float.parameter("weight"))
        try registerParameter("bias", float.parameter("bias"))
        try writeBuffers()
    }

    public var outputChannelCount: Int { outChannels }
    public var firstConvChannels: Int? { inChannels }

    public override func forward(_ x: Tensor) throws -> Tensor { try quantizedLayerForward(x) }
    public func floatForward(_ x: Tensor) throws -> Tensor { try super.forward(x) }

    public func integerForward(_ x: Tensor, normalization: FirstConvNormalization?) throws -> Tensor {
        guard x.rank == 4, x.shape[1] == inChannels else {
            throw QuantizationError.invalidArgument("expected 4-D input with \(inChannels) channels, got input of shape \(x.shape)")
        }
        let q = quantization
        return try QuantizedCompute.conv2d(x, weight: requireParameter("weight"), bias: parameter("bias"),
                                           geometry: .init(stride: stride, padding: padding, dilation: dilation, groups: groups),
                                           dtype: q.dtype, inputScale: q.inputScale, weightScales: q.weightScales,
                                           normalization: normalization)
    }
}

/// Catch's `MLUConv1d`, computed on the MLU as a 2-D integer convolution of height 1.
public final class MLUConv1d: Conv1d, MLUQuantizedLayer {
    public let quantization: LayerQuantization

    init(from float: Conv1d, quantization: LayerQuantization) throws {
        self.quantization = quantization
        try super.init(float.inChannels, float.outChannels, kernelSize: float.kernelSize[0], stride: float.stride[0],
                       padding: float.padding[0], dilation: float.dilation[0], groups: float.groups,
                       bias: float.parameter("bias") != nil, paddingMode: float.paddingMode)
        try registerParameter("weight", float.parameter("weight"))
        try registerParameter("bias", float.parameter("bias"))
        try writeBuffers()
    }

    public var outputChannelCount: Int { outChannels }
    public var firstConvChannels: Int? { nil }

    public override func forward(_ x: Tensor) throws -> Tensor { try quantizedLayerForward(x) }
    public func floatForward(_ x: Tensor) throws -> Tensor { try super.forward(x) }

    public func integerForward(_ x: Tensor, normalization: FirstConvNormalization?) throws -> Tensor {
        guard x.rank == 3, x.shape[1] == inChannels else {
            throw QuantizationError.invalidArgument("expected 3-D input with \(inChannels) channels, got input of shape \(x.shape)")
        }
        let w = try requireParameter("weight")
        let q = quantization
        let x4 = try x.reshape([x.shape[0], x.shape[1], 1, x.shape[2]])
        let w4 = try w.reshape([w.shape[0], w.shape[1], 1, w.shape[2]])
        let y = try QuantizedCompute.conv2d(x4, weight: w4, bias: parameter("bias"),
                                            geometry: .init(stride: [1, stride[0]], padding: [0, padding[0]],
                                                            dilation: [1, dilation[0]], groups: groups),
                                            dtype: q.dtype, inputScale: q.inputScale, weightScales: q.weightScales)
        return try y.reshape([y.shape[0], y.shape[1], y.shape[3]])
    }
}

/// Catch's `MLULinear`, computed on the MLU as a 1×1 integer convolution over the flattened rows.
public final class MLULinear: Linear, MLUQuantizedLayer {
    public let quantization: LayerQuantization

    init(from float: Linear, quantization: LayerQuantization) throws {
        self.quantization = quantization
        try super.init(float.inFeatures, float.outFeatures, bias: float.parameter("bias") != nil)
        try registerParameter("weight", float.parameter("weight"))
        try registerParameter("bias", float.parameter("bias"))
        try writeBuffers()
    }

    public var outputChannelCount: Int { outFeatures }
    public var firstConvChannels: Int? { nil }

    public override func forward(_ x: Tensor) throws -> Tensor { try quantizedLayerForward(x) }
    public func floatForward(_ x: Tensor) throws -> Tensor { try super.forward(x) }

    public func integerForward(_ x: Tensor, normalization: FirstConvNormalization?) throws -> Tensor {
        guard x.rank >= 1, x.shape[x.rank - 1] == inFeatures else {
            throw QuantizationError.invalidArgument("expected input with last dimension \(inFeatures), got input of shape \(x.shape)")
        }
        let w = try requireParameter("weight")
        let q = quantization
        let rows = inFeatures > 0 ? x.count / inFeatures : 0
        let y = try QuantizedCompute.conv2d(x.contiguous().reshape([rows, inFeatures, 1, 1]),
                                            weight: w.reshape([outFeatures, inFeatures, 1, 1]), bias: parameter("bias"),
                                            geometry: .init(), dtype: q.dtype, inputScale: q.inputScale, weightScales: q.weightScales)
        return try y.reshape(Array(x.shape.dropLast()) + [outFeatures])
    }
}
