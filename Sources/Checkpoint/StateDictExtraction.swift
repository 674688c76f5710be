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
        case .object(let record):
            entries = []
            try walkModule(record, prefix: "", into: &entries, depth: 0)
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

    /// `model.state_dict()` order: own parameters, own persistent buffers, then each child in order.
    private static func walkModule(_ record: ObjectRecord, prefix: String, into out: inout [(key: String, tensor: Tensor)], depth: Int) throws {
        guard depth < 200 else { throw CheckpointError.notAStateDict(file: "", detail: "module tree deeper than 200 levels") }
        guard case .dict(let state)? = record.state else {
            throw CheckpointError.notAStateDict(file: "", detail: "object \(record.type) at '\(prefix)' has no module state (_parameters/_buffers/_modules)")
        }
        guard state["_parameters"] != nil || state["_modules"] != nil else {
            throw CheckpointError.notAStateDict(file: "", detail: "object \(record.type) at '\(prefix)' is not an nn.Module (no _parameters/_modules)")
        }
        var nonPersistent = Set<String>()
        if case .set(let names)? = state["_non_persistent_buffers_set"] {
            for n in names { if case .string(let s) = n { nonPersistent.insert(s) } }
        }
        for field in ["_parameters", "_buffers"] {
            guard case .dict(let d)? = state[field] else { continue }
            for e in d.entries {
                guard case .string(let name) = e.key else { continue }
                if field == "_buffers", nonPersistent.contains(name) { continue }
                switch e.value {
                case .tensor(let t): out.append((prefix + name, t))
                case .quantizedTensor(let q): out.append((prefix + name, try q.dequantized()))
                case .none: continue
                case .opaqueTensor(let o):
                    throw CheckpointError.unsupportedFeature(file: "", feature: "tensor '\(prefix + name)' has dtype \(o.dtypeName)")
                default:
                    throw CheckpointError.notAStateDict(file: "", detail: "\(field) entry '\(prefix + name)' is a \(e.value.typeName)")
                }
            }
        }
        if case .dict(let children)? = state["_modules"] {
            for e in children.entries {
                guard case .string(let name) = e.key else { continue }
                switch e.value {
                case .object(let child): try walkModule(child, prefix: prefix + name + ".", into: &out, depth: depth + 1)
                case .none: continue
                default: throw CheckpointError.notAStateDict(file: "", detail: "child module '\(prefix + name)' is a \(e.value.typeName)")
                }
            }
        }
    }

    /// `nn.DataParallel` / DDP save every key as `module.<key>`; a bare model wants `<key>`.
    static func stripDataParallelPrefix(_ entries: [(key: String, tensor: Tensor)]) -> [(key: String, tensor: Tensor)] {
        guard !entries.isEmpty, entries.allSatisfy({ $0.key.hasPrefix("module.") }) else { return entries }
        return entries.map { (String($0.key.dropFirst("module.".count)), $0.tensor) }
    }
}
