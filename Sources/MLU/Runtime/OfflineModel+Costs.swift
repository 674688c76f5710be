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
    /// - Convolutions and linear layers count multiply-accumulates (conv: output elements × Cin/groups ×
    ///   kh × kw; transposed conv: input elements × Cout/groups × kh × kw; linear: output elements × in
    ///   features); every other op one operation per output element.
    /// - Activation bytes: every non-constant input read and every output written once, 2 bytes per
    ///   element in an FP16 model, else the value's element size. Weight bytes: the parameters as stored
    ///   in the file (int8/int16/FP16/FP32).
    /// - Free on the card, so skipped: reshapes, views, squeeze/unsqueeze/flatten, contiguous, eval dropout,
    ///   and the casts that turn stored FP16 parameters back into FP32.
    /// - Compute dtype: the quantization dtype for quantized nodes, else FP16 or FP32 as the model.
    /// - Throws: `LoweringError` / `GraphError` when the graph cannot be raised.
    public func layerCosts() throws -> [LayerCost] {
        let g = try engineGraph()
        let half = computesInFloat16
        var stored = [Int: Double]()
        for c in constants { stored[c.valueId] = Double(c.tensor.count * c.tensor.dtype.itemSize) }
        var costs = [LayerCost]()
        for node in g.nodes {
            if case .cast = node.op, node.inputs.count == 1, let bytes = stored[node.inputs[0]] {
                for id in node.outputs { stored[id] = bytes }
                continue
            }
            switch node.op {
            case .reshape, .view, .flatten, .squeeze, .unsqueeze, .contiguous, .dropout: continue
            default: break
            }
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
            switch node.op {
            case .conv2d where weightShape.count == 4:
                let macs = outElements * Double(weightShape[1] * weightShape[2] * weightShape[3])
                costs.append(LayerCost(name: node.name, opKind: node.op.name, macs: macs, bytesRead: read,
                                       bytesWritten: written, weightBytes: weights, computeDType: dtype))
            case .convTranspose2d where weightShape.count == 4:
                let inElements = Double(g.values[node.inputs[0]].shape.reduce(1, *))
                let macs = inElements * Double(weightShape[1] * weightShape[2] * weightShape[3])
                costs.append(LayerCost(name: node.name, opKind: node.op.name, macs: macs, bytesRead: read,
                                       bytesWritten: written, weightBytes: weights, computeDType: dtype))
            case .linear where weightShape.count == 2:
                costs.append(LayerCost(name: node.name, opKind: node.op.name, macs: outElements * Double(weightShape[1]),
                                       bytesRead: read, bytesWritten: written, weightBytes: weights, computeDType: dtype))
            default:
                costs.append(LayerCost(name: node.name, opKind: node.op.name, operations: outElements, bytesRead: read,
                                       bytesWritten: written, weightBytes: weights, computeDType: dtype))
            }
        }
        return costs
    }

    /// The roofline estimate for the model's own target (core version and core number).
    /// - Throws: `DeviceError` for a target the profiles reject, and `layerCosts` errors.
    public func latencyEstimate(assumptions: RooflineAssumptions = .standard) throws -> PerformanceEstimate {
        let roofline = try RooflineModel(coreVersion: target.coreVersion, coreNumber: target.coreNumber, assumptions: assumptions)
        return try roofline.estimate(try layerCosts())
    }
}
