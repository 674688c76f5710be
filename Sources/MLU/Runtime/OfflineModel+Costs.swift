import Ops
import Tensors

extension OfflineModel {
    /// True when the model's I/O or float parameters are FP16: the card then computes the float ops in FP16.
    public var computesInFloat16: Bool {
        inputs.contains { $0.dataType == .float16 } || outputs.contains { $0.dataType == .float16 }
            || constants.contains { $0.tensor.dtype == .float16 }
    }

    /// Per-layer costs for the roofline model (`RooflineModel.estimate`), one per node that does work.
    ///
    /// - Each op is counted by its `OpCostKind`: convolutions and linear layers in multiply-accumulates
    ///   (conv: output elements × Cin/groups × kh × kw; transposed conv: input elements × Cout/groups ×
    ///   kh × kw; linear/matmul: output elements × the input's last dimension); every other op one
    ///   operation per output element.
    /// - Activation bytes: every non-constant input read and every output written once, 2 bytes per
    ///   element in an FP16 model, else the value's element size. Weight bytes: the parameters as stored
    ///   in the file (int8/int16/FP16/FP32).
    /// - Free on the card, so skipped: reshapes, views, squeeze/unsqueeze/flatten/expand, contiguous, eval
    ///   dropout, and the casts that turn stored FP16 parameters back into FP32.
    /// - Fused on the card, so skipped: a BatchNorm or ReLU that is the only reader of a convolution's or
    ///   linear layer's output (or of such a fused chain): CNML runs conv + BN + ReLU as one kernel. Float
    ///   graphs have them folded already; quantized convolutions keep them as nodes for exactness. Likewise the
    ///   cast of a firstconv model's uint8 input: the first convolution reads the pixels itself.
    /// - Compute dtype: the quantization dtype for quantized nodes, else FP16 or FP32 as the model.
    /// - Throws: `LoweringError` / `GraphError` when the graph cannot be raised.
    public func layerCosts() throws -> [LayerCost] {
        let g = try engineGraph()
        let half = computesInFloat16
        var stored = [Int: Double]()
        for c in constants { stored[c.valueId] = Double(c.tensor.count * c.tensor.dtype.itemSize) }
        var costs = [LayerCost]()
        let producer = g.producers(), readers = g.consumers()
        var fusedIntoConvolution = Set<Int>()   // node indices
        for (n, node) in g.nodes.enumerated() {
            switch node.op {
            case .batchNorm, .relu:
                guard let x = node.inputs.first, producer.indices.contains(x), let p = producer[x], readers[x] == [n],
                      !g.outputs.contains(x) else { continue }
                let kind = g.nodes[p].op.costKind
                if kind == .convolution || kind == .matrixProduct || fusedIntoConvolution.contains(p) {
                    fusedIntoConvolution.insert(n)
                }
            default:
                continue
            }
        }
        for (n, node) in g.nodes.enumerated() {
            if fusedIntoConvolution.contains(n) { continue }
            // firstconv: the card's first convolution reads the uint8 pixels itself.
            if case .cast = node.op, let x = node.inputs.first, g.values[x].dtype == .uint8 { continue }
            if case .cast = node.op, node.inputs.count == 1, let bytes = stored[node.inputs[0]] {
                for id in node.outputs { stored[id] = bytes }
                continue
            }
            if node.op.costKind == .free { continue }
            func elementBytes(_ id: Int) -> Double {
                let v = g.values[id]
                let size = half && v.dtype.isFloatingPoint ? 2 : v.dtype.itemSize
                return Double(v.shape.reduce(1, *) * size)
            }
            var read = 0.0, weights = 0.0
            for id in node.inputs {
                if let bytes = stored[id] { weights += bytes } else { read += elementBytes(id) }
            }
            let written = node.outputs.reduce(0.0) { $0 + elementBytes($1) }
            let outElements = Double(node.outputs.first.map { g.values[$0].shape.reduce(1, *) } ?? 0)
            let dtype: ComputeDType
            switch node.quantization?.dtype {
            case .int8?: dtype = .int8
            case .int16?: dtype = .int16
            default: dtype = half ? .float16 : .float32
            }
            let weightShape = node.inputs.count > 1 ? g.values[node.inputs[1]].shape : []
            let inputShape = node.inputs.first.map { g.values[$0].shape } ?? []
            var macs: Double?
            switch node.op.costKind {
            case .convolution where weightShape.count == 4:
                macs = outElements * Double(weightShape[1] * weightShape[2] * weightShape[3])
            case .transposedConvolution where weightShape.count == 4:
                macs = Double(inputShape.reduce(1, *)) * Double(weightShape[1] * weightShape[2] * weightShape[3])
            case .matrixProduct where !inputShape.isEmpty:
                macs = outElements * Double(inputShape[inputShape.count - 1])
            case .convolution, .transposedConvolution, .matrixProduct, .perElement, .free:
                macs = nil
            }
            let name = Self.layerName(of: node, in: g)
            if let macs {
                costs.append(LayerCost(name: name, opKind: node.op.name, macs: macs, bytesRead: read,
                                       bytesWritten: written, weightBytes: weights, computeDType: dtype))
            } else {
                costs.append(LayerCost(name: name, opKind: node.op.name, operations: outElements, bytesRead: read,
                                       bytesWritten: written, weightBytes: weights, computeDType: dtype))
            }
        }
        return costs
    }

    /// The module a weighted node came from (`enc1.0.0` from its weight `enc1.0.0.weight`, folded or
    /// stored as FP16), which is what a user recognises; a fused conv+ReLU node is otherwise named after
    /// the ReLU's output. Other nodes keep their own name.
    static func layerName(of node: Node, in g: Graph) -> String {
        guard node.op.costKind != .perElement, node.inputs.count > 1, g.values.indices.contains(node.inputs[1]) else { return node.name }
        var name = g.values[node.inputs[1]].name
        for suffix in ["_fp16", ".weight_folded", ".weight"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
        }
        return name.isEmpty ? node.name : name
    }

    /// The roofline estimate for the model's own target (core version and core number).
    /// - Throws: `DeviceError` for a target the profiles reject, and `layerCosts` errors.
    public func latencyEstimate(assumptions: RooflineAssumptions = .standard) throws -> PerformanceEstimate {
        let roofline = try RooflineModel(coreVersion: target.coreVersion, coreNumber: target.coreNumber, assumptions: assumptions)
        return try roofline.estimate(try layerCosts())
    }
}
