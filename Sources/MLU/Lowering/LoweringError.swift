import Tensors

/// Errors converting between the engine's `Graph` and an `OfflineModel`; messages name the node or
/// value, the op and what was expected.
public enum LoweringError: Error, Equatable, CustomStringConvertible {
    /// The op has no name in the offline op set (or these attributes cannot be expressed).
    case unsupportedOp(node: String, op: String, reason: String)
    /// An offline node's op name maps to no engine op.
    case unsupportedOfflineOp(node: Int, op: String)
    /// An offline node lacks an attribute or has one of the wrong type.
    case badAttribute(node: Int, op: String, key: String, expected: String)
    /// A graph input or output has a dtype CNRT I/O cannot carry (float32, float16, uint8 only).
    case unsupportedIODType(value: String, dtype: String)
    /// A constant's dtype cannot be stored (float32, float16, int8, int16 only).
    case unsupportedConstantDType(value: String, dtype: String)
    /// A quantized node's weight is not a float constant, or its scales do not fit the weight.
    case badQuantization(node: String, reason: String)
    /// An offline node's declared output shapes differ from what its op computes, or its inputs do not fit it.
    case shapeMismatch(node: Int, op: String, message: String)
    /// A value's shape is too large for the engine to index (dimensions beyond 2^40 or an overflowing size).
    case invalidShape(value: String, shape: [Int])
    /// An I/O descriptor does not describe its value (neither the same shape nor its NHWC form).
    case ioLayoutMismatch(descriptor: String, valueShape: [Int], descriptorShape: [Int])

    public var description: String {
        switch self {
        case let .unsupportedOp(node, op, reason):
            return "lowering: node '\(node)' (\(op)) cannot be stored in an offline model (ops version \(OfflineOpSet.current.version)): \(reason)"
        case let .unsupportedOfflineOp(node, op):
            return "offline graph: node \(node) has op '\(op)', which this engine cannot execute"
        case let .badAttribute(node, op, key, expected):
            return "offline graph: node \(node) (\(op)) needs attribute '\(key)' as \(expected)"
        case let .unsupportedIODType(value, dtype):
            return "lowering: graph I/O '\(value)' is \(dtype); offline I/O must be float32, float16 or uint8"
        case let .unsupportedConstantDType(value, dtype):
            return "lowering: constant '\(value)' is \(dtype); offline constants are float32, float16, int8 or int16"
        case let .badQuantization(node, reason):
            return "lowering: quantized node '\(node)': \(reason)"
        case let .shapeMismatch(node, op, message):
            return "offline graph: node \(node) (\(op)): \(message)"
        case let .invalidShape(value, shape):
            return "offline graph: value '\(value)' has shape \(shape), too large to index"
        case let .ioLayoutMismatch(descriptor, valueShape, descriptorShape):
            return "offline graph: \(descriptor) has shape \(descriptorShape) but its value is \(valueShape) (neither equal nor its NHWC form)"
        }
    }
}
