/// One input or output of the offline function, as `cnrtGetInputDataShape` and
/// `cnrtGetInputDataType` report it.
public struct OfflineIODescriptor: Equatable, Sendable {
    /// Often empty in Cambricon's models (twins prints `Name: `).
    public var name: String
    /// The graph value this descriptor binds.
    public var valueId: Int
    public var dataType: CNRTDataType
    public var dimOrder: CNRTDimOrder
    /// Dimensions in `dimOrder` (NHWC: N, H, W, C); rank may be lower, e.g. `[1, 1000]`.
    public var shape: [Int]

    public init(name: String = "", valueId: Int, dataType: CNRTDataType, dimOrder: CNRTDimOrder = .nhwc, shape: [Int]) {
        self.name = name
        self.valueId = valueId
        self.dataType = dataType
        self.dimOrder = dimOrder
        self.shape = shape
    }

    /// Bytes of one whole tensor, as `cnrtGetInputDataSize` reports.
    public var byteCount: Int { shape.reduce(1, *) * dataType.itemSize }
}
