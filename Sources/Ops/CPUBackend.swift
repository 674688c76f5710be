import Tensors

/// The CPU float backend: every `Op` mapped onto the Tensors kernels (C loops and oneDNN).
public final class CPUBackend: Backend, @unchecked Sendable {
    public let name = "cpu"

    public init() {}

    private func arity(_ op: Op, _ inputs: [Tensor], _ counts: ClosedRange<Int>) throws {
        guard counts.contains(inputs.count) else {
            throw TensorError.invalidArgument("\(op.name): expected \(counts.lowerBound)...\(counts.upperBound) inputs, got \(inputs.count)")
        }
    }

    public func execute(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor] {
        let outputs = try compute(op, inputs)
        // Kernels compute in float32; a float16/bfloat16/float64 input gets its dtype back, as in PyTorch.
        guard let dtype = inputs.first?.dtype, dtype.isFloatingPoint, dtype != .float32 else { return outputs }
        switch op {
        case .linear, .conv2d, .convTranspose2d, .batchNorm, .maxPool2d, .avgPool2d, .adaptiveAvgPool2d, .interpolate, .prelu, .matmul:
            return outputs.map { $0.dtype == .float32 ? $0.to(dtype) : $0 }
        case .add, .sub, .mul, .div, .pow, .maximum, .minimum, .scalarArithmetic, .compare, .compareScalar, .logical, .logicalNot,
             .select, .abs, .neg, .exp, .log, .sqrt, .rsqrt, .clamp, .powScalar, .relu, .relu6, .sigmoid, .tanh, .silu, .hardswish,
             .hardsigmoid, .leakyReLU, .elu, .gelu, .softmax, .logSoftmax, .dropout, .cast, .sum, .mean, .maxAll, .minAll, .maxDim,
             .minDim, .argmax, .argmin, .pad, .reshape, .view, .permute, .transpose, .flatten, .squeeze, .unsqueeze, .expand,
             .contiguous, .index, .cat, .stack, .split, .splitSizes, .chunk:
            return outputs
        }
    }

    private func compute(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor] {
        let x = inputs.first ?? Tensor(zeros: [])
        func second() throws -> Tensor {
            guard inputs.count > 1 else { throw TensorError.invalidArgument("\(op.name): missing second input") }
            return inputs[1]
        }
        let optionalThird: Tensor? = inputs.count > 2 ? inputs[2] : nil
        switch op {
        case .add: return [try x.binary(.add, second())]
        case .sub: return [try x.binary(.sub, second())]
        case .mul: return [try x.binary(.mul, second())]
        case .div: return [try x.binary(.div, second())]
        case .pow: return [try x.binary(.pow, second())]
        case .maximum: return [try x.binary(.maximum, second())]
        case .minimum: return [try x.binary(.minimum, second())]
        case .scalarArithmetic(let b, let s, let scalarFirst):
            return [scalarFirst ? try x.reverseBinary(b, scalar: s) : try x.binary(b, scalar: s)]
        case .compare(let c): return [try x.compare(c, second())]
        case .compareScalar(let c, let s): return [try x.compare(c, scalar: s)]
        case .logical(let l): return [try x.logical(l, second())]
        case .logicalNot: return [x.logicalNot()]
        case .select:
            try arity(op, inputs, 3...3)
            return [try inputs[1].selecting(where: inputs[0], else: inputs[2])]
        case .abs: return [try x.unary(.abs)]
        case .neg: return [try x.unary(.neg)]
        case .exp: return [try x.unary(.exp)]
        case .log: return [try x.unary(.log)]
        case .sqrt: return [try x.unary(.sqrt)]
        case .rsqrt: return [try x.unary(.rsqrt)]
        case .clamp(let lo, let hi): return [try x.clamp(min: lo, max: hi)]
        case .powScalar(let e): return [try x.unary(.powScalar, e)]
        case .relu: return [try x.unary(.relu)]
        case .relu6: return [try x.clamp(min: 0, max: 6)]
        case .sigmoid: return [try x.unary(.sigmoid)]
        case .tanh: return [try x.unary(.tanh)]
        case .silu: return [try x.unary(.silu)]
        case .hardswish: return [try x.unary(.hardswish)]
        case .hardsigmoid: return [try x.unary(.hardsigmoid)]
        case .leakyReLU(let slope): return [try x.unary(.leakyReLU, slope)]
        case .elu(let alpha): return [try x.unary(.elu, alpha)]
        case .gelu(let approx): return [try x.unary(approx ? .geluTanh : .gelu)]
        case .prelu: return [try x.prelu(slope: second())]
        case .softmax(let dim): return [try x.softmax(dim: dim)]
        case .logSoftmax(let dim): return [try x.softmax(dim: dim, log: true)]
        case .dropout(let p, let training):
            guard p >= 0, p <= 1 else { throw TensorError.invalidArgument("dropout probability has to be between 0 and 1, but got \(p)") }
            guard training, p > 0 else { return [x] }
            if p == 1 { return [try x.binary(.mul, scalar: 0)] }
            let keep = try Tensor.rand(x.shape).compare(.greaterEqual, scalar: p)
            return [try x.binary(.mul, keep.to(x.dtype)).binary(.mul, scalar: 1 / (1 - p))]
        case .cast(let dtype): return [x.to(dtype)]
        case .sum(let dims, let keep): return [try x.sum(dims: dims, keepDim: keep)]
        case .mean(let dims, let keep): return [try x.mean(dims: dims, keepDim: keep)]
        case .maxAll: return [try x.reduceMax()]
        case .minAll: return [try x.reduceMin()]
        case .maxDim(let d, let keep):
            let r = try x.reduceMax(dim: d, keepDim: keep)
            return [r.values, r.indices]
        case .minDim(let d, let keep):
            let r = try x.reduceMin(dim: d, keepDim: keep)
            return [r.values, r.indices]
        case .argmax(let d, let keep): return [try x.argmax(dim: d, keepDim: keep)]
        case .argmin(let d, let keep): return [try x.argmin(dim: d, keepDim: keep)]
        case .matmul: return [try x.matmul(second())]
        case .linear:
            try arity(op, inputs, 2...3)
            return [try x.linear(weight: second(), bias: optionalThird)]
        case .conv2d(let a):
            try arity(op, inputs, 2...3)
            return [try x.conv2d(weight: second(), bias: optionalThird, stride: a.stride, padding: a.padding,
                                 dilation: a.dilation, groups: a.groups, fusedReLU: a.fusedReLU)]
        case .convTranspose2d(let a):
            try arity(op, inputs, 2...3)
            return [try x.convTranspose2d(weight: second(), bias: optionalThird, stride: a.stride, padding: a.padding,
                                          outputPadding: a.outputPadding, dilation: a.dilation, groups: a.groups)]
        case .batchNorm(let eps, let affine):
            try arity(op, inputs, affine ? 5...5 : 3...3)
            return [try x.batchNorm(mean: inputs[1], variance: inputs[2], weight: affine ? inputs[3] : nil,
                                    bias: affine ? inputs[4] : nil, eps: eps)]
        case .maxPool2d(let a):
            return [try x.maxPool2d(kernel: pair(a.kernel), stride: pair(a.stride), padding: pair(a.padding),
                                    dilation: pair(a.dilation), ceilMode: a.ceilMode)]
        case .avgPool2d(let a):
            return [try x.avgPool2d(kernel: pair(a.kernel), stride: pair(a.stride), padding: pair(a.padding), ceilMode: a.ceilMode,
                                    countIncludePad: a.countIncludePad, divisorOverride: a.divisorOverride)]
        case .adaptiveAvgPool2d(let size): return [try x.adaptiveAvgPool2d(outputSize: pair(size))]
        case .interpolate(let a):
            guard x.rank == 4 else { throw TensorError.shapeMismatch("interpolate: expected a 4-D NCHW input, got \(x.shape)") }
            let size = try a.outputSize(height: x.shape[2], width: x.shape[3])
            return [try x.interpolate(size: size, scaleFactor: a.sourceScaleFactors, mode: a.mode, alignCorners: a.alignCorners)]
        case .pad(let p, let value): return [try x.padded(p, value: value)]
        case .reshape(let s): return [try x.reshape(s)]
        case .view(let s): return [try x.view(s)]
        case .permute(let d): return [try x.permute(d)]
        case .transpose(let a, let b): return [try x.transpose(a, b)]
        case .flatten(let s, let e): return [try x.flatten(startDim: s, endDim: e)]
        case .squeeze(let d): return [try x.squeeze(d)]
        case .unsqueeze(let d): return [try x.unsqueeze(d)]
        case .expand(let s): return [try x.expand(s)]
        case .contiguous: return [x.dense()]
        case .index(let components):
            var tensors = inputs.dropFirst().makeIterator()
            var indices = [TensorIndex]()
            for c in components {
                if c == .tensorInput {
                    guard let t = tensors.next() else { throw TensorError.invalidArgument("__getitem__: missing tensor index input") }
                    indices.append(.tensor(t))
                } else {
                    indices.append(TensorOps.tensorIndex(c))
                }
            }
            return [try x.indexed(indices)]
        case .cat(let dim): return [try Tensor.cat(inputs, dim: dim)]
        case .stack(let dim): return [try Tensor.stack(inputs, dim: dim)]
        case .split(let size, let dim): return try x.split(size, dim: dim)
        case .splitSizes(let sizes, let dim): return try x.split(sizes: sizes, dim: dim)
        case .chunk(let n, let dim): return try x.chunk(n, dim: dim)
        }
    }

    private func pair(_ v: [Int]) -> (Int, Int) { v.count == 1 ? (v[0], v[0]) : (v.first ?? 0, v.count > 1 ? v[1] : 0) }
}
