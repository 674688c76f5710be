import Tensors

/// Records dispatched operations into a `Graph` (`torch.jit.trace`).
///
/// Register the example inputs first, then run the computation inside `Dispatcher.recording(with:)`
/// (or use `Tracer.trace`). Every op the dispatcher runs becomes a node; a tensor the tracer has never
/// seen becomes a constant (a weight, snapshotted at first use) unless it was registered as an input.
/// Tensors are matched by `TensorIdentity` (storage object + offset + shape + strides + dtype):
/// the latest op that produced a given identity defines it.
///
/// Node names come from the scope stack (`pushScope`/`popScope` on the tracer, or `TraceScope.push`/`pop`,
/// which `NN.Module` can call with each child's attribute name, giving module paths such as `enc1.0.0`);
/// outside any scope, or for a second op in the same scope, names are the op kind and a counter.
///
/// Not thread-safe: trace on one thread.
public final class Tracer: OpRecorder {
    private var graph = Graph()
    private var valueOf = [TensorIdentity: Int]()
    /// Keeps every storage seen alive, so object identities are not reused while tracing.
    private var retained = [ObjectIdentifier: Storage]()
    private var constantNames = [TensorIdentity: String]()
    private var scopes = [String]()
    private var usedNodeNames = Set<String>()
    private var opCounters = [String: Int]()
    private var recordingStarted = false

    /// A tracer that is tracing until `finish(outputs:)`: it receives `TraceScope` pushes meanwhile.
    public init() { TraceScope.register(self) }

    deinit { TraceScope.unregister(self) }

    /// Declares `tensor` a graph input (call before the traced computation runs).
    /// - Returns: the input's value id.
    /// - Throws: `GraphError.tracing` when operations were already recorded.
    @discardableResult
    public func registerInput(_ tensor: Tensor, name: String? = nil) throws -> Int {
        guard !recordingStarted else { throw GraphError.tracing("register inputs before the traced computation runs") }
        let id = graph.addValue(name: name ?? "input\(graph.inputs.count)", shape: tensor.shape, dtype: tensor.dtype)
        graph.inputs.append(id)
        bind(tensor, to: id)
        return id
    }

    /// Gives the constant that `tensor` will become a name (e.g. its state_dict key `enc1.0.0.weight`).
    /// Without this, constants are named after their first consumer and argument slot. Outside any scope,
    /// an op reading a named constant is named after its module: `enc1.0.0.weight` names the conv `enc1.0.0`.
    public func nameConstant(_ tensor: Tensor, _ name: String) {
        constantNames[TensorIdentity(tensor)] = name
    }

    /// Names every tensor of a state dict (`Module.stateDict()`) after its key; see `nameConstant`.
    public func nameConstants<S: Sequence>(_ stateDict: S) where S.Element == (key: String, tensor: Tensor) {
        for (key, tensor) in stateDict { nameConstant(tensor, key) }
    }

    /// The module path of the first named constant among `inputs` (`enc1.0.0` for `enc1.0.0.weight`).
    private func moduleOwning(_ inputs: [Tensor]) -> String? {
        for t in inputs.dropFirst() {
            if let name = constantNames[TensorIdentity(t)], let dot = name.lastIndex(of: ".") {
                return String(name[..<dot])
            }
        }
        return nil
    }

    /// Enters a module scope: ops recorded until the matching `popScope` are named `outer.name`.
    public func pushScope(_ name: String) { scopes.append(name) }

    /// Leaves the innermost scope (no effect at the top level).
    public func popScope() { _ = scopes.popLast() }

    /// Runs `body` inside scope `name`.
    public func withScope<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        pushScope(name)
        defer { popScope() }
        return try body()
    }

    /// The current module path (`enc1.0.0`), empty at the top level.
    public var scopePath: String { scopes.joined(separator: ".") }

    public func record(_ op: Op, inputs: [Tensor], outputs: [Tensor]) {
        recordingStarted = true
        let name = nextNodeName(op, owner: scopes.isEmpty ? moduleOwning(inputs) : nil)
        var inputIds = [Int]()
        for (slot, t) in inputs.enumerated() {
            if let id = valueOf[TensorIdentity(t)] {
                inputIds.append(id)
            } else {
                let cname = constantNames[TensorIdentity(t)] ?? "\(name).\(Tracer.slotName(op, slot))"
                let id = graph.addConstant(t.clonedContiguous(), name: cname)
                bind(t, to: id)
                inputIds.append(id)
            }
        }
        var outputIds = [Int]()
        for (k, t) in outputs.enumerated() {
            let id = graph.addValue(name: outputs.count == 1 ? name : "\(name):\(k)", shape: t.shape, dtype: t.dtype)
            outputIds.append(id)
        }
        // Bind after all outputs exist, so an op returning its input (dropout in eval) rebinds cleanly.
        for (t, id) in zip(outputs, outputIds) { bind(t, to: id) }
        graph.nodes.append(Node(op: op, inputs: inputIds, outputs: outputIds, name: name))
    }

    /// Ends tracing: the graph whose outputs are `outputs` (tensors returned by the traced computation).
    /// - Throws: `GraphError.tracing` when an output was not produced by a recorded op nor is an input,
    ///   and any invariant violation `Graph.validate` finds.
    public func finish(outputs: [Tensor]) throws -> Graph {
        TraceScope.unregister(self)
        var g = graph
        for (k, t) in outputs.enumerated() {
            guard let id = valueOf[TensorIdentity(t)] else {
                throw GraphError.tracing("output #\(k) (shape \(t.shape)) was not computed by a traced operation from the inputs")
            }
            g.outputs.append(id)
        }
        try g.validate()
        return g
    }

    /// Traces `body` on `inputs`: registers them, runs `body` with this tracer recording, and returns
    /// the graph of its results.
    public static func trace(inputs: [Tensor], inputNames: [String]? = nil, dispatcher: Dispatcher = .shared,
                             configure: (Tracer) -> Void = { _ in },
                             _ body: ([Tensor]) throws -> [Tensor]) throws -> Graph {
        let tracer = Tracer()
        for (k, t) in inputs.enumerated() {
            try tracer.registerInput(t, name: inputNames.flatMap { $0.indices.contains(k) ? $0[k] : nil })
        }
        configure(tracer)
        let outputs = try dispatcher.recording(with: tracer) { try body(inputs) }
        return try tracer.finish(outputs: outputs)
    }

    private func bind(_ t: Tensor, to id: Int) {
        retained[ObjectIdentifier(t.storage)] = t.storage
        valueOf[TensorIdentity(t)] = id
    }

    private func nextNodeName(_ op: Op, owner: String?) -> String {
        let path = owner ?? scopePath
        if !path.isEmpty, usedNodeNames.insert(path).inserted { return path }
        let prefix = path.isEmpty ? "" : path + "."
        var name: String
        repeat {
            let k = opCounters[prefix + op.name, default: 0]
            opCounters[prefix + op.name] = k + 1
            name = "\(prefix)\(op.name)_\(k)"
        } while !usedNodeNames.insert(name).inserted
        return name
    }

    /// PyTorch's argument name for input `slot` of `op`, used to name constants (`conv.weight`).
    static func slotName(_ op: Op, _ slot: Int) -> String {
        let names: [String]
        switch op {
        case .conv2d, .convTranspose2d, .linear: names = ["input", "weight", "bias"]
        case .batchNorm: names = ["input", "running_mean", "running_var", "weight", "bias"]
        case .prelu: names = ["input", "weight"]
        default: names = []
        }
        return names.indices.contains(slot) ? names[slot] : "arg\(slot)"
    }
}
