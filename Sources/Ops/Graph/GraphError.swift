/// Errors of the graph layer (tracer, passes, executor); messages name the node or value and the
/// expected and actual values.
public enum GraphError: Error, Equatable, CustomStringConvertible {
    /// A value id outside the value table.
    case valueOutOfRange(id: Int, count: Int, usedBy: String)
    /// A value defined twice (by two nodes, or as an input and a node output).
    case valueDefinedTwice(value: String, by: String)
    /// A node reads a value defined later or never (not topological).
    case undefinedValue(value: String, usedBy: String)
    /// Two values share a name.
    case duplicateValueName(String)
    /// A constant's tensor differs from its value's declared shape or dtype.
    case constantMismatch(value: String, expected: String, found: String)
    /// The tracer saw no operation producing a requested output, or a registration came too late.
    case tracing(String)
    /// Wrong number, shape or dtype of executor inputs.
    case inputMismatch(index: Int, expected: String, found: String)
    /// A kernel returned an output whose shape or dtype differs from the graph's.
    case outputMismatch(node: String, expected: String, found: String)
    /// A quantized node met an executor without a quantized kernel.
    case missingQuantizedKernel(node: String)
    /// A kernel failed while executing a node.
    case nodeFailed(node: String, op: String, message: String)
    /// A pass could not apply to a node it matched (e.g. a weight that is not a constant).
    case pass(name: String, node: String, reason: String)

    public var description: String {
        switch self {
        case let .valueOutOfRange(id, count, usedBy):
            return "graph: value id \(id) used by \(usedBy) is out of range (the graph has \(count) values)"
        case let .valueDefinedTwice(value, by):
            return "graph: value '\(value)' is defined twice (again by \(by))"
        case let .undefinedValue(value, usedBy):
            return "graph: \(usedBy) reads value '\(value)' before it is defined (nodes must be in topological order)"
        case let .duplicateValueName(name):
            return "graph: two values are named '\(name)'"
        case let .constantMismatch(value, expected, found):
            return "graph: constant '\(value)' should be \(expected), its tensor is \(found)"
        case let .tracing(message):
            return "trace: \(message)"
        case let .inputMismatch(index, expected, found):
            return "graph executor: input #\(index) is \(found); the graph expects \(expected)"
        case let .outputMismatch(node, expected, found):
            return "graph executor: node '\(node)' produced \(found); the graph declares \(expected)"
        case let .missingQuantizedKernel(node):
            return "graph executor: node '\(node)' is quantized but no quantized kernel is installed (quantize the model with the MLU quantizer first)"
        case let .nodeFailed(node, op, message):
            return "graph executor: node '\(node)' (\(op)) failed: \(message)"
        case let .pass(name, node, reason):
            return "\(name): node '\(node)': \(reason)"
        }
    }
}
