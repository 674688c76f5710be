import Foundation
import NN
import Ops
import Tensors

/// A traced module (`torch.jit.trace` result): its forward recorded once as a `Graph`, optimised
/// (BN folding, activation fusion, dead code, memory plan) and run by `GraphExecutor` — Catch's
/// fused mode.
///
/// The graph is static in shapes, like the instructions Catch caches per input: a call whose inputs
/// differ in shape, dtype or device from every traced signature traces the forward again on them
/// (batch 1 traced, batch 4 run, as genoff does) and caches that graph too.
///
/// Offline generation: when `settings` is armed (`ct.save_as_cambricon(name)`), the first run after
/// arming lowers the optimised graph of that run and writes `name.cambricon` + `name.cambricon_twins`
/// (NHWC I/O, the run's batch, the settings' core version and number, provenance).
public final class TracedModule {
    /// Runs the module's forward on the given inputs (eagerly, through the dispatcher).
    public typealias Forward = ([Tensor]) throws -> [Tensor]

    private struct Signature: Hashable {
        let shapes: [[Int]]
        let dtypes: [DType]
        let devices: [Device]
        init(_ inputs: [Tensor]) {
            shapes = inputs.map(\.shape); dtypes = inputs.map(\.dtype); devices = inputs.map(\.device)
        }
    }

    /// One traced signature: the graph as recorded, the optimised graph, and its executor.
    private struct Compiled {
        let traced: Graph
        let optimized: Graph
        let executor: GraphExecutor
    }

    private let forward: Forward
    private let module: NN.Module?
    private let namedTensors: [(key: String, tensor: Tensor)]
    private let quantizedLayers: [String: NodeQuantization]
    private var compiled = [Signature: Compiled]()
    private let exampleSignature: Signature

    public let settings: OfflineGenerationSettings
    public let dispatcher: Dispatcher
    /// Fused mode (the optimised graph). False runs the graph exactly as traced (bit-identical to eager).
    public let optimize: Bool
    /// The files the last armed run wrote.
    public private(set) var lastGenerated: (model: String, twins: String)?

    /// Traces `forward` on `example`.
    ///
    /// - Parameters:
    ///   - namedTensors: parameters and buffers by state_dict key; constants take these names
    ///     (`enc1.0.0.weight`), and nodes are named after the module owning their weight.
    ///   - quantizedLayers: quantized modules by path (`GraphRuntime.quantizedLayers(of:)`); the node
    ///     reading `<path>.weight` gets that `NodeQuantization`.
    ///   - module: the traced module: handed to `GraphRuntime.tracingInstaller` during each trace, and asked
    ///     for its quantized layers (`GraphRuntime.quantizedLayers(of:)`) after each traced forward.
    /// - Throws: `TraceRuntimeError`, `GraphError`, and whatever the forward throws.
    public init(example: [Tensor], namedTensors: [(key: String, tensor: Tensor)] = [],
                quantizedLayers: [String: NodeQuantization] = [:], module: NN.Module? = nil, settings: OfflineGenerationSettings = .shared,
                dispatcher: Dispatcher = .shared, optimize: Bool = true, forward: @escaping Forward) throws {
        self.forward = forward
        self.module = module
        self.namedTensors = namedTensors
        self.quantizedLayers = quantizedLayers
        self.settings = settings
        self.dispatcher = dispatcher
        self.optimize = optimize
        exampleSignature = Signature(example)
        _ = try compile(example)
    }

    /// The graph recorded from the example inputs, before optimisation.
    public var graph: Graph { compiled[exampleSignature]?.traced ?? Graph() }

    /// The optimised graph of the example inputs (what fused mode runs and the offline model stores).
    public var optimizedGraph: Graph { compiled[exampleSignature]?.optimized ?? Graph() }

    /// Runs the traced graph on `inputs` (fused mode), tracing again for a new signature; writes the
    /// offline model when generation is armed and this is the first run since.
    /// - Throws: `GraphError` (e.g. `missingQuantizedKernel`), `TraceRuntimeError.generationFailed`,
    ///   lowering and format errors naming the node.
    /// - Parameter generating: false runs without writing even when armed (`check_trace`).
    public func run(_ inputs: [Tensor], generating: Bool = true) throws -> [Tensor] {
        let c = try compile(inputs)
        var executor = c.executor
        executor.quantizedKernel = GraphRuntime.quantizedKernel
        let outputs = try executor.run(inputs)
        if generating, let armed = settings.claimPendingGeneration() {
            do {
                let model = try offlineModel(of: c.optimized, inputs: inputs)
                lastGenerated = try model.save(as: armed.name)
            } catch {
                settings.releaseClaim(armed)
                throw TraceRuntimeError.generationFailed(name: armed.name, reason: "\(error)")
            }
        }
        return outputs
    }

    /// `run` for one input and one output.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        guard let first = try run([input]).first else { throw TraceRuntimeError.badInputs("the traced module returned no output") }
        return first
    }

    /// The offline model of `graph` run on `inputs` with the current settings (what an armed run writes).
    ///
    /// FP16: when an input or a float parameter is float16 (`.half()`), FP32 parameters are stored as
    /// FP16 and float32 outputs get a cast to float16, so the file's I/O and weights are FP16.
    public func offlineModel(of graph: Graph, inputs: [Tensor]) throws -> OfflineModel {
        var g = graph
        g.memoryPlan = nil
        for (id, t) in g.constants where t.device != .cpu { g.constants[id] = t.to(.cpu) }
        let half = inputs.contains { $0.dtype == .float16 } || g.constants.values.contains { $0.dtype == .float16 }
        if half { g = Self.castingFloatOutputs(g, to: .float16) }
        let target = OfflineTarget(coreVersion: settings.coreVersion, coreNumber: settings.coreNumber,
                                   batch: inputs.first?.shape.first ?? 1,
                                   inputFormat: g.nodes.contains { $0.quantization?.normalizesInput == true } ? settings.inputFormat : nil)
        let options = LoweringOptions(target: target, provenance: provenance(of: g, half: half),
                                      floatParameterDType: half ? .float16 : .float32)
        return try g.lowered(options: options)
    }

    // MARK: Tracing

    private func compile(_ inputs: [Tensor]) throws -> Compiled {
        let signature = Signature(inputs)
        if let c = compiled[signature] { return c }
        guard !inputs.isEmpty else { throw TraceRuntimeError.badInputs("at least one example input is needed") }
        if let d = inputs.first?.device, inputs.contains(where: { $0.device != d }) {
            throw TraceRuntimeError.badInputs("inputs are on different devices (\(inputs.map(\.device.description).joined(separator: ", ")))")
        }
        let traced = try trace(inputs)
        let optimized = optimize ? try traced.optimized() : traced
        let executable = optimize ? try traced.optimizedForExecution() : traced
        let c = Compiled(traced: traced, optimized: optimized,
                         executor: try GraphExecutor(graph: executable, dispatcher: dispatcher, quantizedKernel: GraphRuntime.quantizedKernel))
        compiled[signature] = c
        return c
    }

    private func trace(_ inputs: [Tensor]) throws -> Graph {
        let tracer = Tracer()
        for (k, t) in inputs.enumerated() { try tracer.registerInput(t, name: inputs.count == 1 ? "input" : "input\(k)") }
        tracer.nameConstants(namedTensors)
        let undo = module.flatMap { m in GraphRuntime.tracingInstaller.map { $0(m, tracer) } }
        defer { undo?() }
        let outputs = try dispatcher.recording(with: tracer) { try forward(inputs) }
        var g = try tracer.finish(outputs: outputs)
        // Asked after the forward: a quantized layer may refresh its scales from its buffers while running.
        var quantizedLayers = self.quantizedLayers
        if let module {
            quantizedLayers.merge(GraphRuntime.quantizedLayers(of: module)) { explicit, _ in explicit }
        }
        if !quantizedLayers.isEmpty {
            for (n, node) in g.nodes.enumerated() where node.inputs.count >= 2 {
                let w = node.inputs[1]
                guard g.constants[w] != nil else { continue }
                let name = g.values[w].name
                guard name.hasSuffix(".weight"), let q = quantizedLayers[String(name.dropLast(".weight".count))] else { continue }
                g.nodes[n].quantization = q
            }
        }
        if inputs.contains(where: { $0.device.isMLU }) {
            let known = Set(namedTensors.map(\.key))
            for node in g.nodes {
                for id in node.inputs {
                    guard let c = g.constants[id], c.device.isMLU, !known.contains(g.values[id].name) else { continue }
                    throw TraceRuntimeError.untracedComputation(node: node.name, value: g.values[id].name, shape: c.shape)
                }
            }
        }
        return g
    }

    // MARK: Offline details

    /// `g` with a `cast` node after every float32 output, so the model's outputs have `dtype`.
    static func castingFloatOutputs(_ g: Graph, to dtype: DType) -> Graph {
        var out = g
        for (k, id) in g.outputs.enumerated() where g.values[id].dtype == .float32 {
            let v = g.values[id]
            let cast = out.addValue(name: v.name + "_" + dtype.rawValue, shape: v.shape, dtype: dtype)
            out.nodes.append(Node(op: .cast(dtype), inputs: [id], outputs: [cast], name: v.name + "_cast"))
            out.outputs[k] = cast
        }
        return out
    }

    private func provenance(of g: Graph, half: Bool) -> OfflineProvenance {
        var items = [String: String]()
        let quantized = g.nodes.compactMap(\.quantization)
        items["compute"] = half ? "float16" : "float32"
        items["quantized_layers"] = String(quantized.count)
        if let q = quantized.first {
            items["dtype"] = q.dtype.rawValue
            items["per_channel"] = quantized.contains { $0.weightAxis != nil } ? "true" : "false"
        } else {
            items["dtype"] = "none (float model)"
        }
        items["fake_device"] = settings.deviceIndex == -1 ? "true" : "false"
        var sha = [UInt8](repeating: 0, count: 32)
        if let path = settings.sourceCheckpoint {
            if let digest = try? SHA256.hash(fileAt: path) {
                sha = digest
                items["source"] = (path as NSString).lastPathComponent
            } else {
                items["source"] = "unreadable: \(path)"
            }
        } else {
            items["source"] = "unknown"
        }
        return OfflineProvenance(sourceSHA256: sha, toolVersion: MLURuntime.toolVersion,
                                 creationTime: Int64(Date().timeIntervalSince1970), quantizationSettings: items)
    }
}
