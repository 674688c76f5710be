import Ops
import Quantization
import Tensors

extension Graph {
    /// The offline model of this graph: what `ct.save_as_cambricon` writes.
    ///
    /// - Values keep their ids and names; nodes map through `OfflineOpMapping` (ops version 1).
    /// - I/O is NHWC, as on the card: each 4-D input becomes an NHWC value followed by a
    ///   `permute [0, 3, 1, 2]` node defining the graph's NCHW input; each 4-D output gets a
    ///   `permute [0, 2, 3, 1]` node whose NHWC result the descriptor binds. Other ranks pass unchanged.
    /// - Constants are stored as they are (FP32 or FP16), or FP32 → FP16 plus a `cast` node when
    ///   `options.floatParameterDType` is `.float16`.
    /// - Quantized nodes (`Node.quantization`): the weight (input 1, a float constant) is stored as int8/int16
    ///   `q = clamp(round_half_away(w · scale))` with its scales, and the node gets the float attribute
    ///   `input_scale` (docs/offline-format.md).
    ///
    /// - Throws: `LoweringError` naming the node or value that cannot be stored; `GraphError` for an
    ///   invalid graph; `OfflineFormatError` when the result fails the format's validation.
    ///
    /// firstconv models (a quantized conv normalising a graph input) get a uint8 NHWC input in the order of
    /// `options.target.inputFormat` (`preparingFirstConvInputs`): the descriptor is `CNRT_UINT8`, followed by
    /// `permute [0, 3, 1, 2]` and a `cast` to the graph's float type.
    public func lowered(options: LoweringOptions) throws -> OfflineModel {
        try validate()
        let prepared = try preparingFirstConvInputs(inputFormat: options.target.inputFormat ?? 0)
        return try prepared.graph.lowered(options: options, uint8Inputs: prepared.uint8Inputs)
    }

    private func lowered(options: LoweringOptions, uint8Inputs: Set<Int>) throws -> OfflineModel {
        var values = self.values.map { OfflineValue(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
        var taken = Set(values.map(\.name))
        func newValue(_ base: String, dtype: DType, shape: [Int]) -> Int {
            var name = base, k = 1
            while taken.contains(name) { name = "\(base)_\(k)"; k += 1 }
            taken.insert(name)
            values.append(OfflineValue(name: name, dtype: dtype, shape: shape))
            return values.count - 1
        }
        func ioType(_ id: Int) throws -> CNRTDataType {
            switch self.values[id].dtype {
            case .float32: return .float32
            case .float16: return .float16
            case .uint8: return .uint8
            default: throw LoweringError.unsupportedIODType(value: self.values[id].name, dtype: self.values[id].dtype.rawValue)
            }
        }
        // Constants first, then the NHWC I/O values: raising strips exactly the trailing I/O values, so
        // lowering a raised graph again reproduces the model.
        var prologue = [OfflineNode](), casts = [OfflineNode](), epilogue = [OfflineNode]()
        // Quantized weights: constant id → (node, quantization).
        var quantizedWeights = [Int: Node]()
        for node in nodes {
            guard let q = node.quantization else { continue }
            guard !q.hasExecutionOnlyFusion else {
                throw LoweringError.badQuantization(node: node.name, reason: "it carries a fusion only executors run (BatchNorm epilogue, absorbed cat or resize, codes passed between convolutions): lower the graph of optimized(), not optimizedForExecution()")
            }
            guard node.inputs.count >= 2, constants[node.inputs[1]] != nil else {
                throw LoweringError.badQuantization(node: node.name, reason: "its weight (input 1) is not a constant")
            }
            if let other = quantizedWeights[node.inputs[1]], other.quantization != q {
                throw LoweringError.badQuantization(node: node.name, reason: "its weight is shared with '\(other.name)' under different scales")
            }
            quantizedWeights[node.inputs[1]] = node
        }
        var offlineConstants = [OfflineConstant]()
        for id in constants.keys.sorted() {
            guard let t = constants[id] else { continue }
            let name = self.values[id].name
            if let node = quantizedWeights[id], let q = node.quantization {
                let stored = try Self.quantizedWeight(t, q, node: node.name)
                values[id].dtype = stored.tensor.dtype
                offlineConstants.append(OfflineConstant(valueId: id, tensor: stored.tensor, quantization: stored.quantization))
                continue
            }
            switch t.dtype {
            case .float32 where options.floatParameterDType == .float16:
                let half = newValue(name + "_fp16", dtype: .float16, shape: t.shape)
                offlineConstants.append(OfflineConstant(valueId: half, tensor: t.to(.float16).contiguous()))
                casts.append(OfflineNode(op: "cast", attributes: ["dtype": .string(DType.float32.rawValue)], inputs: [half], outputs: [id]))
            case .float32, .float16:
                offlineConstants.append(OfflineConstant(valueId: id, tensor: t.contiguous()))
            default:
                throw LoweringError.unsupportedConstantDType(value: name, dtype: t.dtype.rawValue)
            }
        }
        offlineConstants.sort { $0.valueId < $1.valueId }

        let toNHWC = [0, 2, 3, 1], toNCHW = [0, 3, 1, 2]
        var inputDescriptors = [OfflineIODescriptor](), outputDescriptors = [OfflineIODescriptor]()
        for id in inputs {
            let v = self.values[id]
            if uint8Inputs.contains(id) {
                // Raw pixels: uint8 NHWC → permute to NCHW → cast to the graph's float type.
                let nhwc = toNHWC.map { v.shape[$0] }
                let outer = newValue(v.name + "_nhwc", dtype: .uint8, shape: nhwc)
                let pixels = newValue(v.name + "_uint8", dtype: .uint8, shape: v.shape)
                prologue.append(OfflineNode(op: "permute", attributes: ["dims": .ints(toNCHW.map { Int64($0) })], inputs: [outer], outputs: [pixels]))
                prologue.append(OfflineNode(op: "cast", attributes: ["dtype": .string(v.dtype.rawValue)], inputs: [pixels], outputs: [id]))
                inputDescriptors.append(OfflineIODescriptor(name: v.name, valueId: outer, dataType: .uint8, dimOrder: .nhwc, shape: nhwc))
                continue
            }
            let type = try ioType(id)
            if v.shape.count == 4 {
                let nhwc = toNHWC.map { v.shape[$0] }
                let outer = newValue(v.name + "_nhwc", dtype: v.dtype, shape: nhwc)
                prologue.append(OfflineNode(op: "permute", attributes: ["dims": .ints(toNCHW.map { Int64($0) })], inputs: [outer], outputs: [id]))
                inputDescriptors.append(OfflineIODescriptor(name: v.name, valueId: outer, dataType: type, dimOrder: .nhwc, shape: nhwc))
            } else {
                inputDescriptors.append(OfflineIODescriptor(name: v.name, valueId: id, dataType: type, dimOrder: .nhwc, shape: v.shape))
            }
        }
        for id in outputs {
            let v = self.values[id]
            let type = try ioType(id)
            if v.shape.count == 4 {
                let nhwc = toNHWC.map { v.shape[$0] }
                let outer = newValue(v.name + "_nhwc", dtype: v.dtype, shape: nhwc)
                epilogue.append(OfflineNode(op: "permute", attributes: ["dims": .ints(toNHWC.map { Int64($0) })], inputs: [id], outputs: [outer]))
                outputDescriptors.append(OfflineIODescriptor(name: v.name, valueId: outer, dataType: type, dimOrder: .nhwc, shape: nhwc))
            } else {
                outputDescriptors.append(OfflineIODescriptor(name: v.name, valueId: id, dataType: type, dimOrder: .nhwc, shape: v.shape))
            }
        }

        var body = [OfflineNode]()
        for node in nodes {
            var (name, attributes) = try OfflineOpMapping.lower(node, inputShapes: node.inputs.map { self.values[$0].shape },
                                                                outputShapes: node.outputs.map { self.values[$0].shape })
            if let q = node.quantization {
                attributes["input_scale"] = .float(q.inputScale)
                if let mean = q.inputMean255, let std = q.inputStd255 {
                    attributes["input_mean"] = .floats(mean.map(Double.init))
                    attributes["input_std"] = .floats(std.map(Double.init))
                }
            }
            body.append(OfflineNode(op: name, attributes: attributes, inputs: node.inputs, outputs: node.outputs))
        }
        var target = options.target
        if let first = inputs.first, let n = self.values[first].shape.first, n >= 1 { target.batch = n }
        let model = OfflineModel(
            graph: OfflineGraph(functionName: options.functionName, values: values, nodes: prologue + casts + body + epilogue),
            constants: offlineConstants, inputs: inputDescriptors, outputs: outputDescriptors,
            target: target, provenance: options.provenance)
        try model.validate()
        return model
    }

    /// `w` as int8/int16 with `q`'s scales (real = q / scale), per tensor or along `q.weightAxis`.
    static func quantizedWeight(_ w: Tensor, _ q: NodeQuantization, node: String) throws -> OfflineConstant {
        let dtype: QuantDType
        switch q.dtype {
        case .int8: dtype = .int8
        case .int16: dtype = .int16
        default: throw LoweringError.badQuantization(node: node, reason: "dtype \(q.dtype.rawValue) is not int8 or int16")
        }
        guard q.weightScales.allSatisfy({ $0.isFinite && $0 > 0 }), q.inputScale.isFinite, q.inputScale > 0 else {
            throw LoweringError.badQuantization(node: node, reason: "scales must be finite and positive")
        }
        let real = w.floats()
        let integers: [Float]
        let quantization: OfflineQuantization
        if let axis = q.weightAxis {
            guard axis == 0, w.rank >= 1, q.weightScales.count == w.shape[0] else {
                throw LoweringError.badQuantization(node: node, reason: "\(q.weightScales.count) per-channel scales on axis \(axis) for weight \(w.shape) (axis 0 expected)")
            }
            integers = quantizePerChannel(real, scales: q.weightScales, dtype: dtype)
            quantization = OfflineQuantization(scales: q.weightScales, axis: 0)
        } else {
            guard q.weightScales.count == 1 else {
                throw LoweringError.badQuantization(node: node, reason: "\(q.weightScales.count) scales without a channel axis")
            }
            integers = quantize(real, scale: q.weightScales[0], dtype: dtype)
            quantization = OfflineQuantization(scale: q.weightScales[0])
        }
        var t = Tensor(integers, shape: w.shape).to(q.dtype).contiguous()
        t.device = .cpu
        return OfflineConstant(valueId: -1, tensor: t, quantization: quantization)
    }
}
