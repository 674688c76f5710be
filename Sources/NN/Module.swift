import Ops
import Tensors

/// A value assigned to a module attribute from a script (`self.x = ...`), as PyTorch's `__setattr__` sees it.
public enum ModuleAttribute {
    /// An `nn.Parameter`.
    case parameter(Tensor)
    /// A plain tensor: updates a registered buffer of that name; anything else is not the module's business.
    case tensor(Tensor)
    /// A submodule.
    case module(Module)
    /// `None`: clears a registered parameter, buffer or submodule of that name.
    case none
}

/// The base of every layer and model, PyTorch's `nn.Module`: ordered parameters, buffers and children,
/// `stateDict()` with dotted keys, `loadStateDict`, train/eval mode, device and dtype moves.
///
/// Script classes (`class Net(nn.Module)`) are backed by this class: the bindings call `setAttribute` on
/// every `self.name = value` and `forward` dispatches to the script's method.
open class Module {
    private(set) var parameterOrder: [String] = []
    private(set) var parameterStore: [String: Tensor?] = [:]
    private(set) var bufferOrder: [String] = []
    private(set) var bufferStore: [String: Tensor?] = [:]
    private(set) var nonPersistentBuffers: Set<String> = []
    private(set) var childOrder: [String] = []
    private(set) var childStore: [String: Module?] = [:]

    /// Train mode (the default) or eval mode; BatchNorm and Dropout behave differently.
    public private(set) var training = true

    /// Set by the script bindings to the script class name; otherwise the Swift class name.
    public var scriptClassName: String?

    public init() {}

    /// The name printed by `repr` (`Conv2d`, `Sequential`, or the script class name).
    open var typeName: String {
        if let scriptClassName { return scriptClassName }
        let full = String(describing: type(of: self))
        return full.split(separator: ".").last.map(String.init) ?? full
    }

    /// The part between the parentheses of this module's one-line repr (PyTorch's `extra_repr`).
    open var extraRepr: String { "" }

    /// Lines for the children in `repr`, `(name): repr`; ModuleList overrides it to group repeats.
    open var childReprLines: [String] {
        namedChildrenIncludingNone().map { name, module in
            "(\(name)): " + Module.addIndent(module?.repr ?? "None", 2)
        }
    }

    /// Computes the output; layers override it, script classes route it to their `forward`.
    open func forward(_ input: Tensor) throws -> Tensor {
        throw NNError.notImplemented("Module [\(typeName)] is missing the required \"forward\" function")
    }

    /// `module(x)`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try forward(input) }

    // MARK: Registration

    private func checkName(_ name: String, kind: String) throws {
        guard !name.isEmpty else { throw NNError.attribute("\(kind) name can't be empty string \"\"") }
        guard !name.contains(".") else { throw NNError.attribute("\(kind) name can't contain \".\", got \"\(name)\"") }
    }

    /// Adds (or replaces) a parameter; `nil` registers the name with no tensor (e.g. `bias=False`).
    public func registerParameter(_ name: String, _ tensor: Tensor?) throws {
        try checkName(name, kind: "parameter")
        if bufferStore.keys.contains(name) || childStore.keys.contains(name) {
            throw NNError.attribute("attribute '\(name)' already exists")
        }
        if parameterStore.updateValue(tensor, forKey: name) == nil { parameterOrder.append(name) }
    }

    /// Adds (or replaces) a buffer; non-persistent buffers stay out of `stateDict()`.
    public func registerBuffer(_ name: String, _ tensor: Tensor?, persistent: Bool = true) throws {
        try checkName(name, kind: "buffer")
        if parameterStore.keys.contains(name) || childStore.keys.contains(name) {
            throw NNError.attribute("attribute '\(name)' already exists")
        }
        if bufferStore.updateValue(tensor, forKey: name) == nil { bufferOrder.append(name) }
        if persistent { nonPersistentBuffers.remove(name) } else { nonPersistentBuffers.insert(name) }
    }

    /// Adds (or replaces) a child module.
    public func registerModule(_ name: String, _ module: Module?) throws {
        try checkName(name, kind: "module")
        if parameterStore.keys.contains(name) || bufferStore.keys.contains(name) {
            throw NNError.attribute("attribute '\(name)' already exists")
        }
        if childStore.updateValue(module, forKey: name) == nil { childOrder.append(name) }
    }

    /// PyTorch's `__setattr__` rules for `self.name = value`. Returns false when the value is not the
    /// module's business (a plain tensor or None for a name that is no parameter, buffer or child), so the
    /// caller stores it as an ordinary attribute.
    @discardableResult
    public func setAttribute(_ name: String, _ value: ModuleAttribute) throws -> Bool {
        switch value {
        case .parameter(let t):
            // PyTorch removes a buffer or submodule of that name, then registers the parameter.
            removeBufferOrChild(name)
            try registerParameter(name, t)
            return true
        case .module(let m):
            // PyTorch removes a parameter or buffer of that name, then registers the module.
            if parameterStore.removeValue(forKey: name) != nil { parameterOrder.removeAll { $0 == name } }
            if bufferStore.removeValue(forKey: name) != nil { bufferOrder.removeAll { $0 == name }; nonPersistentBuffers.remove(name) }
            try registerModule(name, m)
            return true
        case .tensor(let t):
            if parameterStore.keys.contains(name) {
                throw NNError.attribute("cannot assign '\(t.dtype.torchName)' as parameter '\(name)' (torch.nn.Parameter or None expected)")
            }
            if bufferStore.keys.contains(name) { bufferStore[name] = t; return true }
            if childStore.keys.contains(name) {
                throw NNError.attribute("cannot assign 'torch.Tensor' as child module '\(name)' (torch.nn.Module or None expected)")
            }
            return false
        case .none:
            if parameterStore.keys.contains(name) { parameterStore[name] = .some(nil); return true }
            if bufferStore.keys.contains(name) { bufferStore[name] = .some(nil); return true }
            if childStore.keys.contains(name) { childStore[name] = .some(nil); return true }
            return false
        }
    }

    private func removeBufferOrChild(_ name: String) {
        if bufferStore.removeValue(forKey: name) != nil { bufferOrder.removeAll { $0 == name }; nonPersistentBuffers.remove(name) }
        if childStore.removeValue(forKey: name) != nil { childOrder.removeAll { $0 == name } }
    }

    /// What `self.name` reads, when it is a parameter, buffer or child (`nil` otherwise; `.none` when set to None).
    public func attribute(_ name: String) -> ModuleAttribute? {
        if let p = parameterStore[name] { return p.map { .parameter($0) } ?? ModuleAttribute.none }
        if let b = bufferStore[name] { return b.map { .tensor($0) } ?? ModuleAttribute.none }
        if let c = childStore[name] { return c.map { .module($0) } ?? ModuleAttribute.none }
        return nil
    }

    /// Removes a parameter, buffer or child (`del self.name`); false when there was none.
    @discardableResult
    public func deleteAttribute(_ name: String) -> Bool {
        if parameterStore.removeValue(forKey: name) != nil { parameterOrder.removeAll { $0 == name }; return true }
        if bufferStore.removeValue(forKey: name) != nil { bufferOrder.removeAll { $0 == name }; nonPersistentBuffers.remove(name); return true }
        if childStore.removeValue(forKey: name) != nil { childOrder.removeAll { $0 == name }; return true }
        return false
    }

    /// The parameter `name`, or nil when absent or None.
    public func parameter(_ name: String) -> Tensor? { parameterStore[name] ?? nil }
    /// The buffer `name`, or nil when absent or None.
    public func buffer(_ name: String) -> Tensor? { bufferStore[name] ?? nil }
    /// The child `name`, or nil when absent or None.
    public func child(_ name: String) -> Module? { childStore[name] ?? nil }

    /// A parameter the layer cannot work without; the error names the layer.
    public func requireParameter(_ name: String) throws -> Tensor {
        guard let t = parameter(name) else {
            throw NNError.forward(path: [], layer: typeName, message: "parameter '\(name)' is None")
        }
        return t
    }

    // MARK: Traversal

    /// Direct children, in registration order (None entries skipped).
    public func children() -> [Module] { namedChildren().map(\.module) }

    public func namedChildren() -> [(name: String, module: Module)] {
        childOrder.compactMap { name in (childStore[name] ?? nil).map { (name, $0) } }
    }

    /// This module and all descendants, depth first, with dotted names ("" for self).
    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        var out: [(name: String, module: Module)] = [(prefix, self)]
        var seen: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        func visit(_ m: Module, _ p: String) {
            for (name, c) in m.namedChildren() where !seen.contains(ObjectIdentifier(c)) {
                seen.insert(ObjectIdentifier(c))
                let path = p.isEmpty ? name : "\(p).\(name)"
                out.append((path, c))
                visit(c, path)
            }
        }
        visit(self, prefix)
        return out
    }

    public func modules() -> [Module] { namedModules().map(\.module) }

    /// Parameters of this module and (when `recurse`) its descendants, with dotted names.
    public func namedParameters(recurse: Bool = true) -> [(name: String, tensor: Tensor)] {
        let owners = recurse ? namedModules() : [("", self)]
        var out = [(name: String, tensor: Tensor)]()
        for (prefix, m) in owners {
            for name in m.parameterOrder {
                if let t = m.parameterStore[name] ?? nil { out.append((prefix.isEmpty ? name : "\(prefix).\(name)", t)) }
            }
        }
        return out
    }

    public func parameters(recurse: Bool = true) -> [Tensor] { namedParameters(recurse: recurse).map(\.tensor) }

    /// Buffers (persistent or not) with dotted names.
    public func namedBuffers(recurse: Bool = true) -> [(name: String, tensor: Tensor)] {
        let owners = recurse ? namedModules() : [("", self)]
        var out = [(name: String, tensor: Tensor)]()
        for (prefix, m) in owners {
            for name in m.bufferOrder {
                if let t = m.bufferStore[name] ?? nil { out.append((prefix.isEmpty ? name : "\(prefix).\(name)", t)) }
            }
        }
        return out
    }

    public func buffers(recurse: Bool = true) -> [Tensor] { namedBuffers(recurse: recurse).map(\.tensor) }

    // MARK: Modes and moves

    /// Sets train mode on this module and every descendant; returns self.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for m in modules() { m.training = mode }
        return self
    }

    /// Eval mode (`train(false)`); returns self.
    @discardableResult
    public func eval() -> Self { train(false) }

    /// Applies `transform` to every parameter and buffer of this module and its descendants.
    public func applyToTensors(_ transform: (Tensor) throws -> Tensor) rethrows {
        for m in modules() {
            for name in m.parameterOrder { if let t = m.parameterStore[name] ?? nil { m.parameterStore[name] = try transform(t) } }
            for name in m.bufferOrder { if let t = m.bufferStore[name] ?? nil { m.bufferStore[name] = try transform(t) } }
        }
    }

    /// Moves every parameter and buffer to `device`; returns self.
    @discardableResult
    public func to(_ device: Device) -> Self {
        applyToTensors { $0.to(device) }
        return self
    }

    /// Converts floating-point parameters and buffers to `dtype` (integer buffers keep theirs); returns self.
    @discardableResult
    public func to(_ dtype: DType) -> Self {
        applyToTensors { $0.dtype.isFloatingPoint ? $0.to(dtype) : $0 }
        return self
    }

    /// Floating-point parameters and buffers to float16 (`module.half()`).
    @discardableResult
    public func half() -> Self { to(.float16) }

    /// Floating-point parameters and buffers to float32 (`module.float()`).
    @discardableResult
    public func float() -> Self { to(.float32) }

    /// Replaces a parameter's or buffer's tensor in place of the old one (used by loading and BatchNorm).
    func replaceTensor(_ name: String, with tensor: Tensor) {
        if parameterStore.keys.contains(name) { parameterStore[name] = tensor } else if bufferStore.keys.contains(name) { bufferStore[name] = tensor }
    }

    var persistentBufferNames: [String] { bufferOrder.filter { !nonPersistentBuffers.contains($0) } }
    var parameterNames: [String] { parameterOrder }
}
