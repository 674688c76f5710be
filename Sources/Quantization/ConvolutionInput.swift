import Ops
import Tensors

/// One activation input of a quantized convolution: a tensor, or a tensor the convolution first resizes
/// bilinearly (an `interpolate` fused mode let it absorb, `Graph.absorbingResizeIntoQuantizedConvolutions`).
///
/// The fast path quantizes a resized input row by row straight from the small tensor, so the large one is never
/// stored (CarSegNet's decoder upsamples 2x before each concatenation); every other path resizes with
/// `Tensor.interpolate` first. Both compute each value with the same code, so the codes, and every output
/// bit, are those of resizing first.
public struct ConvolutionInput {
    public var tensor: Tensor
    public var resize: BilinearResize?

    public init(_ tensor: Tensor, resize: BilinearResize? = nil) {
        self.tensor = tensor
        self.resize = resize
    }

    /// The input's NCHW shape, after the resize.
    public var shape: [Int] {
        guard let resize, tensor.rank == 4 else { return tensor.shape }
        return [tensor.shape[0], tensor.shape[1], resize.height, resize.width]
    }

    /// The input as one tensor (resized by `Tensor.interpolate` when it has a resize), on the CPU.
    func materialized() throws -> Tensor {
        let t = tensor.to(.cpu)
        guard let resize else { return t }
        return try t.interpolate(size: (resize.height, resize.width), scaleFactor: resize.scaleFactors, mode: .bilinear,
                                 alignCorners: resize.alignCorners)
    }
}

/// A bilinear `interpolate` as its node gives it: the output size, the scale factors that set the source step
/// (nil: input/output) and `align_corners`.
public struct BilinearResize: Sendable {
    public var height: Int
    public var width: Int
    public var scaleFactors: (Double, Double)?
    public var alignCorners: Bool?

    public init(height: Int, width: Int, scaleFactors: (Double, Double)? = nil, alignCorners: Bool? = nil) {
        self.height = height
        self.width = width
        self.scaleFactors = scaleFactors
        self.alignCorners = alignCorners
    }

    /// The resize an `interpolate` node computes on an input of `height` x `width`; nil unless it is bilinear.
    public init?(_ attributes: InterpolateAttributes, inputHeight: Int, inputWidth: Int) throws {
        guard attributes.mode == .bilinear else { return nil }
        let (h, w) = try attributes.outputSize(height: inputHeight, width: inputWidth)
        self.init(height: h, width: w, scaleFactors: attributes.sourceScaleFactors, alignCorners: attributes.alignCorners)
    }

    /// The source steps along height and width (`Tensor.resizeStep`) for an input of `height` x `width`.
    func steps(inputHeight: Int, inputWidth: Int) -> (Float, Float) {
        let align = alignCorners ?? false
        return (Tensor.resizeStep(input: inputHeight, output: height, scaleFactor: scaleFactors?.0, mode: .bilinear, alignCorners: align),
                Tensor.resizeStep(input: inputWidth, output: width, scaleFactor: scaleFactors?.1, mode: .bilinear, alignCorners: align))
    }
}
