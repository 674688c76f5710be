/// Why `mlus infer` could not prepare an input.
public enum InferenceError: Error, Equatable, CustomStringConvertible {
    case inputCount(expected: Int, found: Int, shapes: [[Int]])
    case missingFile(String)
    case unreadable(path: String, reason: String)
    case shapeMismatch(path: String, found: [Int], expected: [Int], layout: String)
    case imageSize(path: String, found: [Int], expected: [Int])
    case notAnImageInput(path: String, shape: [Int])
    case dtypeMismatch(path: String, found: String, expected: String)
    case preprocessing(String)

    public var description: String {
        switch self {
        case let .inputCount(expected, found, shapes):
            return "the model takes \(expected) input(s) (NHWC \(shapes.map { "\($0)" }.joined(separator: ", "))), \(found) file(s) given"
        case let .missingFile(path): return "\(path): no such file"
        case let .unreadable(path, reason): return "\(path): \(reason)"
        case let .shapeMismatch(path, found, expected, layout):
            return "\(path): array of shape \(found) does not fit the model input \(expected) (\(layout); NCHW arrays are transposed, a missing batch dimension is added)"
        case let .imageSize(path, found, expected):
            return "\(path): image is \(found[0])x\(found[1]) (HxW) but the model input is \(expected[0])x\(expected[1]); images are not resized, resize it first"
        case let .notAnImageInput(path, shape):
            return "\(path): the model input \(shape) is not a batch-1 NHWC image with 1, 3 or 4 channels; give a .npy file"
        case let .dtypeMismatch(path, found, expected):
            return "\(path): array dtype \(found) cannot feed a \(expected) input"
        case let .preprocessing(message): return message
        }
    }
}
