/// An n-dimensional view of a `Storage`: PyTorch's tensor model.
///
/// Shape, strides and offset are in elements, as in PyTorch, so a checkpoint's views
/// (non-contiguous, sharing a storage, starting at an offset) load without copying.
/// `Tensor` is a value; two tensors that share a storage see each other's writes,
/// exactly like two PyTorch views.
public struct Tensor: @unchecked Sendable {
    public var storage: Storage
    public var shape: [Int]
    public var strides: [Int]
    /// Offset of element `[0, 0, ...]` in the storage, in elements.
    public var offset: Int
    public var dtype: DType
    public var device: Device

    /// A view of an existing storage. The caller guarantees the view fits (see `validateFits`).
    public init(storage: Storage, shape: [Int], strides: [Int], offset: Int = 0, dtype: DType, device: Device = .cpu) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.device = device
    }

    /// A new zero-filled contiguous tensor.
    public init(zeros shape: [Int], dtype: DType = .float32, device: Device = .cpu) {
        let count = shape.reduce(1, *)
        self.init(storage: Storage(byteCount: count * dtype.itemSize), shape: shape,
                  strides: Tensor.contiguousStrides(for: shape), dtype: dtype, device: device)
    }

    /// A new contiguous tensor whose contents the caller fills completely.
    public init(uninitialized shape: [Int], dtype: DType = .float32, device: Device = .cpu) {
        let count = shape.reduce(1, *)
        self.init(storage: Storage(uninitializedByteCount: count * dtype.itemSize), shape: shape,
                  strides: Tensor.contiguousStrides(for: shape), dtype: dtype, device: device)
    }

    /// A new float32 tensor holding `values` in row-major order.
    public init(_ values: [Float], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "values do not match shape")
        self.init(uninitialized: shape, dtype: .float32)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress {
                storage.bytes.copyMemory(from: base, byteCount: values.count * 4)
            }
        }
    }

    public var rank: Int { shape.count }
    public var count: Int {
        // Zero when any dimension is zero; saturating at Int.max for an expanded view too large to count (its
        // allocation checks then refuse to materialise it), never a trap.
        if shape.contains(0) { return 0 }
        var total = 1
        for n in shape {
            let (p, overflow) = total.multipliedReportingOverflow(by: n)
            if overflow { return Int.max }
            total = p
        }
        return total
    }

    /// Row-major strides for `shape`.
    public static func contiguousStrides(for shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            // Wrapping: only an empty tensor's other dimensions can overflow here (a non-empty shape passed the
            // allocation check), and its strides address nothing.
            step = step &* max(shape[axis], 1)
        }
        return strides
    }

    /// True when elements lie in row-major order with no gaps (size-1 axes may have any stride).
    public var isContiguous: Bool {
        var expected = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// Address of the first element.
    public var baseAddress: UnsafeMutableRawPointer {
        storage.bytes + offset * dtype.itemSize
    }

    /// Checks that every element the view can reach lies inside the storage.
    public static func validateFits(shape: [Int], strides: [Int], offset: Int, dtype: DType, storageBytes: Int) throws {
        guard shape.count == strides.count else {
            throw TensorError.invalidView("shape \(shape) and strides \(strides) differ in rank")
        }
        guard offset >= 0, shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidView("negative size or offset in shape \(shape), offset \(offset)")
        }
        if shape.contains(0) { return }
        var lastIndex = offset
        for (size, step) in zip(shape, strides) {
            guard step >= 0 else { throw TensorError.invalidView("negative stride in \(strides)") }
            let (span, o1) = (size - 1).multipliedReportingOverflow(by: step)
            let (sum, o2) = lastIndex.addingReportingOverflow(span)
            guard !o1, !o2 else { throw TensorError.invalidView("view \(shape) strides \(strides) overflows") }
            lastIndex = sum
        }
        let (needed, overflow) = (lastIndex + 1).multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, needed <= storageBytes else {
            throw TensorError.invalidView("view \(shape) strides \(strides) offset \(offset) needs \(needed) bytes, storage has \(storageBytes)")
        }
    }
}

/// Errors raised by tensor construction and kernels; messages name the shapes involved.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    case invalidView(String)
    case shapeMismatch(String)
    case unsupportedDType(String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .invalidView(let m), .shapeMismatch(let m), .unsupportedDType(let m), .invalidArgument(let m):
            return m
        }
    }
}
