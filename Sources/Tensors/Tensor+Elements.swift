/// Reading and writing elements of any dtype, and dense copies.
///
/// These loops are the plain reference path: readable, any layout, any dtype.
/// Kernels that must be fast work on contiguous float32 buffers instead.
extension Tensor {
    /// Element `i` of the storage (in elements, not bytes) as a Double.
    @inline(__always)
    func loadScalar(_ storageIndex: Int) -> Double {
        let p = storage.bytes
        switch dtype {
        case .float32: return Double(p.load(fromByteOffset: storageIndex * 4, as: Float.self))
        case .float64: return p.load(fromByteOffset: storageIndex * 8, as: Double.self)
        case .float16: return Double(Float(p.load(fromByteOffset: storageIndex * 2, as: Float16.self)))
        case .bfloat16:
            let bits = UInt32(p.load(fromByteOffset: storageIndex * 2, as: UInt16.self)) << 16
            return Double(Float(bitPattern: bits))
        case .int64: return Double(p.load(fromByteOffset: storageIndex * 8, as: Int64.self))
        case .int32: return Double(p.load(fromByteOffset: storageIndex * 4, as: Int32.self))
        case .int16: return Double(p.load(fromByteOffset: storageIndex * 2, as: Int16.self))
        case .int8: return Double(p.load(fromByteOffset: storageIndex, as: Int8.self))
        case .uint8: return Double(p.load(fromByteOffset: storageIndex, as: UInt8.self))
        case .bool: return p.load(fromByteOffset: storageIndex, as: UInt8.self) != 0 ? 1 : 0
        }
    }

    /// Calls `body` with the storage index of every element, in row-major order of the view.
    public func forEachStorageIndex(_ body: (Int) -> Void) {
        if count == 0 { return }
        if rank == 0 { body(offset); return }
        var index = [Int](repeating: 0, count: rank)
        var position = offset
        let last = rank - 1
        while true {
            body(position)
            var axis = last
            while axis >= 0 {
                index[axis] += 1
                position += strides[axis]
                if index[axis] < shape[axis] { break }
                position -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
            if axis < 0 { return }
        }
    }

    /// All elements in row-major order, converted to Double (int64 beyond 2^53 loses precision).
    public func scalars() -> [Double] {
        var out = [Double]()
        out.reserveCapacity(count)
        forEachStorageIndex { out.append(loadScalar($0)) }
        return out
    }

    /// All elements in row-major order, converted to Float.
    public func floats() -> [Float] {
        if dtype == .float32 && isContiguous {
            let p = baseAddress.assumingMemoryBound(to: Float.self)
            return Array(UnsafeBufferPointer(start: p, count: count))
        }
        var out = [Float]()
        out.reserveCapacity(count)
        forEachStorageIndex { out.append(Float(loadScalar($0))) }
        return out
    }

    /// All elements in row-major order as exact 64-bit integers (integer and bool dtypes).
    public func integers() -> [Int64] {
        var out = [Int64]()
        out.reserveCapacity(count)
        let p = storage.bytes
        forEachStorageIndex { i in
            switch dtype {
            case .int64: out.append(p.load(fromByteOffset: i * 8, as: Int64.self))
            default: out.append(Int64(loadScalar(i)))
            }
        }
        return out
    }

    /// A contiguous copy with its own storage (always copies, even when already contiguous).
    public func clonedContiguous() -> Tensor {
        var out = Tensor(uninitialized: shape, dtype: dtype, device: device)
        let size = dtype.itemSize
        if isContiguous {
            out.baseAddress.copyMemory(from: baseAddress, byteCount: count * size)
            return out
        }
        var dst = out.storage.bytes
        let src = storage.bytes
        forEachStorageIndex { i in
            dst.copyMemory(from: src + i * size, byteCount: size)
            dst += size
        }
        out.offset = 0
        return out
    }

    /// Self when already contiguous, else a contiguous copy.
    public func contiguous() -> Tensor {
        isContiguous ? self : clonedContiguous()
    }
}
