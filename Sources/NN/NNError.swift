import Tensors

/// Errors of the NN layer: bad constructor arguments, forward failures (with the layer and its path),
/// attribute registration problems and `loadStateDict` reports.
public enum NNError: Error, CustomStringConvertible {
    /// A constructor argument is invalid; the message names the valid values.
    case invalidArgument(layer: String, message: String)
    /// A forward pass failed inside `layer` (its repr); `path` is the dotted child path from the outermost container.
    case forward(path: [String], layer: String, message: String)
    /// `registerParameter`/`registerBuffer`/`registerModule`/`setAttribute` refused a name or value.
    case attribute(String)
    /// `loadStateDict` found missing, unexpected or mismatched keys.
    case loadStateDict(LoadStateDictReport)
    /// `forward` is not overridden.
    case notImplemented(String)

    public var description: String {
        switch self {
        case .invalidArgument(let layer, let message): return "\(layer): \(message)"
        case .forward(let path, let layer, let message):
            let location = path.isEmpty ? layer : "\(path.joined(separator: ".")) (\(layer))"
            return "in \(location): \(message)"
        case .attribute(let m), .notImplemented(let m): return m
        case .loadStateDict(let report): return report.description
        }
    }

    /// The same error seen from a parent container that holds the failing module under `name`.
    func prefixed(by name: String) -> NNError {
        if case .forward(let path, let layer, let message) = self {
            return .forward(path: [name] + path, layer: layer, message: message)
        }
        return self
    }
}

/// PyTorch's `_IncompatibleKeys`: what a non-strict load skipped.
public struct IncompatibleKeys: Equatable, Sendable, CustomStringConvertible {
    public var missingKeys: [String]
    public var unexpectedKeys: [String]

    public var description: String {
        if missingKeys.isEmpty && unexpectedKeys.isEmpty { return "<All keys matched successfully>" }
        let m = missingKeys.map { "'\($0)'" }.joined(separator: ", ")
        let u = unexpectedKeys.map { "'\($0)'" }.joined(separator: ", ")
        return "_IncompatibleKeys(missing_keys=[\(m)], unexpected_keys=[\(u)])"
    }
}

/// Everything wrong with one `loadStateDict` call, reported together as PyTorch does.
public struct LoadStateDictReport: Equatable, Sendable, CustomStringConvertible {
    public struct SizeMismatch: Equatable, Sendable {
        public var key: String
        public var checkpointShape: [Int]
        public var modelShape: [Int]
    }

    public var moduleName: String
    /// Reported only when loading strictly.
    public var missingKeys: [String]
    /// Reported only when loading strictly.
    public var unexpectedKeys: [String]
    /// Always an error, strict or not.
    public var sizeMismatches: [SizeMismatch]

    static func torchSize(_ s: [Int]) -> String { "torch.Size([\(s.map(String.init).joined(separator: ", "))])" }

    /// PyTorch's message: `Error(s) in loading state_dict for Net:` then one tab-indented line per problem.
    public var description: String {
        var lines = [String]()
        if !missingKeys.isEmpty {
            lines.append("Missing key(s) in state_dict: \(missingKeys.map { "\"\($0)\"" }.joined(separator: ", ")). ")
        }
        if !unexpectedKeys.isEmpty {
            lines.append("Unexpected key(s) in state_dict: \(unexpectedKeys.map { "\"\($0)\"" }.joined(separator: ", ")). ")
        }
        for m in sizeMismatches {
            lines.append("size mismatch for \(m.key): copying a param with shape \(LoadStateDictReport.torchSize(m.checkpointShape)) from checkpoint, the shape in current model is \(LoadStateDictReport.torchSize(m.modelShape)).")
        }
        return "Error(s) in loading state_dict for \(moduleName):\n\t" + lines.joined(separator: "\n\t")
    }
}
