import Tensors

/// Shape inference: the output shapes of an op for given input shapes, without computing anything.
/// Errors are the same `TensorError`s the kernels raise, so a tracer or a graph pass reports them early.
extension Op {
    /// A data-less tensor of `shape` for running view rules (views never touch storage).
    private static func meta(_ shape: [Int]) -> Tensor {
        Tensor(storage: Storage(byteCount: 0), shape: shape, strides: Tensor.contiguousStrides(for: shape), dtype: .float32)
    }

    private func expect(_ inputs: [[Int]], _ counts: ClosedRange<Int>) throws {
        guard counts.contains(inputs.count) else {
            throw TensorError.invalidArgument("\(name): expected \(counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts.lowerBound)...\(counts.upperBound)") inputs, got \(inputs.count)")
        }
    }

    private static func pair(_ v: [Int]) -> (Int, Int) {
        guard let first = v.first else { return (0, 0) }
        return (first, v.count > 1 ? v[1] : first)
    }

    private static func reduced(_ shape: [Int], dims: [Int]?, keepDim: Bool) throws -> [Int] {
        guard let dims, !dims.isEmpty else { return keepDim ? shape.map { _ in 1 } : [] }
        let d = Set(try dims.map { try Tensor.normalizeDim($0, rank: shape.count) })
        var out = [Int]()
        for (i, s) in shape.enumerated() {
            if d.contains(i) { if keepDim { out.append(1) } } else { out.append(s) }
        }
        return out
    }

    /// Output shapes for `inputs`. Data-dependent results (boolean-mask indexing) throw.
    public func inferShapes(_ inputs: [[Int]]) throws -> [[Int]] {
        switch self {
        case .add, .sub, .mul, .div, .pow, .maximum, .minimum, .compare, .logical:
            try expect(inputs, 2...2)
            return [try Tensor.broadcastShapes(inputs[0], inputs[1])]
        case .select:
            try expect(inputs, 3...3)
            return [try Tensor.broadcastShapes(try Tensor.broadcastShapes(inputs[0], inputs[1]), inputs[2])]
        case .scalarArithmetic, .compareScalar, .logicalNot, .abs, .neg, .exp, .log, .sqrt, .rsqrt, .clamp, .powScalar,
             .relu, .relu6, .sigmoid, .tanh, .silu, .hardswish, .hardsigmoid, .leakyReLU, .elu, .gelu, .dropout, .cast,
             .contiguous:
            try expect(inputs, 1...1)
            return [inputs[0]]
        case .prelu:
            try expect(inputs, 2...2)
            return [inputs[0]]
        case .softmax(let dim), .logSoftmax(let dim):
            try expect(inputs, 1...1)
            _ = try Tensor.normalizeDim(dim, rank: inputs[0].count, op: name)
            return [inputs[0]]
        case .sum(let dims, let keepDim), .mean(let dims, let keepDim):
            try expect(inputs, 1...1)
            return [try Op.reduced(inputs[0], dims: dims, keepDim: keepDim)]
        case .maxAll, .minAll:
            try expect(inputs, 1...1)
            return [[]]
        case .maxDim(let dim, let keepDim), .minDim(let dim, let keepDim):
            try expect(inputs, 1...1)
            let s = try Op.reduced(inputs[0], dims: [dim], keepDim: keepDim)
            return [s, s]
        case .argmax(let dim, let keepDim), .argmin(let dim, let keepDim):
            try expect(inputs, 1...1)
            guard let dim else { return [keepDim ? inputs[0].map { _ in 1 } : []] }
            return [try Op.reduced(inputs[0], dims: [dim], keepDim: keepDim)]
        case .matmul:
            try expect(inputs, 2...2)
            let (a, b) = (inputs[0], inputs[1])
            guard !a.isEmpty, !b.isEmpty else { throw TensorError.shapeMismatch("both arguments to matmul need to be at least 1D, but they are \(a.count)D and \(b.count)D") }
            let a2 = a.count == 1 ? [1] + a : a, b2 = b.count == 1 ? b + [1] : b
            guard a2[a2.count - 1] == b2[b2.count - 2] else {
                throw TensorError.shapeMismatch("mat1 and mat2 shapes cannot be multiplied (\(a2[a2.count - 2])x\(a2[a2.count - 1]) and \(b2[b2.count - 2])x\(b2[b2.count - 1]))")
            }
            var out = try Tensor.broadcastShapes(Array(a2.dropLast(2)), Array(b2.dropLast(2))) + [a2[a2.count - 2], b2[b2.count - 1]]
            if a.count == 1 { out.remove(at: out.count - 2) }
            if b.count == 1 { out.removeLast() }
            return [out]
        case .linear:
            try expect(inputs, 2...3)
            let (x, w) = (inputs[0], inputs[1])
            guard w.count == 2, let last = x.last, last == w[1] else {
                throw TensorError.shapeMismatch("linear: input \(x) does not match weight \(w) (expected last dimension \(w.count == 2 ? w[1] : -1))")
            }
            return [Array(x.dropLast()) + [w[0]]]
        case .conv2d(let a):
            try expect(inputs, 2...3)
            let (x, w) = (inputs[0], inputs[1])
            guard x.count == 4, w.count == 4 else { throw TensorError.shapeMismatch("conv2d: expected 4-D input and weight, got \(x) and \(w)") }
            guard x[1] == w[1] * a.groups else {
                throw TensorError.shapeMismatch("Given groups=\(a.groups), weight of size \(w), expected input\(x) to have \(w[1] * a.groups) channels, but got \(x[1]) channels instead")
            }
            let (sh, sw) = Op.pair(a.stride), (ph, pw) = Op.pair(a.padding), (dh, dw) = Op.pair(a.dilation)
            return [[x[0], w[0], Tensor.convOutputSize(input: x[2], kernel: w[2], stride: sh, padding: ph, dilation: dh),
                     Tensor.convOutputSize(input: x[3], kernel: w[3], stride: sw, padding: pw, dilation: dw)]]
        case .convTranspose2d(let a):
            try expect(inputs, 2...3)
            let (x, w) = (inputs[0], inputs[1])
            guard x.count == 4, w.count == 4, x[1] == w[0] else {
                throw TensorError.shapeMismatch("conv_transpose2d: input \(x) does not match weight \(w)")
            }
            let (sh, sw) = Op.pair(a.stride), (ph, pw) = Op.pair(a.padding), (dh, dw) = Op.pair(a.dilation)
            let (oh, ow) = Op.pair(a.outputPadding)
            return [[x[0], w[1] * a.groups,
                     Tensor.convTransposeOutputSize(input: x[2], kernel: w[2], stride: sh, padding: ph, outputPadding: oh, dilation: dh),
                     Tensor.convTransposeOutputSize(input: x[3], kernel: w[3], stride: sw, padding: pw, outputPadding: ow, dilation: dw)]]
        case .batchNorm(_, let affine):
            try expect(inputs, affine ? 5...5 : 3...3)
            return [inputs[0]]
        case .maxPool2d(let a), .avgPool2d(let a):
            try expect(inputs, 1...1)
            let x = inputs[0]
            guard x.count == 3 || x.count == 4 else { throw TensorError.shapeMismatch("\(name): expected 3-D or 4-D input, got \(x)") }
            let (kh, kw) = Op.pair(a.kernel), (sh, sw) = Op.pair(a.stride), (ph, pw) = Op.pair(a.padding)
            let (dh, dw): (Int, Int)
            if case .maxPool2d = self { (dh, dw) = Op.pair(a.dilation) } else { (dh, dw) = (1, 1) }
            let h = Tensor.poolOutputSize(input: x[x.count - 2], kernel: kh, stride: sh, padding: ph, dilation: dh, ceilMode: a.ceilMode)
            let w = Tensor.poolOutputSize(input: x[x.count - 1], kernel: kw, stride: sw, padding: pw, dilation: dw, ceilMode: a.ceilMode)
            return [Array(x.dropLast(2)) + [h, w]]
        case .adaptiveAvgPool2d(let size):
            try expect(inputs, 1...1)
            let x = inputs[0]
            guard x.count == 3 || x.count == 4 else { throw TensorError.shapeMismatch("adaptive_avg_pool2d: expected 3-D or 4-D input, got \(x)") }
            let (h, w) = Op.pair(size)
            return [Array(x.dropLast(2)) + [h, w]]
        case .interpolate(let a):
            try expect(inputs, 1...1)
            let x = inputs[0]
            guard x.count == 4 else { throw TensorError.shapeMismatch("interpolate: expected a 4-D input, got \(x)") }
            let (h, w) = try a.outputSize(height: x[2], width: x[3])
            return [[x[0], x[1], h, w]]
        case .pad(let pad, _):
            try expect(inputs, 1...1)
            var s = inputs[0]
            guard pad.count % 2 == 0, pad.count / 2 <= s.count else { throw TensorError.invalidArgument("pad: \(pad) does not fit input \(s)") }
            for i in 0..<(pad.count / 2) { s[s.count - 1 - i] += pad[2 * i] + pad[2 * i + 1] }
            return [s]
        case .reshape(let shape):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).reshape(shape).shape]
        case .view(let shape):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).reshape(shape).shape]
        case .permute(let dims):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).permute(dims).shape]
        case .transpose(let a, let b):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).transpose(a, b).shape]
        case .flatten(let s, let e):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).flatten(startDim: s, endDim: e).shape]
        case .squeeze(let d):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).squeeze(d).shape]
        case .unsqueeze(let d):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).unsqueeze(d).shape]
        case .expand(let shape):
            try expect(inputs, 1...1)
            return [try Op.meta(inputs[0]).expand(shape).shape]
        case .index(let components):
            let tensorCount = components.filter { $0 == .tensorInput }.count
            try expect(inputs, (1 + tensorCount)...(1 + tensorCount))
            if tensorCount > 0 {
                throw TensorError.invalidArgument("__getitem__: the shape of tensor indexing depends on the index values")
            }
            return [try Op.meta(inputs[0]).indexed(components.map { TensorOps.tensorIndex($0) }).shape]
        case .cat(let dim):
            guard let first = inputs.first else { throw TensorError.invalidArgument("cat: expected a non-empty list of tensors") }
            let d = try Tensor.normalizeDim(dim, rank: first.count, op: "cat")
            var out = first
            out[d] = inputs.map { $0.count > d ? $0[d] : 0 }.reduce(0, +)
            return [out]
        case .stack(let dim):
            guard let first = inputs.first else { throw TensorError.invalidArgument("stack: expected a non-empty list of tensors") }
            var out = first
            out.insert(inputs.count, at: try Tensor.normalizeDim(dim, rank: first.count + 1, op: "stack"))
            return [out]
        case .split(let size, let dim):
            try expect(inputs, 1...1)
            return try Op.meta(inputs[0]).split(size, dim: dim).map(\.shape)
        case .splitSizes(let sizes, let dim):
            try expect(inputs, 1...1)
            return try Op.meta(inputs[0]).split(sizes: sizes, dim: dim).map(\.shape)
        case .chunk(let n, let dim):
            try expect(inputs, 1...1)
            return try Op.meta(inputs[0]).chunk(n, dim: dim).map(\.shape)
        }
    }
}
