import Tensors

/// Builds the object record of an `nn.Module` the way `torch.save(model)` pickles it (2.x layout),
/// so real PyTorch loads a whole model mlus writes once the class is defined (reference §3.6).
///
/// Script classes use `GlobalRef(module: "__main__", name: "Net")`; built-in layers use their
/// PyTorch module path (`torch.nn.modules.conv.Conv2d`, see `GlobalRef(qualifiedName:)`).
public enum ModuleRecord {
    /// The hook dictionaries every 2.x module carries (all empty `OrderedDict`s).
    static let hookDicts = ["_backward_pre_hooks", "_backward_hooks"]
    static let laterHookDicts = ["_forward_hooks", "_forward_hooks_with_kwargs", "_forward_hooks_always_called",
                                 "_forward_pre_hooks", "_forward_pre_hooks_with_kwargs", "_state_dict_hooks",
                                 "_state_dict_pre_hooks", "_load_state_dict_pre_hooks", "_load_state_dict_post_hooks"]

    /// A module instance: `GLOBAL cls; (); NEWOBJ; {__dict__}; BUILD`.
    /// - Parameters:
    ///   - type: the class (`__main__.Net`, `torch.nn.modules.conv.Conv2d`).
    ///   - parameters: `nn.Parameter`s in registration order (`nil` for `bias=False`).
    ///   - buffers: buffers in registration order; names in `nonPersistentBuffers` stay out of `state_dict()`.
    ///   - modules: children in registration order (each a value made by this function).
    ///   - attributes: class-specific attributes after `_modules` (`in_channels`, `kernel_size`, ...).
    public static func make(type: GlobalRef, training: Bool = false, parameters: [(String, Tensor?)] = [],
                            buffers: [(String, Tensor?)] = [], nonPersistentBuffers: [String] = [],
                            modules: [(String, PickleValue)] = [], attributes: [(String, PickleValue)] = []) -> PickleValue {
        var state: [(String, PickleValue)] = [("training", .bool(training))]
        state.append(("_parameters", .stringDict(parameters.map { ($0.0, $0.1.map { PickleValue.parameter($0) } ?? .none) })))
        state.append(("_buffers", .stringDict(buffers.map { ($0.0, $0.1.map { PickleValue.tensor($0) } ?? .none) })))
        state.append(("_non_persistent_buffers_set", .set(nonPersistentBuffers.map { .string($0) })))
        for h in hookDicts { state.append((h, .orderedDict([]))) }
        state.append(("_is_full_backward_hook", .none))
        for h in laterHookDicts { state.append((h, .orderedDict([]))) }
        state.append(("_modules", .stringDict(modules)))
        state.append(contentsOf: attributes)
        return .object(ObjectRecord(type: type, construction: .newObject, args: [], state: .stringDict(state)))
    }
}

extension GlobalRef {
    /// Splits `torch.nn.modules.conv.Conv2d` into module `torch.nn.modules.conv` and name `Conv2d`.
    public init(qualifiedName: String) {
        if let dot = qualifiedName.lastIndex(of: ".") {
            self.init(module: String(qualifiedName[..<dot]), name: String(qualifiedName[qualifiedName.index(after: dot)...]))
        } else {
            self.init(module: "__main__", name: qualifiedName)
        }
    }
}
