import Tensors

/// How the integers of a quantized constant map to real numbers (quantization version 1).
///
/// Scales are Catch's multiplicative scales, `scale = qmax / absmax`: real = q / scale
/// (reference cambricon.md §1.1). `axis` is nil for one per-tensor scale, or the channel axis
/// with one scale per channel.
public struct OfflineQuantization: Equatable, Sendable {
    public var scales: [Float]
    public var axis: Int?

    public init(scale: Float) {
        self.scales = [scale]
        self.axis = nil
    }

    public init(scales: [Float], axis: Int?) {
        self.scales = scales
        self.axis = axis
    }
}

/// A constant tensor of the graph (weight, bias, BatchNorm parameter).
///
/// int8/int16 constants carry their scales; float parameters are FP32 or FP16. A constant read
/// from a file borrows its bytes from the file mapping, so loading does not copy the weights.
public struct OfflineConstant: @unchecked Sendable {
    /// The graph value this constant defines.
    public var valueId: Int
    /// Contiguous data: `.int8`, `.int16`, `.float16` or `.float32`.
    public var tensor: Tensor
    public var quantization: OfflineQuantization?

    public init(valueId: Int, tensor: Tensor, quantization: OfflineQuantization? = nil) {
        self.valueId = valueId
        self.tensor = tensor
        self.quantization = quantization
    }

    /// The element bytes in row-major order (copies only when the tensor is not contiguous).
    public var dataBytes: [UInt8] {
        let t = tensor.contiguous()
        return Array(UnsafeRawBufferPointer(start: t.baseAddress, count: t.count * t.dtype.itemSize))
    }
}

extension OfflineConstant: Equatable {
    /// Equal when they define the same value with the same dtype, shape, bytes and scales.
    public static func == (a: OfflineConstant, b: OfflineConstant) -> Bool {
        a.valueId == b.valueId && a.tensor.dtype == b.tensor.dtype && a.tensor.shape == b.tensor.shape
            && a.quantization == b.quantization && a.dataBytes == b.dataBytes
    }
}
