import Tensors

/// A whole pickled `nn.Module` read back as data: its class, tensors, children and other attributes.
///
/// The script bindings rebuild modules from this (an instance of the script's class when it defines
/// one of that name), and `mlus inspect` prints the class tree. Parsed from the inert object records
/// of `torch.save(model)`, for both the 2.x layout and 1.x's `OrderedDict`s.
public struct ModuleTree {
    public var type: GlobalRef
    public var training: Bool
    /// `_parameters` in registration order; `nil` for a registered-but-absent parameter (`bias=False`).
    public var parameters: [(name: String, tensor: Tensor?)]
    public var buffers: [(name: String, tensor: Tensor?)]
    public var nonPersistentBuffers: Set<String>
    public var children: [(name: String, module: ModuleTree?)]
    /// Every other `__dict__` entry (`in_channels`, `kernel_size`, user attributes such as `scale`), hooks excluded.
    public var attributes: [(name: String, value: PickleValue)]

    /// Reads a module record; throws `CheckpointError.notAStateDict` when `value` is not one.
    public init(_ value: PickleValue) throws {
        try self.init(value, path: "", depth: 0)
    }

    private init(_ value: PickleValue, path: String, depth: Int) throws {
        guard depth < 200 else { throw CheckpointError.notAStateDict(file: "", detail: "module tree deeper than 200 levels") }
        guard case .object(let record) = value, case .dict(let state)? = record.state,
              state["_parameters"] != nil || state["_modules"] != nil else {
            throw CheckpointError.notAStateDict(file: "", detail: "'\(path)' is a \(value.typeName), not a pickled nn.Module")
        }
        type = record.type
        training = state["training"].flatMap { if case .bool(let b) = $0 { return b } else { return nil } } ?? false
        func tensors(_ field: String) throws -> [(name: String, tensor: Tensor?)] {
            guard case .dict(let d)? = state[field] else { return [] }
            return try d.entries.compactMap { e in
                guard case .string(let name) = e.key else { return nil }
                switch e.value {
                case .tensor(let t): return (name, t)
                case .quantizedTensor(let q): return (name, try q.dequantized())
                case .none: return (name, nil)
                default:
                    throw CheckpointError.notAStateDict(file: "", detail: "\(field) entry '\(path)\(name)' is a \(e.value.typeName)")
                }
            }
        }
        parameters = try tensors("_parameters")
        buffers = try tensors("_buffers")
        nonPersistentBuffers = []
        if case .set(let names)? = state["_non_persistent_buffers_set"] {
            for n in names { if case .string(let s) = n { nonPersistentBuffers.insert(s) } }
        }
        children = []
        if case .dict(let d)? = state["_modules"] {
            for e in d.entries {
                guard case .string(let name) = e.key else { continue }
                if case .none = e.value { children.append((name, nil)); continue }
                children.append((name, try ModuleTree(e.value, path: path + name + ".", depth: depth + 1)))
            }
        }
        attributes = state.entries.compactMap { e in
            guard case .string(let name) = e.key, !ModuleTree.internalKeys.contains(name), !name.hasSuffix("_hooks") else { return nil }
            return (name, e.value)
        }
    }

    static let internalKeys: Set<String> = ["training", "_parameters", "_buffers", "_non_persistent_buffers_set",
                                            "_modules", "_is_full_backward_hook", "_state_dict_hooks_with_kwargs"]

    /// `model.state_dict()`: parameters, persistent buffers, then children, with dotted keys.
    public func stateDict(prefix: String = "") -> [(key: String, tensor: Tensor)] {
        var out: [(key: String, tensor: Tensor)] = []
        for p in parameters { if let t = p.tensor { out.append((prefix + p.name, t)) } }
        for b in buffers where !nonPersistentBuffers.contains(b.name) { if let t = b.tensor { out.append((prefix + b.name, t)) } }
        for c in children { if let m = c.module { out += m.stateDict(prefix: prefix + c.name + ".") } }
        return out
    }

    /// The class tree as `mlus inspect` prints it: one line per module, indented by depth.
    public func classTree(name: String = "", indent: String = "") -> [String] {
        var lines = [indent + (name.isEmpty ? "" : "(\(name)): ") + type.description]
        for c in children {
            if let m = c.module { lines += m.classTree(name: c.name, indent: indent + "  ") }
            else { lines.append(indent + "  (\(c.name)): None") }
        }
        return lines
    }
}
