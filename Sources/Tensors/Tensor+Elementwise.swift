import CKernels
import Foundation

/// Binary arithmetic with NumPy broadcasting. Raw values match `mlus_binary_op` in CKernels.
public enum BinaryOperator: Int32, CaseIterable, Sendable, Hashable {
    case add = 0, sub, mul, div, pow, maximum, minimum

    func apply(_ x: Double, _ y: Double) -> Double {
        switch self {
        case .add: return x + y
        case .sub: return x - y
        case .mul: return x * y
        case .div: return x / y
        case .pow: return Foundation.pow(x, y)
        case .maximum: return x.isNaN || y.isNaN ? .nan : Swift.max(x, y)
        case .minimum: return x.isNaN || y.isNaN ? .nan : Swift.min(x, y)
        }
    }
}

/// Comparisons; results are bool tensors. Raw values match `mlus_compare_f32`.
public enum ComparisonOperator: Int32, CaseIterable, Sendable, Hashable {
    case equal = 0, notEqual, less, lessEqual, greater, greaterEqual

    func apply(_ x: Double, _ y: Double) -> Bool {
        switch self {
        case .equal: return x == y
        case .notEqual: return x != y
        case .less: return x < y
        case .lessEqual: return x <= y
        case .greater: return x > y
        case .greaterEqual: return x >= y
        }
    }
}

/// Logical operators on bool (or any, nonzero = true) tensors.
public enum LogicalOperator: Sendable, Hashable {
    case and, or, xor
}

extension Tensor {
    /// Broadcasts `self` and `other`, converts both to `dtype`, and returns the expanded views.
    private func broadcastPair(_ other: Tensor, as dtype: DType) throws -> (Tensor, Tensor, [Int]) {
        let shape = try Tensor.broadcastShapes(self.shape, other.shape)
        let a = try to(dtype).expand(shape)
        let b = try other.to(dtype).expand(shape)
        return (a, b, shape)
    }

    /// `self op other` with broadcasting and PyTorch's type promotion (`div` always gives a float).
    public func binary(_ op: BinaryOperator, _ other: Tensor) throws -> Tensor {
        var dtype = DType.result(self, other)
        if op == .div && dtype.category < 2 { dtype = .float32 }
        if dtype == .float32, let out = try sameLayoutBinary(op, other) { return out }
        let (a, b, shape) = try broadcastPair(other, as: dtype)
        var out = Tensor(uninitialized: shape, dtype: dtype, device: device)
        if out.count == 0 { return out }
        if dtype == .float32 && shape.count <= 8 {
            mlus_binary_f32(op.rawValue, out.baseAddress.assumingMemoryBound(to: Float.self),
                            a.baseAddress.assumingMemoryBound(to: Float.self), a.strides.map(Int64.init),
                            b.baseAddress.assumingMemoryBound(to: Float.self), b.strides.map(Int64.init),
                            shape.map(Int64.init), Int32(shape.count))
            return out
        }
        let ia = a.storageIndices(), ib = b.storageIndices()
        if dtype.category == 1 && (op == .add || op == .sub || op == .mul) {
            let x = a.integers(), y = b.integers()
            for i in 0..<ia.count {
                let v: Int64
                switch op {
                case .add: v = x[i] &+ y[i]
                case .sub: v = x[i] &- y[i]
                default: v = x[i] &* y[i]
                }
                out.storeExactInteger(v, at: i)
            }
            return out
        }
        for i in 0..<ia.count {
            out.storeScalar(op.apply(a.loadScalar(ia[i]), b.loadScalar(ib[i])), at: i)
        }
        out.offset = 0
        return out
    }

    /// float32 operands in one dense non-contiguous layout (channels-last), or such a tensor and a one-element
    /// operand: computed over the raw span, result in the same layout (PyTorch keeps channels-last too).
    private func sameLayoutBinary(_ op: BinaryOperator, _ other: Tensor) throws -> Tensor? {
        guard self.dtype == .float32, other.dtype == .float32 else { return nil }
        let (dense, single, selfFirst): (Tensor, Tensor?, Bool)
        if shape == other.shape && strides == other.strides && !isContiguous && isDenseNonOverlapping {
            (dense, single, selfFirst) = (self, nil, true)
        } else if !isContiguous && isDenseNonOverlapping && other.count == 1 && other.rank <= rank {
            (dense, single, selfFirst) = (self, other, true)
        } else if !other.isContiguous && other.isDenseNonOverlapping && count == 1 && rank <= other.rank {
            (dense, single, selfFirst) = (other, self, false)
        } else {
            return nil
        }
        let out = dense.emptyLike()
        let n = Int64(dense.count)
        let flat = dense.baseAddress.assumingMemoryBound(to: Float.self)
        let partner = single.map { $0.baseAddress.assumingMemoryBound(to: Float.self) }
            ?? other.baseAddress.assumingMemoryBound(to: Float.self)
        let partnerStride: Int64 = single == nil ? 1 : 0
        let o = out.baseAddress.assumingMemoryBound(to: Float.self)
        if selfFirst {
            mlus_binary_f32(op.rawValue, o, flat, [1], partner, [partnerStride], [n], 1)
        } else {
            mlus_binary_f32(op.rawValue, o, partner, [partnerStride], flat, [1], [n], 1)
        }
        return out
    }

    private func storeExactInteger(_ v: Int64, at i: Int) {
        if dtype == .int64 {
            storage.bytes.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self)
        } else {
            storeScalar(Double(v), at: i)
        }
    }

    /// `self op scalar`; a Python number keeps the tensor's dtype unless it is of a higher category.
    public func binary(_ op: BinaryOperator, scalar: Double) throws -> Tensor {
        let isIntegral = scalar.rounded() == scalar && abs(scalar) < 9e15
        let scalarType: DType = dtype.category == 2 ? dtype : (isIntegral ? .int64 : .float32)
        return try binary(op, Tensor(scalar: scalar, dtype: scalarType, device: device))
    }

    /// `scalar op self` (for `2 - t`, `1 / t`).
    public func reverseBinary(_ op: BinaryOperator, scalar: Double) throws -> Tensor {
        let isIntegral = scalar.rounded() == scalar && abs(scalar) < 9e15
        let scalarType: DType = dtype.category == 2 ? dtype : (isIntegral ? .int64 : .float32)
        return try Tensor(scalar: scalar, dtype: scalarType, device: device).binary(op, self)
    }

    /// Element-wise comparison with broadcasting; the result is a bool tensor.
    public func compare(_ op: ComparisonOperator, _ other: Tensor) throws -> Tensor {
        let dtype = DType.result(self, other)
        let (a, b, shape) = try broadcastPair(other, as: dtype)
        var out = Tensor(uninitialized: shape, dtype: .bool, device: device)
        if out.count == 0 { return out }
        if dtype == .float32 && shape.count <= 8 {
            mlus_compare_f32(op.rawValue, out.baseAddress.assumingMemoryBound(to: UInt8.self),
                             a.baseAddress.assumingMemoryBound(to: Float.self), a.strides.map(Int64.init),
                             b.baseAddress.assumingMemoryBound(to: Float.self), b.strides.map(Int64.init),
                             shape.map(Int64.init), Int32(shape.count))
            return out
        }
        let ia = a.storageIndices(), ib = b.storageIndices()
        let p = out.baseAddress.assumingMemoryBound(to: UInt8.self)
        if dtype.category == 1 {
            let x = a.integers(), y = b.integers()
            for i in 0..<ia.count {
                let r: Bool
                switch op {
                case .equal: r = x[i] == y[i]
                case .notEqual: r = x[i] != y[i]
                case .less: r = x[i] < y[i]
                case .lessEqual: r = x[i] <= y[i]
                case .greater: r = x[i] > y[i]
                case .greaterEqual: r = x[i] >= y[i]
                }
                p[i] = r ? 1 : 0
            }
            return out
        }
        for i in 0..<ia.count { p[i] = op.apply(a.loadScalar(ia[i]), b.loadScalar(ib[i])) ? 1 : 0 }
        out.offset = 0
        return out
    }

    /// Comparison with a Python number.
    public func compare(_ op: ComparisonOperator, scalar: Double) throws -> Tensor {
        let isIntegral = scalar.rounded() == scalar && abs(scalar) < 9e15
        let scalarType: DType = isIntegral ? (dtype.category == 0 ? .int64 : dtype) : (dtype.category == 2 ? dtype : .float32)
        return try compare(op, Tensor(scalar: scalar, dtype: scalarType, device: device))
    }

    /// Logical and/or/xor (nonzero is true); the result is bool.
    public func logical(_ op: LogicalOperator, _ other: Tensor) throws -> Tensor {
        let shape = try Tensor.broadcastShapes(self.shape, other.shape)
        let a = try to(.bool).expand(shape), b = try other.to(.bool).expand(shape)
        let x = a.integers(), y = b.integers()
        let out = Tensor(uninitialized: shape, dtype: .bool, device: device)
        let p = out.baseAddress.assumingMemoryBound(to: UInt8.self)
        for i in 0..<x.count {
            let l = x[i] != 0, r = y[i] != 0
            let v: Bool
            switch op {
            case .and: v = l && r
            case .or: v = l || r
            case .xor: v = l != r
            }
            p[i] = v ? 1 : 0
        }
        return out
    }

    /// Logical not (nonzero is true); the result is bool.
    public func logicalNot() -> Tensor {
        let x = integers()
        let out = Tensor(uninitialized: shape, dtype: .bool, device: device)
        let p = out.baseAddress.assumingMemoryBound(to: UInt8.self)
        for i in 0..<x.count { p[i] = x[i] == 0 ? 1 : 0 }
        return out
    }

    /// `condition ? self : other`, broadcasting all three (`torch.where`).
    public func selecting(where condition: Tensor, else other: Tensor) throws -> Tensor {
        let dtype = DType.result(self, other)
        let shape = try Tensor.broadcastShapes(try Tensor.broadcastShapes(condition.shape, self.shape), other.shape)
        let c = try condition.to(.bool).expand(shape).integers()
        let a = try to(dtype).expand(shape), b = try other.to(dtype).expand(shape)
        let ia = a.storageIndices(), ib = b.storageIndices()
        var out = Tensor(uninitialized: shape, dtype: dtype, device: device)
        for i in 0..<c.count { out.storeScalar(c[i] != 0 ? a.loadScalar(ia[i]) : b.loadScalar(ib[i]), at: i) }
        out.offset = 0
        return out
    }
}
