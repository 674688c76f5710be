extension Graph {
    /// Fuses `conv2d → relu` into one `conv2d` with `Conv2dAttributes.fusedReLU` set (oneDNN's ReLU post-op;
    /// the MLU's fused convolution).
    ///
    /// Matches a float convolution whose output is read only by a `relu` and is not a graph output. The relu
    /// node disappears and the convolution defines its output. Run after `foldingBatchNorm` so that
    /// conv → BN → relu chains fuse too.
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func fusingActivations() -> Graph {
        mergingNodes { g, r, node, context in
            guard case .relu = node.op, let x = node.inputs.first, let c = context.liveProducer(of: x),
                  case .conv2d(var attributes) = g.nodes[c].op, !attributes.fusedReLU,
                  context.isPrivate(x, to: r), g.nodes[c].outputs.count == 1 else { return nil }
            attributes.fusedReLU = true
            g.nodes[c].op = .conv2d(attributes)
            g.nodes[c].outputs = node.outputs
            return r
        }
    }
}
