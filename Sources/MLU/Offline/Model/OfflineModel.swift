/// An offline model: what `ct.save_as_cambricon` writes and the CNRT-style runtime loads.
///
/// A plain value; `OfflineModelWriter` turns it into a `.cambricon` file
/// (docs/offline-format.md) and `OfflineModelReader` back.
public struct OfflineModel: Equatable, Sendable {
    public var graph: OfflineGraph
    public var constants: [OfflineConstant]
    public var inputs: [OfflineIODescriptor]
    public var outputs: [OfflineIODescriptor]
    public var target: OfflineTarget
    public var provenance: OfflineProvenance

    public init(graph: OfflineGraph, constants: [OfflineConstant], inputs: [OfflineIODescriptor],
                outputs: [OfflineIODescriptor], target: OfflineTarget, provenance: OfflineProvenance) {
        self.graph = graph
        self.constants = constants
        self.inputs = inputs
        self.outputs = outputs
        self.target = target
        self.provenance = provenance
    }
}
