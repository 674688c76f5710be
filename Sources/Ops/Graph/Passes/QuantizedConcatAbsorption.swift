import Tensors

extension Graph {
    /// Lets each quantized convolution that reads a channel concatenation take the concatenated tensors
    /// themselves (`NodeQuantization.concatenatedInputs`): the convolution quantizes every part straight into
    /// its channels of the integer input, so the float `cat` is never built (CarSegNet's decoder reads
    /// `cat([upsampled, skip], 1)` three times). Quantizing is elementwise, so the codes, and every output bit,
    /// are those of concatenating first.
    ///
    /// Matches `cat(dim: 1)` (or −3) of rank-4 values of one float dtype, read only by a quantized `conv2d`
    /// (as its activation input) that does not normalise its input (firstconv), where the concatenation is not
    /// a graph output. The `cat` node disappears; the convolution's inputs become the parts, then its weight
    /// and bias. Execution only (`optimizedForExecution`), like `fusingBatchNormIntoQuantizedConvolutions`.
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func absorbingConcatIntoQuantizedConvolutions() -> Graph {
        mergingNodes { g, c, node, context in
            guard case .conv2d = node.op, var q = node.quantization, !q.normalizesInput, q.concatenatedInputs == nil,
                  let x = node.inputs.first, let k = context.liveProducer(of: x),
                  case .cat(let dim) = nodes[k].op, dim == 1 || dim == -3, nodes[k].outputs == [x], !nodes[k].inputs.isEmpty,
                  context.isPrivate(x, to: c), values[x].shape.count == 4 else { return nil }
            let parts = nodes[k].inputs
            guard parts.allSatisfy({ values[$0].shape.count == 4 && values[$0].dtype == values[x].dtype }),
                  values[x].dtype.isFloatingPoint else { return nil }
            q.concatenatedInputs = parts.count
            g.nodes[c].quantization = q
            g.nodes[c].inputs = parts + node.inputs.dropFirst()
            return k
        }
    }
}
