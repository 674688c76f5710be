/// Errors of `torch.jit.trace` and fused-mode runs beyond the graph's own (`GraphError`).
public enum TraceRuntimeError: Error, Equatable, CustomStringConvertible {
    /// A tensor read by `node` on the MLU was produced outside the dispatcher (a layer computing
    /// directly, invisible to the tracer); tracing it would freeze that tensor into a constant.
    case untracedComputation(node: String, value: String, shape: [Int])
    /// The example or call inputs are empty or mix devices.
    case badInputs(String)
    /// Writing the offline model of an armed `save_as_cambricon` failed.
    case generationFailed(name: String, reason: String)

    public var description: String {
        switch self {
        case let .untracedComputation(node, value, shape):
            return "torch.jit.trace: node '\(node)' reads an MLU tensor \(shape) ('\(value)') that no traced operation produced: "
                + "a layer computed it outside the dispatcher (a quantized layer without tracing support?). "
                + "Fused mode would freeze it into a constant; see docs/runtime.md, 'Quantized layers'."
        case let .badInputs(message):
            return "torch.jit.trace: \(message)"
        case let .generationFailed(name, reason):
            return "save_as_cambricon('\(name)'): could not write the offline model: \(reason)"
        }
    }
}
