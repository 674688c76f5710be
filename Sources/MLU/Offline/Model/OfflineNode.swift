/// One operation of the graph: an op name from the ops version, its attributes, and the ids of
/// the values it reads and defines.
///
/// Op names are strings so the engine's `Op` enum maps onto the file without this module
/// depending on it (see `OfflineOpSet`).
public struct OfflineNode: Equatable, Sendable {
    public var op: String
    public var attributes: [String: OfflineAttribute]
    public var inputs: [Int]
    public var outputs: [Int]

    public init(op: String, attributes: [String: OfflineAttribute] = [:], inputs: [Int], outputs: [Int]) {
        self.op = op
        self.attributes = attributes
        self.inputs = inputs
        self.outputs = outputs
    }
}
