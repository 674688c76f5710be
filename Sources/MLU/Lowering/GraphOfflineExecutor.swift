import Ops
import Tensors

/// Runs a loaded offline model's function with the engine's kernels: `CNRTFunction.invoke(_:executor:)`
/// hands it NHWC inputs already checked against the descriptors.
///
/// The function's graph is converted once (`OfflineModel.engineGraph`), optionally optimised, and executed
/// by `GraphExecutor` through the dispatcher — the same kernels as eager and fused execution. Descriptors
/// whose value already has the descriptor's shape (what mlus writes: explicit `permute` nodes) pass
/// straight through; for models whose 4-D I/O values are NCHW behind NHWC descriptors, the executor
/// transposes at the edges. A dtype differing between descriptor and value is cast (FP32 ↔ FP16).
public final class GraphOfflineExecutor: OfflineExecutor {
    /// The quantized-node kernel the quantizer provides; nil runs float models only.
    public var quantizedKernel: QuantizedNodeKernel?
    /// Run `Graph.optimizedForExecution()` on the loaded graph. The file holds the graph of `optimized()`
    /// already; what this adds are the kernel fusions a file cannot store (a quantized convolution's BatchNorm,
    /// ReLU, concatenation, upsampling and int8 codes between convolutions), exact, so the results are the
    /// bits of fused mode either way. On by default: without them the offline runtime ran INT8 CarSegNet 1.6x
    /// slower than fused mode.
    public let optimize: Bool
    private var prepared: (key: PreparedKey, executor: GraphExecutor)?

    public init(optimize: Bool = true, quantizedKernel: QuantizedNodeKernel? = nil) {
        self.optimize = optimize
        self.quantizedKernel = quantizedKernel
    }

    public func execute(_ function: CNRTFunction, inputs: [Tensor]) throws -> [Tensor] {
        let executor = try executor(for: function)
        let graph = executor.graph
        var graphInputs = [Tensor]()
        for (k, (t, d)) in zip(inputs, function.inputs).enumerated() {
            let v = graph.values[graph.inputs[k]]
            var x = t
            if v.shape != d.shape {
                guard d.dimOrder == .nhwc, d.shape.count == 4, [0, 3, 1, 2].map({ d.shape[$0] }) == v.shape else {
                    throw LoweringError.ioLayoutMismatch(descriptor: "input #\(k)", valueShape: v.shape, descriptorShape: d.shape)
                }
                x = try CNRT.nhwcToNCHW(x)
            }
            if x.dtype != v.dtype { x = try CNRT.cast(x, to: v.dtype) }
            graphInputs.append(x)
        }
        var runner = executor
        runner.quantizedKernel = quantizedKernel
        let results = try runner.run(graphInputs)
        var outputs = [Tensor]()
        for (k, (t, d)) in zip(results, function.outputs).enumerated() {
            var y = t
            if y.shape != d.shape {
                guard d.dimOrder == .nhwc, y.rank == 4, [0, 2, 3, 1].map({ y.shape[$0] }) == d.shape else {
                    throw LoweringError.ioLayoutMismatch(descriptor: "output #\(k)", valueShape: y.shape, descriptorShape: d.shape)
                }
                y = try CNRT.nchwToNHWC(y)
            }
            if y.dtype != d.dataType.dtype { y = try CNRT.cast(y, to: d.dataType.dtype) }
            outputs.append(y.contiguous())
        }
        return outputs
    }

    /// The prepared executor for `function`, converting its graph on first use or when it changes.
    private func executor(for function: CNRTFunction) throws -> GraphExecutor {
        let key = PreparedKey(function)
        if let prepared, prepared.key == key { return prepared.executor }
        var graph = try function.model.engineGraph()
        if optimize { graph = try graph.optimizedForExecution() }
        let executor = try GraphExecutor(graph: graph, quantizedKernel: quantizedKernel)
        prepared = (key, executor)
        return executor
    }
}

/// Identifies a function's graph and the exact constant tensors (by storage object), so a prepared
/// executor is reused only for the same model, never for one with equal structure but other weights.
private struct PreparedKey: Equatable {
    let graph: OfflineGraph
    let constants: [ConstantKey]

    struct ConstantKey: Equatable {
        let valueId: Int
        /// Held strongly, so its identity cannot be reused by a new storage while the key exists.
        let storage: Storage
        let offset: Int
        let shape: [Int]
        let dtype: DType
        let quantization: OfflineQuantization?

        static func == (a: ConstantKey, b: ConstantKey) -> Bool {
            a.valueId == b.valueId && a.storage === b.storage && a.offset == b.offset && a.shape == b.shape
                && a.dtype == b.dtype && a.quantization == b.quantization
        }
    }

    init(_ function: CNRTFunction) {
        graph = function.graph
        constants = function.constants.map {
            ConstantKey(valueId: $0.valueId, storage: $0.tensor.storage, offset: $0.tensor.offset,
                        shape: $0.tensor.shape, dtype: $0.tensor.dtype, quantization: $0.quantization)
        }
    }
}
