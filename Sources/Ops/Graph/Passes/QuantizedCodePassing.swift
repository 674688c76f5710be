import Tensors

extension Graph {
    /// Where an int8 quantized convolution's output is read only by another int8 quantized convolution, the
    /// first writes the second's input codes directly (`NodeQuantization.outputCodeScale`, `inputIsCodes`): its
    /// dequantization pass quantizes each value with the reader's input scale, with the quantizer's own float32
    /// multiply, rounding and clamp, so the codes are exactly those the reader would make, and the float
    /// activation is never stored and read back (1 byte a value instead of 4 written, 4 read and 1 written).
    /// CarSegNet has five such edges (each encoder's stride-2 convolution into the next one, the last decoder
    /// convolution into the 1x1 head).
    ///
    /// Matches a producer `conv2d` quantized int8 whose one output is float32, rank 4, not a graph output and read
    /// only by a reader `conv2d` quantized int8 as its only activation input (no concatenation, no resize, no
    /// firstconv normalization). The value between them becomes int8. Execution only (`optimizedForExecution`);
    /// run after the passes that fuse BatchNorm, ReLU, concatenations and resizes into the convolutions.
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func passingCodesBetweenQuantizedConvolutions() -> Graph {
        var g = self
        g.memoryPlan = nil
        let producer = producers(), uses = consumers(), outputs = Set(self.outputs)
        for (r, reader) in nodes.enumerated() {
            guard case .conv2d = reader.op, let rq = reader.quantization, rq.dtype == .int8, !rq.normalizesInput, !rq.inputIsCodes,
                  rq.activationInputs == 1, rq.resizedInputs == nil, reader.inputs.count >= 2 else { continue }
            let v = reader.inputs[0]
            guard producer.indices.contains(v), let p = producer[v], case .conv2d = nodes[p].op,
                  let pq = g.nodes[p].quantization, pq.dtype == .int8, pq.outputCodeScale == nil, nodes[p].outputs == [v],
                  uses[v] == [r], !outputs.contains(v), values[v].dtype == .float32, values[v].shape.count == 4,
                  !reader.inputs.dropFirst().contains(v) else { continue }
            g.nodes[p].quantization?.outputCodeScale = rq.inputScale
            g.nodes[r].quantization?.inputIsCodes = true
            g.values[v].dtype = .int8
        }
        return g
    }
}
