extension Graph {
    /// Fuses `conv2d → relu` into one `conv2d` with `Conv2dAttributes.fusedReLU` set (oneDNN's ReLU post-op;
    /// the MLU's fused convolution).
    ///
    /// Matches a float convolution whose output is read only by a `relu` and is not a graph output. The relu
    /// node disappears and the convolution defines its output. Run after `foldingBatchNorm` so that
    /// conv → BN → relu chains fuse too.
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func fusingActivations() -> Graph {
        var g = self
        g.memoryPlan = nil
        let producer = producers()
        let uses = consumers()
        let outputSet = Set(outputs)
        var removed = Set<Int>()
        for (r, node) in nodes.enumerated() {
            guard case .relu = node.op, let x = node.inputs.first, producer.indices.contains(x), let c = producer[x], !removed.contains(c),
                  case .conv2d(var attributes) = g.nodes[c].op, !attributes.fusedReLU,
                  uses[x] == [r], !outputSet.contains(x), g.nodes[c].outputs.count == 1 else { continue }
            attributes.fusedReLU = true
            g.nodes[c].op = .conv2d(attributes)
            g.nodes[c].outputs = node.outputs
            removed.insert(r)
        }
        g.nodes = g.nodes.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        return g
    }
}
