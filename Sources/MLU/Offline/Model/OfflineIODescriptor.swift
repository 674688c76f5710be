/// CNRT's element types for offline-model inputs and outputs (`cnrtDataType_t` names).
public enum CNRTDataType: String, CaseIterable, Sendable {
    case float32 = "CNRT_FLOAT32"
    case float16 = "CNRT_FLOAT16"
    case uint8 = "CNRT_UINT8"

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float32: return 4
        case .float16: return 2
        case .uint8: return 1
        }
    }
}

/// CNRT's dimension orders; the MLU's is always NHWC (reference cambricon.md §6).
public enum CNRTDimOrder: String, CaseIterable, Sendable {
    case nhwc = "CNRT_NHWC"
    case nchw = "CNRT_NCHW"
}

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
