import CKernels
import Foundation

/// Element-wise functions of one tensor (math and activations). Raw values match `mlus_unary_op`.
public enum UnaryOperator: Int32, CaseIterable, Sendable, Hashable {
    case abs = 0, neg, exp, log, sqrt, relu, sigmoid, tanh, silu, gelu
    case hardswish, hardsigmoid, clamp, leakyReLU, elu, powScalar, rsqrt, geluTanh

    /// The reference definition in Double, used for non-float32 dtypes.
    func apply(_ x: Double, _ p0: Double, _ p1: Double) -> Double {
        switch self {
        case .abs: return Swift.abs(x)
        case .neg: return -x
        case .exp: return Foundation.exp(x)
        case .log: return Foundation.log(x)
        case .sqrt: return x.squareRoot()
        case .rsqrt: return 1 / x.squareRoot()
        case .relu: return x > 0 ? x : (x.isNaN ? x : 0)
        case .sigmoid: return 1 / (1 + Foundation.exp(-x))
        case .tanh: return Foundation.tanh(x)
        case .silu: return x / (1 + Foundation.exp(-x))
        case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        case .geluTanh: return 0.5 * x * (1 + Foundation.tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)))
        case .hardswish: return x * Swift.min(Swift.max(x + 3, 0), 6) / 6
        case .hardsigmoid: return Swift.min(Swift.max(x + 3, 0), 6) / 6
        case .clamp: return x.isNaN ? x : Swift.min(Swift.max(x, p0), p1)
        case .leakyReLU: return x > 0 ? x : x * p0
        case .elu: return x > 0 ? x : p0 * (Foundation.exp(x) - 1)
        case .powScalar: return Foundation.pow(x, p0)
        }
    }

    /// True when the result of an integer input stays integer in PyTorch.
    var keepsIntegerDType: Bool {
        switch self {
        case .abs, .neg, .relu, .clamp, .powScalar: return true
        case .exp, .log, .sqrt, .rsqrt, .sigmoid, .tanh, .silu, .gelu, .geluTanh, .hardswish, .hardsigmoid,
             .leakyReLU, .elu:
            return false
        }
    }
}

extension Tensor {
    /// Applies `op` element-wise. `p0`/`p1` are clamp bounds, the LeakyReLU slope, ELU alpha or the exponent.
    public func unary(_ op: UnaryOperator, _ p0: Double = 0, _ p1: Double = 0) throws -> Tensor {
        var dtype = self.dtype
        if dtype.category < 2 && !op.keepsIntegerDType { dtype = .float32 }
        if dtype == .bool && op != .abs { dtype = .int64 }
        if dtype == .float32 {
            // Dense non-contiguous inputs (channels-last) run over their raw span and keep their strides.
            let keepLayout = self.dtype == .float32 && !isContiguous && isDenseNonOverlapping
            let x = keepLayout ? self : contiguousFloat32()
            let out = keepLayout ? emptyLike() : Tensor(uninitialized: shape, dtype: .float32, device: device)
            if count > 0 {
                mlus_unary_f32(op.rawValue, out.baseAddress.assumingMemoryBound(to: Float.self),
                               x.baseAddress.assumingMemoryBound(to: Float.self), count, Float(p0), Float(p1))
            }
            return out
        }
        if dtype == .float16 {
            return try to(.float32).unary(op, p0, p1).to(.float16)
        }
        var out = Tensor(uninitialized: shape, dtype: dtype, device: device)
        var i = 0
        forEachStorageIndex { s in
            out.storeScalar(op.apply(loadScalar(s), p0, p1), at: i)
            i += 1
        }
        out.offset = 0
        return out
    }

    /// Clamps to `[min, max]` (either bound may be absent).
    public func clamp(min: Double?, max: Double?) throws -> Tensor {
        guard min != nil || max != nil else {
            throw TensorError.invalidArgument("torch.clamp: At least one of 'min' or 'max' must not be None")
        }
        return try unary(.clamp, min ?? -Double.infinity, max ?? Double.infinity)
    }

    /// Softmax (or log-softmax) along `dim`, computed stably (max subtracted).
    public func softmax(dim: Int, log: Bool = false) throws -> Tensor {
        if rank == 0 { return try Tensor(scalar: log ? 0 : 1).to(dtype.category == 2 ? dtype : .float32) }
        let d = try Tensor.normalizeDim(dim, rank: rank, op: log ? "log_softmax" : "softmax")
        let x = contiguousFloat32()
        let out = Tensor(uninitialized: shape, dtype: .float32, device: device)
        let outer = shape[..<d].reduce(1, *), inner = shape[(d + 1)...].reduce(1, *)
        if count > 0 {
            mlus_softmax_f32(out.baseAddress.assumingMemoryBound(to: Float.self),
                             x.baseAddress.assumingMemoryBound(to: Float.self),
                             Int64(outer), Int64(shape[d]), Int64(inner), log ? 1 : 0)
        }
        return dtype == .float32 || dtype.category < 2 ? out : out.to(dtype)
    }

    /// PReLU: `x` for positive inputs, `slope[c] * x` otherwise; `slope` has 1 or C (dim 1) values.
    public func prelu(slope: Tensor) throws -> Tensor {
        let channels = rank >= 2 ? shape[1] : 1
        guard slope.count == 1 || slope.count == channels else {
            throw TensorError.shapeMismatch("prelu: mismatch of parameter numbers and input channel size. Found parameter numbers = \(slope.count) and channel size = \(channels) (input shape \(shape))")
        }
        let x = contiguousFloat32(), w = slope.contiguousFloat32()
        let out = Tensor(uninitialized: shape, dtype: .float32, device: device)
        let n = rank >= 2 ? shape[0] : 1
        let inner = rank >= 2 ? shape[2...].reduce(1, *) : count
        if count > 0 {
            mlus_prelu_f32(out.baseAddress.assumingMemoryBound(to: Float.self),
                           x.baseAddress.assumingMemoryBound(to: Float.self),
                           w.baseAddress.assumingMemoryBound(to: Float.self), Int64(w.count),
                           Int64(n), Int64(channels), Int64(inner))
        }
        return out
    }
}
