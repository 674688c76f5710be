import CKernels

/// PyTorch's memory formats for 4-D tensors: the logical shape stays NCHW, the strides say how it lies in memory.
public enum MemoryFormat: String, Sendable, Hashable {
    /// Row-major NCHW (`torch.contiguous_format`).
    case contiguous
    /// NHWC in memory (`torch.channels_last`), the layout oneDNN's convolutions use on x86.
    case channelsLast
}

extension Tensor {
    /// Strides of an NHWC memory layout for the NCHW `shape` (rank 4).
    public static func channelsLastStrides(for shape: [Int]) -> [Int] {
        guard shape.count == 4 else { return contiguousStrides(for: shape) }
        let (c, h, w) = (Swift.max(shape[1], 1), Swift.max(shape[2], 1), Swift.max(shape[3], 1))
        return [h &* w &* c, 1, w &* c, c]  // wrapping, as contiguousStrides
    }

    /// True for a rank-4 tensor laid out as dense NHWC (size-1 dimensions may have any stride).
    public var isChannelsLast: Bool {
        guard rank == 4 else { return false }
        var expected = 1
        for d in [1, 3, 2, 0] where shape[d] != 1 {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// The layout results of this tensor should take, PyTorch's `suggest_memory_format`: channels-last when the
    /// tensor is channels-last and not also plain contiguous (a 1-channel NHWC tensor is both).
    public var suggestedMemoryFormat: MemoryFormat {
        isChannelsLast && !isContiguous ? .channelsLast : .contiguous
    }

    /// This tensor in `format` (self when already in it), `x.contiguous(memory_format=...)`.
    public func contiguous(memoryFormat format: MemoryFormat) throws -> Tensor {
        switch format {
        case .contiguous: return dense()
        case .channelsLast:
            guard rank == 4 else {
                throw TensorError.invalidArgument("required rank 4 tensor to use channels_last format, got shape \(shape)")
            }
            if isChannelsLast { return self }
            if dtype == .float32 && isContiguous && count > 0 {
                // The common case, an NCHW activation or graph input: a blocked transposition.
                let out = Tensor(uninitialized: shape, memoryFormat: .channelsLast, device: device)
                mlus_nchw_to_nhwc_f32(out.baseAddress.assumingMemoryBound(to: Float.self), baseAddress.assumingMemoryBound(to: Float.self),
                                      Int64(shape[0]), Int64(shape[1]), Int64(shape[2] * shape[3]))
                return out
            }
            let nhwc = try permute([0, 2, 3, 1]).dense()
            return Tensor(storage: nhwc.storage, shape: shape, strides: Tensor.channelsLastStrides(for: shape), offset: nhwc.offset,
                          dtype: dtype, device: device)
        }
    }

    /// A new uninitialised tensor of `shape` laid out in `format`.
    public init(uninitialized shape: [Int], memoryFormat format: MemoryFormat, dtype: DType = .float32, device: Device = .cpu) {
        self.init(uninitialized: shape, dtype: dtype, device: device)
        if format == .channelsLast && shape.count == 4 { strides = Tensor.channelsLastStrides(for: shape) }
    }

    /// True when the elements fill `count` consecutive storage slots in some dimension order (no gaps, no
    /// overlap): element-wise kernels can then run over the raw span and keep the strides.
    public var isDenseNonOverlapping: Bool {
        let dims = (0..<rank).filter { shape[$0] != 1 }.sorted { strides[$0] < strides[$1] }
        var expected = 1
        for d in dims {
            if strides[d] != expected { return false }
            expected *= shape[d]
        }
        return true
    }

    /// A new tensor with this tensor's shape and strides over fresh storage of `count` elements.
    func emptyLike(dtype: DType? = nil) -> Tensor {
        Tensor(storage: Storage(uninitializedByteCount: count * (dtype ?? self.dtype).itemSize), shape: shape, strides: strides,
               offset: 0, dtype: dtype ?? self.dtype, device: device)
    }
}
