import Ops
import Tensors

extension OfflineModel {
    /// The engine graph of this model's function, ready for `GraphExecutor`.
    ///
    /// Value ids and names are kept; the graph's inputs and outputs are the descriptors' values (NHWC for
    /// models mlus writes, whose explicit `permute` nodes come along). Float constants are used as stored
    /// (borrowed from the file mapping); int8/int16 constants become float32 `q / scale`, and each node with
    /// an `input_scale` attribute gets `Node.quantization` with its weight's dtype and scales, so lowering
    /// the result again stores the same integers. Node names are their first output's value name.
    /// - Throws: `LoweringError` for an op or attribute the engine cannot run; `GraphError` when the graph
    ///   breaks an invariant.
    public func engineGraph() throws -> Graph {
        var g = Graph()
        g.values = graph.values.map { GraphValue(name: $0.name, shape: $0.shape, dtype: $0.dtype) }
        g.inputs = inputs.map(\.valueId)
        g.outputs = outputs.map(\.valueId)
        var storedQuantization = [Int: (DType, OfflineQuantization)]()
        for c in constants {
            guard g.values.indices.contains(c.valueId) else {
                throw GraphError.valueOutOfRange(id: c.valueId, count: g.values.count, usedBy: "a constant")
            }
            if let q = c.quantization {
                g.constants[c.valueId] = try Self.dequantized(c.tensor, q)
                g.values[c.valueId].dtype = .float32
                storedQuantization[c.valueId] = (c.tensor.dtype, q)
            } else {
                g.constants[c.valueId] = c.tensor
            }
        }
        for (index, offline) in graph.nodes.enumerated() {
            let op = try OfflineOpMapping.raise(offline, index: index)
            let name = offline.outputs.first.flatMap { g.values.indices.contains($0) ? g.values[$0].name : nil } ?? "node\(index)"
            var node = Node(op: op, inputs: offline.inputs, outputs: offline.outputs, name: name)
            if case .float(let inputScale)? = offline.attributes["input_scale"] {
                guard offline.inputs.count >= 2, let (dtype, q) = storedQuantization[offline.inputs[1]] else {
                    throw LoweringError.badAttribute(node: index, op: offline.op, key: "input_scale",
                                                     expected: "only on nodes whose weight (input 1) is an int8/int16 constant")
                }
                node.quantization = NodeQuantization(dtype: dtype, inputScale: inputScale, weightScales: q.scales, weightAxis: q.axis)
            }
            g.nodes.append(node)
        }
        try g.validate()
        return g
    }

    /// float32 `q / scale` of an int8/int16 constant, per tensor or along `q.axis`.
    static func dequantized(_ t: Tensor, _ q: OfflineQuantization) throws -> Tensor {
        let ints = t.floats()
        var out = [Float](repeating: 0, count: ints.count)
        if let axis = q.axis {
            guard axis >= 0, axis < t.rank, q.scales.count == t.shape[axis] else {
                throw OfflineFormatError.invalidQuantization(value: "constant", reason: "\(q.scales.count) scales for shape \(t.shape) on axis \(axis)")
            }
            let inner = t.shape[(axis + 1)...].reduce(1, *)
            let channels = t.shape[axis]
            for i in 0..<ints.count { out[i] = ints[i] / q.scales[(i / inner) % channels] }
        } else {
            guard let s = q.scales.first else {
                throw OfflineFormatError.invalidQuantization(value: "constant", reason: "no scale")
            }
            for i in 0..<ints.count { out[i] = ints[i] / s }
        }
        return Tensor(out, shape: t.shape)
    }
}
