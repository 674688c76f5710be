import Tensors

/// Runs quantized nodes (`Node.quantization` set): the quantizer's integer emulation plugs in here.
public protocol QuantizedNodeKernel {
    /// Computes `node` on `inputs` (activations first, then the float weight and bias constants).
    func execute(_ node: Node, inputs: [Tensor]) throws -> [Tensor]

    /// `execute`, with the memory format the executor keeps activations in (nil: the input's), so a node
    /// reading a graph input left NCHW can still hand channels-last activations to the rest of the graph.
    func execute(_ node: Node, inputs: [Tensor], preferredFormat: MemoryFormat?) throws -> [Tensor]
}

extension QuantizedNodeKernel {
    public func execute(_ node: Node, inputs: [Tensor], preferredFormat: MemoryFormat?) throws -> [Tensor] {
        try execute(node, inputs: inputs)
    }
}

/// Executes a `Graph` node by node through the dispatcher, so the backend of the inputs' device runs each
/// op (the CPU float kernels, or the MLU backend once registered) — the same kernels as eager execution.
///
/// Memory: each value is released right after its last reader (the liveness `planningMemory` plans with),
/// so peak memory follows the plan's liveness. The kernels
/// allocate their own outputs; placing values into the plan's shared buffers would need out-parameter
/// kernels, which the engine does not offer (docs/graph.md).
public struct GraphExecutor {
    public let graph: Graph
    public var dispatcher: Dispatcher
    public var quantizedKernel: QuantizedNodeKernel?
    /// Keeps rank-4 float32 activations channels-last (NHWC) inside a float CPU graph or an FP32 graph with
    /// quantized nodes (`layoutAllowsChannelsLast`):
    /// the inputs are reordered once at the graph edge, every convolution then hands oneDNN its preferred
    /// layout with no per-layer reorder, and rank-4 outputs are made NCHW-contiguous again on the way out.
    /// The values agree within float rounding (the kernels may pick other algorithms per layout); only the
    /// layout differs. Inputs read by a permute/reshape-like op are left as given (`layoutSensitiveInputs`),
    /// and channels-last activations are made NCHW-contiguous before such ops (a classifier's `view`).
    public var keepsActivationsChannelsLast = true
    private let lastUse: [Int: Int]
    /// Graph inputs read by a view or layout op (permute, reshape, ...): their dimensions are not NCHW
    /// (an offline model's NHWC input goes through an edge permute), so they are passed as given.
    private let layoutSensitiveInputs: Set<Int>
    /// Graph inputs read only by quantized convolutions, which quantize any layout themselves (and then write
    /// the executor's layout): converting them first would be a wasted pass over the image.
    private let quantizedOnlyInputs: Set<Int>
    /// Whether the graph has quantized nodes / FP16 values (`layoutAllowsChannelsLast`), fixed at init.
    private let hasQuantizedNodes: Bool
    private let hasFloat16Values: Bool

    /// - Throws: `GraphError` when the graph breaks an invariant (`Graph.validate`).
    public init(graph: Graph, dispatcher: Dispatcher = .shared, quantizedKernel: QuantizedNodeKernel? = nil) throws {
        try graph.validate()
        self.graph = graph
        self.dispatcher = dispatcher
        self.quantizedKernel = quantizedKernel
        // The same last-reader analysis as `planningMemory` (whose `lastUse` covers node outputs only),
        // extended to inputs and constants.
        var uses = [Int: Int]()
        for (n, node) in graph.nodes.enumerated() { for id in node.inputs { uses[id] = n } }
        for id in graph.outputs { uses[id] = graph.nodes.count }
        lastUse = uses
        var sensitive = Set<Int>()
        let inputs = Set(graph.inputs)
        for node in graph.nodes where GraphExecutor.readsLayout(node.op) {
            for id in node.inputs where inputs.contains(id) { sensitive.insert(id) }
        }
        layoutSensitiveInputs = sensitive
        var readers = [Int: [Node]]()
        for node in graph.nodes { for id in node.inputs where inputs.contains(id) { readers[id, default: []].append(node) } }
        quantizedOnlyInputs = Set(readers.filter { id, nodes in
            nodes.allSatisfy { node in
                guard case .conv2d = node.op, let q = node.quantization else { return false }
                return !node.inputs.dropFirst(q.activationInputs).contains(id)
            }
        }.keys)
        hasQuantizedNodes = graph.nodes.contains { $0.quantization != nil }
        hasFloat16Values = graph.values.contains { $0.dtype == .float16 }
    }

    /// Runs the graph on `inputs` (one per graph input, matching its shape and dtype).
    /// Constants move to the inputs' device.
    /// - Throws: `GraphError.inputMismatch`, `.nodeFailed` (naming the node), `.outputMismatch`,
    ///   `.missingQuantizedKernel`.
    public func run(_ inputs: [Tensor]) throws -> [Tensor] {
        guard inputs.count == graph.inputs.count else {
            throw GraphError.inputMismatch(index: inputs.count, expected: "\(graph.inputs.count) input(s)", found: "\(inputs.count) input(s)")
        }
        var slots = [Tensor?](repeating: nil, count: graph.values.count)
        for (k, (t, id)) in zip(inputs, graph.inputs).enumerated() {
            let v = graph.values[id]
            guard t.shape == v.shape, t.dtype == v.dtype else {
                throw GraphError.inputMismatch(index: k, expected: "\(v.dtype.rawValue) \(v.shape)", found: "\(t.dtype.rawValue) \(t.shape)")
            }
            slots[id] = t
        }
        let device = inputs.first?.device ?? .cpu
        let keep = Set(graph.outputs)
        let nhwc = keepsActivationsChannelsLast && layoutAllowsChannelsLast(on: device)
        if nhwc {
            for id in graph.inputs where !layoutSensitiveInputs.contains(id) && !quantizedOnlyInputs.contains(id) {
                if let t = slots[id], t.rank == 4, t.dtype == .float32 {
                    slots[id] = try t.contiguous(memoryFormat: .channelsLast)
                }
            }
        }
        for (n, node) in graph.nodes.enumerated() {
            var args = [Tensor]()
            args.reserveCapacity(node.inputs.count)
            for id in node.inputs {
                if let t = slots[id] {
                    args.append(t)
                } else if let c = graph.constants[id] {
                    args.append(c.device == device ? c : c.to(device))
                } else {
                    throw GraphError.undefinedValue(value: graph.values[id].name, usedBy: "node '\(node.name)'")
                }
            }
            if nhwc && GraphExecutor.readsLayout(node.op) {
                // View and shape ops see the logical NCHW order the graph was traced with (`view` needs
                // NCHW-contiguous strides): channels-last activations go back to NCHW before them.
                args = try args.map { $0.rank == 4 && $0.dtype == .float32 && !$0.isContiguous ? try $0.contiguous(memoryFormat: .contiguous) : $0 }
            }
            let results = try execute(node, args, channelsLast: nhwc)
            guard results.count == node.outputs.count else {
                throw GraphError.outputMismatch(node: node.name, expected: "\(node.outputs.count) output(s)", found: "\(results.count) output(s)")
            }
            for (t, id) in zip(results, node.outputs) {
                let v = graph.values[id]
                guard t.shape == v.shape, t.dtype == v.dtype else {
                    throw GraphError.outputMismatch(node: node.name, expected: "\(v.dtype.rawValue) \(v.shape)", found: "\(t.dtype.rawValue) \(t.shape)")
                }
                slots[id] = t
            }
            for id in node.inputs + node.outputs where !keep.contains(id) && (lastUse[id] ?? -1) <= n {
                slots[id] = nil
            }
        }
        return try graph.outputs.map { id in
            if let t = slots[id] {
                return nhwc && t.rank == 4 && !t.isContiguous ? try t.contiguous(memoryFormat: .contiguous) : t
            }
            if let c = graph.constants[id] { return c }
            throw GraphError.undefinedValue(value: graph.values[id].name, usedBy: "the graph outputs")
        }
    }

    /// Float graphs on the CPU; graphs with quantized nodes (fused mode on the emulated MLU, the offline
    /// runtime) when they hold no FP16 value: the integer kernels quantize NHWC and dequantize into the output's
    /// layout, so channels-last activations skip both transpositions and the element-wise, bilinear and cat
    /// kernels give the bits of their NCHW versions. FP16 graphs stay NCHW (FP16 mode rounds every op's result).
    private func layoutAllowsChannelsLast(on device: Device) -> Bool {
        hasQuantizedNodes ? !hasFloat16Values : device == .cpu
    }

    /// Ops whose meaning depends on which axis is which, not only on the values' NCHW order.
    private static func readsLayout(_ op: Op) -> Bool {
        switch op {
        case .permute, .transpose, .reshape, .view, .flatten, .squeeze, .unsqueeze, .expand, .index: return true
        default: return false
        }
    }

    private func execute(_ node: Node, _ args: [Tensor], channelsLast: Bool) throws -> [Tensor] {
        if node.quantization != nil {
            guard let quantizedKernel else { throw GraphError.missingQuantizedKernel(node: node.name) }
            return try quantizedKernel.execute(node, inputs: args, preferredFormat: channelsLast ? .channelsLast : nil)
        }
        do {
            return try dispatcher.run(node.op, args)
        } catch let e as TensorError {
            throw GraphError.nodeFailed(node: node.name, op: node.op.name, message: e.description)
        }
    }
}
