import Ops

/// The float layers fused mode runs inside a quantized convolution, after dequantization: an inference
/// BatchNorm's per-channel affine, then ReLU (the MLU's fused Conv+BN+ReLU). Each step gives the bits of the
/// separate kernel it replaces (`mlus_channel_affine_f32`: one fused multiply-add; the ReLU kernel: NaN
/// propagates, −0 becomes +0), so fused mode still equals layer-by-layer mode exactly.
public struct ConvolutionEpilogue: Equatable, Sendable {
    /// `y · scale[c] + shift[c]` per output channel, or nil.
    public var affine: ChannelAffine?
    public var relu: Bool

    public init(affine: ChannelAffine? = nil, relu: Bool = false) {
        self.affine = affine
        self.relu = relu
    }

    public static let none = ConvolutionEpilogue()

    public var isNone: Bool { affine == nil && !relu }

    /// One value of output channel `channel` through the epilogue (the reference path's arithmetic).
    @inline(__always)
    func apply(_ v: Float, channel: Int) -> Float {
        var y = v
        if let affine { y = affine.shift[channel].addingProduct(y, affine.scale[channel]) }
        if relu { y = y > 0 ? y : (y.isNaN ? y : 0) }
        return y
    }
}
