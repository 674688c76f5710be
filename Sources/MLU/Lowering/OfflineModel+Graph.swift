import Ops
import Tensors

extension OfflineModel {
    /// The engine graph of this model's function, ready for `GraphExecutor`.
    ///
    /// Value ids and names are kept. The engine graph works in NCHW: the `permute` nodes that lowering puts
    /// behind NHWC descriptors (input → `[0, 3, 1, 2]`, `[0, 2, 3, 1]` → output) are removed with their NHWC
    /// values, so the graph's inputs and outputs are the NCHW values again and lowering the result
    /// reproduces the model; `GraphOfflineExecutor` transposes at the edges. Float constants are used as stored
    /// (borrowed from the file mapping); int8/int16 constants become float32 `q / scale`, and each node with
    /// an `input_scale` attribute gets `Node.quantization` with its weight's dtype and scales, so lowering
    /// the result again stores the same integers. Node names are their first output's value name.
    /// - Throws: `LoweringError` for an op or attribute the engine cannot run; `GraphError` when the graph
    ///   breaks an invariant.
    public func engineGraph() throws -> Graph {
        var g = Graph()
        for v in graph.values { try Self.checkIndexable(v) }
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
            try Self.checkShapes(op, offline, index: index, values: g.values)
            var node = Node(op: op, inputs: offline.inputs, outputs: offline.outputs, name: name)
            if case .float(let inputScale)? = offline.attributes["input_scale"] {
                guard offline.inputs.count >= 2, let (dtype, q) = storedQuantization[offline.inputs[1]] else {
                    throw LoweringError.badAttribute(node: index, op: offline.op, key: "input_scale",
                                                     expected: "only on nodes whose weight (input 1) is an int8/int16 constant")
                }
                node.quantization = NodeQuantization(dtype: dtype, inputScale: inputScale, weightScales: q.scales, weightAxis: q.axis)
                switch (offline.attributes["input_mean"], offline.attributes["input_std"]) {
                case (nil, nil):
                    break
                case let (.floats(mean)?, .floats(std)?) where mean.count == std.count && !mean.isEmpty
                        && mean.allSatisfy(\.isFinite) && std.allSatisfy({ $0.isFinite && $0 != 0 }):
                    node.quantization?.inputMean255 = mean.map(Float.init)
                    node.quantization?.inputStd255 = std.map(Float.init)
                default:
                    throw LoweringError.badAttribute(node: index, op: offline.op, key: "input_mean/input_std",
                                                     expected: "two float lists of the same length, finite, std non-zero (firstconv)")
                }
            }
            g.nodes.append(node)
        }
        g = Self.strippingLayoutPermutes(g, inputs: inputs, outputs: outputs)
        try g.validate()
        return g
    }

    /// Removes an input descriptor's sole `permute [0, 3, 1, 2]` reader and an output descriptor's
    /// `permute [0, 2, 3, 1]` producer (4-D NHWC descriptors only), with the NHWC values.
    static func strippingLayoutPermutes(_ graph: Graph, inputs: [OfflineIODescriptor], outputs: [OfflineIODescriptor]) -> Graph {
        var g = graph
        let readers = g.consumers(), producer = g.producers()
        var deadNodes = Set<Int>(), deadValues = Set<Int>()
        func isPermute(_ n: Int, _ dims: [Int]) -> Bool {
            if case .permute(let d) = g.nodes[n].op, d == dims, g.nodes[n].inputs.count == 1, g.nodes[n].outputs.count == 1 { return true }
            return false
        }
        for (k, d) in inputs.enumerated() where d.dimOrder == .nhwc && d.shape.count == 4 {
            let id = d.valueId
            guard g.inputs.indices.contains(k), readers.indices.contains(id), readers[id].count == 1, let n = readers[id].first,
                  isPermute(n, [0, 3, 1, 2]), !g.outputs.contains(id) else { continue }
            g.inputs[k] = g.nodes[n].outputs[0]
            deadNodes.insert(n)
            deadValues.insert(id)
        }
        for (k, d) in outputs.enumerated() where d.dimOrder == .nhwc && d.shape.count == 4 {
            let id = d.valueId
            guard g.outputs.indices.contains(k), producer.indices.contains(id), let n = producer[id], !deadNodes.contains(n),
                  isPermute(n, [0, 2, 3, 1]), readers[id].isEmpty, g.outputs.filter({ $0 == id }).count == 1 else { continue }
            g.outputs[k] = g.nodes[n].inputs[0]
            deadNodes.insert(n)
            deadValues.insert(id)
        }
        g.nodes = g.nodes.enumerated().filter { !deadNodes.contains($0.offset) }.map(\.element)
        return g.removingValues(deadValues)
    }

    /// Every dimension ≤ 2^40 and the product of the nonzero ones below 2^60, so strides and sizes the
    /// engine computes from it cannot overflow (the format itself allows any shape whose element count fits).
    static func checkIndexable(_ v: OfflineValue) throws {
        var product = 1
        for d in v.shape {
            guard d >= 0, d <= AttributeReader.maxDimension else { throw LoweringError.invalidShape(value: v.name, shape: v.shape) }
            let (p, overflow) = product.multipliedReportingOverflow(by: max(d, 1))
            guard !overflow, p < 1 << 60 else { throw LoweringError.invalidShape(value: v.name, shape: v.shape) }
            product = p
        }
    }

    /// The op's shape rule applied to the node's input values must give its declared output shapes, so a
    /// file cannot make a kernel run on inconsistent attributes.
    static func checkShapes(_ op: Op, _ node: OfflineNode, index: Int, values: [GraphValue]) throws {
        guard node.inputs.allSatisfy(values.indices.contains), node.outputs.allSatisfy(values.indices.contains) else {
            throw LoweringError.shapeMismatch(node: index, op: node.op, message: "a value id is out of range")
        }
        if case .reshape(let target) = op {
            var product = 1
            for d in target where d > 0 {
                let (p, overflow) = product.multipliedReportingOverflow(by: d)
                guard !overflow, p < 1 << 60 else {
                    throw LoweringError.badAttribute(node: index, op: node.op, key: "shape", expected: "a shape whose size fits")
                }
                product = p
            }
        }
        let inferred: [[Int]]
        do {
            inferred = try op.inferShapes(node.inputs.map { values[$0].shape })
        } catch let e as TensorError {
            throw LoweringError.shapeMismatch(node: index, op: node.op, message: e.description)
        }
        let declared = node.outputs.map { values[$0].shape }
        guard inferred == declared else {
            throw LoweringError.shapeMismatch(node: index, op: node.op, message: "outputs are declared \(declared) but the op gives \(inferred)")
        }
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

extension Graph {
    /// The graph without the values `dead` (which nothing may refer to), other ids shifted down in order.
    func removingValues(_ dead: Set<Int>) -> Graph {
        guard !dead.isEmpty else { return self }
        var remap = [Int](repeating: -1, count: values.count)
        var next = 0
        for id in values.indices where !dead.contains(id) { remap[id] = next; next += 1 }
        func map(_ id: Int) -> Int { remap.indices.contains(id) ? remap[id] : id }
        var g = self
        g.memoryPlan = nil
        g.values = values.enumerated().filter { !dead.contains($0.offset) }.map(\.element)
        g.inputs = inputs.map(map)
        g.outputs = outputs.map(map)
        g.constants = [:]
        for (id, t) in constants where !dead.contains(id) { g.constants[map(id)] = t }
        g.nodes = nodes.map { n in
            var m = n
            m.inputs = n.inputs.map(map)
            m.outputs = n.outputs.map(map)
            return m
        }
        return g
    }
}
