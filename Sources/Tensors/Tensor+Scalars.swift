/// Writing single elements of any dtype, and building tensors from Swift arrays.
extension Tensor {
    /// Converts a Double to Int64 without trapping: NaN becomes 0, out-of-range values saturate.
    @inline(__always)
    static func saturatingInt64(_ value: Double) -> Int64 {
        if value.isNaN { return 0 }
        if value >= 9.2233720368547758e18 { return Int64.max }
        if value <= -9.2233720368547758e18 { return Int64.min }
        return Int64(value.rounded(.towardZero))
    }

    /// Stores `value` at storage element `storageIndex`, converting as PyTorch's casts do
    /// (floats truncate toward zero into integers, integers wrap into narrower integers).
    @inline(__always)
    func storeScalar(_ value: Double, at storageIndex: Int) {
        let p = storage.bytes
        switch dtype {
        case .float32: p.storeBytes(of: Float(value), toByteOffset: storageIndex * 4, as: Float.self)
        case .float64: p.storeBytes(of: value, toByteOffset: storageIndex * 8, as: Double.self)
        case .float16: p.storeBytes(of: Float16(Float(value)), toByteOffset: storageIndex * 2, as: Float16.self)
        case .bfloat16:
            p.storeBytes(of: Tensor.bfloat16Bits(Float(value)), toByteOffset: storageIndex * 2, as: UInt16.self)
        case .int64: p.storeBytes(of: Tensor.saturatingInt64(value), toByteOffset: storageIndex * 8, as: Int64.self)
        case .int32:
            p.storeBytes(of: Int32(truncatingIfNeeded: Tensor.saturatingInt64(value)), toByteOffset: storageIndex * 4, as: Int32.self)
        case .int16:
            p.storeBytes(of: Int16(truncatingIfNeeded: Tensor.saturatingInt64(value)), toByteOffset: storageIndex * 2, as: Int16.self)
        case .int8:
            p.storeBytes(of: Int8(truncatingIfNeeded: Tensor.saturatingInt64(value)), toByteOffset: storageIndex, as: Int8.self)
        case .uint8:
            p.storeBytes(of: UInt8(truncatingIfNeeded: Tensor.saturatingInt64(value)), toByteOffset: storageIndex, as: UInt8.self)
        case .bool: p.storeBytes(of: UInt8(value != 0 ? 1 : 0), toByteOffset: storageIndex, as: UInt8.self)
        }
    }

    /// bfloat16 bits of `value`, rounded to nearest even (NaN stays NaN).
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        if value.isNaN { return 0x7FC0 }
        let bits = value.bitPattern
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// A new contiguous tensor of `dtype` holding `values` (row-major), converted as `to(_:)` does.
    public init(doubles values: [Double], shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.invalidArgument("negative dimension in shape \(shape)")
        }
        guard values.count == shape.reduce(1, *) else {
            throw TensorError.shapeMismatch("\(values.count) values do not fill shape \(shape)")
        }
        self.init(uninitialized: shape, dtype: dtype, device: device)
        if dtype == .float32 {
            let p = baseAddress.assumingMemoryBound(to: Float.self)
            for i in 0..<values.count { p[i] = Float(values[i]) }
        } else {
            for i in 0..<values.count { storeScalar(values[i], at: i) }
        }
    }

    /// A rank-0 tensor holding one value.
    public init(scalar value: Double, dtype: DType = .float32, device: Device = .cpu) {
        self.init(uninitialized: [], dtype: dtype, device: device)
        storeScalar(value, at: 0)
    }

    /// A new int64 tensor holding `values` exactly.
    public init(int64s values: [Int64], shape: [Int]) throws {
        guard values.count == shape.reduce(1, *), shape.allSatisfy({ $0 >= 0 }) else {
            throw TensorError.shapeMismatch("\(values.count) values do not fill shape \(shape)")
        }
        self.init(uninitialized: shape, dtype: .int64)
        let p = baseAddress.assumingMemoryBound(to: Int64.self)
        for i in 0..<values.count { p[i] = values[i] }
    }

    /// The single element of a one-element tensor, as PyTorch's `item()`.
    public func item() throws -> Double {
        guard count == 1 else {
            throw TensorError.invalidArgument("a Tensor with \(count) elements cannot be converted to Scalar")
        }
        return loadScalar(offset)
    }

    /// Storage indices of every element in row-major order of the view.
    func storageIndices() -> [Int] {
        var out = [Int]()
        out.reserveCapacity(count)
        forEachStorageIndex { out.append($0) }
        return out
    }
}
