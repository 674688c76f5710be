import Tensors

extension CNRTDataType {
    /// The tensor dtype that holds this CNRT type.
    public var dtype: DType {
        switch self {
        case .float32: return .float32
        case .float16: return .float16
        case .uint8: return .uint8
        }
    }
}
