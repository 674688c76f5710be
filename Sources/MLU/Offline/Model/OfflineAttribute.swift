/// A typed attribute value of a graph node (a stride, a slope, a flag, a mode name).
///
/// The six kinds cover PyTorch's argument types for CNN ops; floats are stored as binary64 so a
/// Python float survives the round trip exactly.
public enum OfflineAttribute: Equatable, Sendable {
    case int(Int64)
    case float(Double)
    case bool(Bool)
    case string(String)
    case ints([Int64])
    case floats([Double])

    /// The type tag stored in the file.
    var typeTag: UInt8 {
        switch self {
        case .int: return 1
        case .float: return 2
        case .bool: return 3
        case .string: return 4
        case .ints: return 5
        case .floats: return 6
        }
    }
}
