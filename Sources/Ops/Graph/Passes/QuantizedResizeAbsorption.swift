import Tensors

extension Graph {
    /// Lets each quantized convolution compute the bilinear `interpolate` that feeds one of its activation
    /// inputs (`NodeQuantization.resizedInputs`): the convolution quantizes the resized values row by row from
    /// the small tensor, so the upsampled one is never stored and read back (CarSegNet's decoder upsamples 2x
    /// before each of its three concatenations). The values are computed by the resize kernel's own code, so
    /// the codes, and every output bit, are those of resizing first.
    ///
    /// Matches a bilinear `interpolate` of a rank-4 float32 value, read only by a quantized `conv2d` as one of
    /// its activation inputs (after `absorbingConcatIntoQuantizedConvolutions`, one of the concatenated parts),
    /// where the resized value is not a graph output and the convolution does not normalise its input
    /// (firstconv). FP16 graphs are left alone (their `interpolate` rounds its result to FP16). The `interpolate`
    /// node disappears; the convolution reads its input instead. Execution only (`optimizedForExecution`).
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func absorbingResizeIntoQuantizedConvolutions() -> Graph {
        // One input per convolution and walk: walk again until no convolution absorbs another resize.
        var graph = self
        while true {
            var absorbed = false
            graph = graph.mergingNodes { g, c, node, context in
                guard case .conv2d = node.op, var q = node.quantization, !q.normalizesInput else { return nil }
                let count = q.activationInputs
                var resized = q.resizedInputs ?? [InterpolateAttributes?](repeating: nil, count: count)
                guard resized.count == count, node.inputs.count > count else { return nil }
                for i in 0..<count where resized[i] == nil {
                    let v = node.inputs[i]
                    guard let k = context.liveProducer(of: v), case .interpolate(let a) = g.nodes[k].op, a.mode == .bilinear,
                          g.nodes[k].outputs == [v], g.nodes[k].inputs.count == 1, context.isPrivate(v, to: c) else { continue }
                    let source = g.nodes[k].inputs[0]
                    guard g.values[v].dtype == .float32, g.values[source].dtype == .float32,
                          g.values[v].shape.count == 4, g.values[source].shape.count == 4 else { continue }
                    resized[i] = a
                    q.resizedInputs = resized
                    g.nodes[c].quantization = q
                    g.nodes[c].inputs[i] = source
                    absorbed = true
                    return k
                }
                return nil
            }
            if !absorbed { return graph }
        }
    }
}
