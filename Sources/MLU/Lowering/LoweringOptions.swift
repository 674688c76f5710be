import Tensors

/// What `Graph.lowered(options:)` needs beyond the graph: the target and provenance the file records,
/// and how float parameters are stored.
public struct LoweringOptions: Sendable {
    /// Core version, core number and input format. `batch` is replaced by the N of the first graph
    /// input (the batch of the run that produced the graph), as Cambricon's generator does.
    public var target: OfflineTarget
    public var provenance: OfflineProvenance
    /// "subnet0", the name `cnrtExtractFunction` takes.
    public var functionName: String
    /// `.float32` stores float constants as they are; `.float16` stores FP32 constants as FP16, each
    /// followed by a `cast` node back to float32 (the graph then still computes in FP32).
    public var floatParameterDType: DType

    public init(target: OfflineTarget, provenance: OfflineProvenance, functionName: String = "subnet0",
                floatParameterDType: DType = .float32) {
        self.target = target
        self.provenance = provenance
        self.functionName = functionName
        self.floatParameterDType = floatParameterDType
    }
}
