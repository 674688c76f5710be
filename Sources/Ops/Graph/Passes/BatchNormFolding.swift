import Tensors

extension Graph {
    /// Folds each inference BatchNorm into the convolution that feeds it.
    ///
    /// Matches `conv2d` (no fused activation) → `batch_norm` where the convolution's output is read only by
    /// the BatchNorm and is not a graph output, and the weight, bias and statistics are float constants.
    /// With `s = gamma / sqrt(var + eps)` per output channel (gamma = 1, beta = 0 without affine):
    /// `w' = w · s` (scaled along the output-channel axis) and `b' = (b − mean) · s + beta` (b = 0 when the
    /// convolution had no bias; it gets one). Arithmetic in Double, rounded once to the weight's dtype.
    /// The BatchNorm node disappears and the convolution defines its output. Unused old constants are left
    /// for `eliminatingDeadCode`.
    /// - Returns: the rewritten graph (a pure function; `self` is unchanged).
    public func foldingBatchNorm() throws -> Graph {
        try mergingNodes { g, b, bn, context in
            guard case .batchNorm(let eps, let affine) = bn.op, bn.inputs.count == (affine ? 5 : 3), let x = bn.inputs.first,
                  let c = context.liveProducer(of: x), case .conv2d(let attributes) = g.nodes[c].op,
                  !attributes.fusedReLU, g.nodes[c].quantization == nil, context.isPrivate(x, to: b) else { return nil }
            let conv = g.nodes[c]
            guard conv.inputs.count >= 2, let w = g.constants[conv.inputs[1]], w.dtype.isFloatingPoint,
                  let mean = g.constants[bn.inputs[1]], let variance = g.constants[bn.inputs[2]] else { return nil }
            let oc = w.shape.first ?? 0
            let gamma = affine ? g.constants[bn.inputs[3]] : nil
            let beta = affine ? g.constants[bn.inputs[4]] : nil
            if affine && (gamma == nil || beta == nil) { return nil }
            let bias = conv.inputs.count > 2 ? g.constants[conv.inputs[2]] : nil
            if conv.inputs.count > 2 && bias == nil { return nil }
            let m = mean.scalars(), v = variance.scalars()
            let gm = gamma?.scalars() ?? [Double](repeating: 1, count: oc)
            let bt = beta?.scalars() ?? [Double](repeating: 0, count: oc)
            let b0 = bias?.scalars() ?? [Double](repeating: 0, count: oc)
            guard [m.count, v.count, gm.count, bt.count, b0.count].allSatisfy({ $0 == oc }) else {
                throw GraphError.pass(name: "BN folding", node: bn.name,
                                      reason: "statistics have \(m.count) channels, convolution '\(conv.name)' has \(oc)")
            }
            let scale = (0..<oc).map { gm[$0] / (v[$0] + eps).squareRoot() }
            let wd = w.scalars()
            let perChannel = oc == 0 ? 0 : wd.count / oc
            var folded = [Double](repeating: 0, count: wd.count)
            for o in 0..<oc { for i in 0..<perChannel { folded[o * perChannel + i] = wd[o * perChannel + i] * scale[o] } }
            let newBias = (0..<oc).map { (b0[$0] - m[$0]) * scale[$0] + bt[$0] }
            let wid = g.addConstant(try Tensor.from(doubles: folded, shape: w.shape, dtype: w.dtype), name: conv.name + ".weight_folded")
            let bid = g.addConstant(try Tensor.from(doubles: newBias, shape: [oc], dtype: w.dtype), name: conv.name + ".bias_folded")
            g.nodes[c].inputs = [conv.inputs[0], wid, bid]
            g.nodes[c].outputs = bn.outputs
            return b
        }
    }
}

extension Tensor {
    /// A contiguous tensor of `dtype` holding `values` (rounded to the dtype once).
    static func from(doubles values: [Double], shape: [Int], dtype: DType) throws -> Tensor {
        let t = Tensor(values.map { Float($0) }, shape: shape)
        if dtype == .float32 { return t }
        // Float → narrower float: one rounding from Double to Float, then to the dtype. For float16 the
        // double rounding can differ from a direct rounding by one ulp in rare ties; documented.
        return t.to(dtype).contiguous()
    }
}
