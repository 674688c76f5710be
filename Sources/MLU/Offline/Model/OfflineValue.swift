import Tensors

/// A named value of the graph: a graph input, a constant, or the output of one node.
///
/// Values are referred to by their index in `OfflineGraph.values`; the name is unique and is what
/// inspectors and error messages print.
public struct OfflineValue: Equatable, Sendable {
    public var name: String
    public var dtype: DType
    public var shape: [Int]

    public init(name: String, dtype: DType, shape: [Int]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
    }
}
