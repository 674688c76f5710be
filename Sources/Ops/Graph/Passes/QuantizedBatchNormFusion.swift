import Tensors

extension Graph {
    /// Moves each inference BatchNorm that follows a quantized convolution into that convolution's float
    /// epilogue (`NodeQuantization.outputAffine`), as the MLU fuses Conv+BN+ReLU into one kernel.
    ///
    /// A quantized convolution cannot absorb the BatchNorm into its weights the way `foldingBatchNorm` does
    /// for float ones: the weights' quantization scales were calibrated on the unfolded weights, so folding
    /// would change the integer codes. The epilogue instead applies the BatchNorm's per-channel affine to the
    /// dequantized output, with the numbers `Tensor.batchNormAffine` gives the BatchNorm kernel, so the result
    /// is bit for bit the separate BatchNorm's. Matches `conv2d` (quantized, no fused ReLU yet, float32
    /// output) → `batch_norm` on float32 constants, where the convolution's output is read only by the
    /// BatchNorm and is not a graph output. FP16 graphs are left alone (their BatchNorm rounds its input and
    /// output to FP16). Run before `fusingActivations`, which then fuses the ReLU.
    ///
    /// Execution only (`optimizedForExecution`): the epilogue is not an op, so offline models store the graph
    /// of `optimized()`, BatchNorm node included.
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func fusingBatchNormIntoQuantizedConvolutions() -> Graph {
        mergingNodes { g, b, bn, context in
            guard case .batchNorm(let eps, let affine) = bn.op, bn.inputs.count == (affine ? 5 : 3), bn.outputs.count == 1,
                  let x = bn.inputs.first, let c = context.liveProducer(of: x),
                  case .conv2d(let attributes) = g.nodes[c].op, !attributes.fusedReLU,
                  var q = g.nodes[c].quantization, q.outputAffine == nil, g.nodes[c].outputs == [x],
                  context.isPrivate(x, to: b), values[x].dtype == .float32, values[bn.outputs[0]].dtype == .float32,
                  values[x].shape.count >= 2 else { return nil }
            let channels = values[x].shape[1]
            let stats = bn.inputs.dropFirst().compactMap { g.constants[$0] }.filter { $0.dtype == .float32 && $0.count == channels }
            guard stats.count == bn.inputs.count - 1 else { return nil }
            let (scale, shift) = Tensor.batchNormAffine(mean: stats[0], variance: stats[1], weight: affine ? stats[2] : nil,
                                                        bias: affine ? stats[3] : nil, eps: eps)
            q.outputAffine = ChannelAffine(scale: scale, shift: shift)
            g.nodes[c].quantization = q
            g.nodes[c].outputs = bn.outputs
            return b
        }
    }
}
