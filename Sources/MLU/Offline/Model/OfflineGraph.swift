/// The function stored in an offline model: named values and nodes in topological order.
///
/// Graph inputs and outputs are the value ids of the model's I/O descriptors; constants are the
/// value ids of its constant tensors.
public struct OfflineGraph: Equatable, Sendable {
    /// The function name `cnrtExtractFunction` takes; "subnet0" as in Cambricon's models.
    public var functionName: String
    public var values: [OfflineValue]
    public var nodes: [OfflineNode]

    public init(functionName: String = "subnet0", values: [OfflineValue], nodes: [OfflineNode]) {
        self.functionName = functionName
        self.values = values
        self.nodes = nodes
    }
}
