/// The element types a tensor can hold.
///
/// Raw values are PyTorch's names (`torch.float32` prints `torch.float32`), so script bindings,
/// checkpoints and error messages share one spelling. `float64` and `bfloat16` exist because
/// checkpoints carry them; compute kernels work in `float32` and convert at the edges.
public enum DType: String, CaseIterable, Sendable, Hashable {
    case float32, float64, float16, bfloat16
    case int64, int32, int16, int8, uint8
    case bool

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .float16, .bfloat16, .int16: return 2
        case .int8, .uint8, .bool: return 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .float32, .float64, .float16, .bfloat16: return true
        case .int64, .int32, .int16, .int8, .uint8, .bool: return false
        }
    }

    /// PyTorch's spelling, e.g. `torch.float32`.
    public var torchName: String { "torch.\(rawValue)" }
}
