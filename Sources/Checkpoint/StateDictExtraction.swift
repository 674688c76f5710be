import Tensors

/// Finds the state dict inside whatever `torch.load` would return.
///
/// Accepts a plain state dict, a checkpoint dict holding one under a conventional key, and a whole
/// pickled model (walking its inert records the way `nn.Module.state_dict()` walks modules).
enum StateDictExtraction {
    static let checkpointKeys = ["state_dict", "model_state_dict", "model", "net", "network", "model_state"]

    static func extract(_ value: PickleValue) throws -> [(key: String, tensor: Tensor)] {
        var entries: [(key: String, tensor: Tensor)]
        switch value {
        case .object:
            entries = try ModuleTree(value).stateDict()
        case .dict(let d):
            if let tensors = try tensorDict(d) {
                entries = tensors
            } else if let inner = checkpointKeys.lazy.compactMap({ d[$0] }).first {
                return try extract(inner)
            } else {
                let keys = d.entries.prefix(8).map { describeKey($0.key) }.joined(separator: ", ")
                throw CheckpointError.notAStateDict(file: "", detail: "a \(value.typeName) with keys [\(keys)] and no 'state_dict'/'model'/'model_state_dict' entry")
            }
        default:
            throw CheckpointError.notAStateDict(file: "", detail: "the file holds a \(value.typeName)")
        }
        return stripDataParallelPrefix(entries)
    }

    /// The dict's entries when every key is a string and every value a tensor (`nil` otherwise).
    private static func tensorDict(_ d: PickleDict) throws -> [(key: String, tensor: Tensor)]? {
        var out: [(key: String, tensor: Tensor)] = []
        for e in d.entries {
            guard case .string(let k) = e.key else { return nil }
            switch e.value {
            case .tensor(let t): out.append((k, t))
            case .opaqueTensor(let o):
                throw CheckpointError.unsupportedFeature(file: "", feature: "tensor '\(k)' has dtype \(o.dtypeName), which mlus tensors cannot hold")
            case .quantizedTensor(let q): out.append((k, try q.dequantized()))
            default: return nil
            }
        }
        return d.entries.isEmpty && d.kind == .dict ? nil : out
    }

    private static func describeKey(_ k: PickleValue) -> String {
        switch k {
        case .string(let s): return "'\(s)'"
        case .int(let i): return String(i)
        default: return k.typeName
        }
    }

    /// `nn.DataParallel` / DDP save every key as `module.<key>`; a bare model wants `<key>`.
    static func stripDataParallelPrefix(_ entries: [(key: String, tensor: Tensor)]) -> [(key: String, tensor: Tensor)] {
        guard !entries.isEmpty, entries.allSatisfy({ $0.key.hasPrefix("module.") }) else { return entries }
        return entries.map { (String($0.key.dropFirst("module.".count)), $0.tensor) }
    }
}
