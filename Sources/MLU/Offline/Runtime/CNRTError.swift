import Tensors

/// Errors of the CNRT-style runtime; messages name the function, tensor index and the expected
/// NHWC shape or dtype, as a user fixing their input needs.
public enum CNRTError: Error, Equatable, CustomStringConvertible {
    case unknownFunction(String, available: [String])
    case indexOutOfRange(kind: String, index: Int, count: Int)
    case inputCountMismatch(function: String, expected: Int, found: Int)
    case inputShapeMismatch(function: String, index: Int, expected: [Int], found: [Int])
    case inputDTypeMismatch(function: String, index: Int, expected: CNRTDataType, found: DType)
    case outputCountMismatch(function: String, expected: Int, found: Int)
    case outputMismatch(function: String, index: Int, expected: String, found: String)
    case unsupportedCast(from: DType, to: DType)
    case rankNotFour(operation: String, shape: [Int])
    case twinsMissing(path: String)

    public var description: String {
        switch self {
        case let .unknownFunction(name, available):
            return "cnrtExtractFunction: no function '\(name)' in the model; available: \(available.joined(separator: ", "))"
        case let .indexOutOfRange(kind, index, count):
            return "\(kind) index \(index) is out of range; the function has \(count)"
        case let .inputCountMismatch(function, expected, found):
            return "\(function) takes \(expected) input(s), got \(found)"
        case let .inputShapeMismatch(function, index, expected, found):
            return "\(function) input #\(index) has shape \(found); expected NHWC \(expected)"
        case let .inputDTypeMismatch(function, index, expected, found):
            return "\(function) input #\(index) is \(found.rawValue); expected \(expected.rawValue) (cast with CNRT.cast first)"
        case let .outputCountMismatch(function, expected, found):
            return "executor returned \(found) output(s) for \(function); the model declares \(expected)"
        case let .outputMismatch(function, index, expected, found):
            return "executor output #\(index) of \(function) is \(found); the model declares \(expected)"
        case let .unsupportedCast(from, to):
            return "cannot cast \(from.rawValue) to \(to.rawValue) (supported: float32 <-> float16)"
        case let .rankNotFour(operation, shape):
            return "\(operation) needs a 4-D tensor, got shape \(shape)"
        case let .twinsMissing(path):
            return "the offline model has no twins file: \(path) does not exist"
        }
    }
}
