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
