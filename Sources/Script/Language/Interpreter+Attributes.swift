extension Interpreter {
    /// `obj.name`, raising AttributeError (with a "did you mean" hint) when absent.
    public func getAttribute(_ obj: Value, _ name: String) throws -> Value {
        if let v = try findAttribute(obj, name) { return v }
        var e: ScriptError
        switch obj {
        case .module(let m): e = ScriptError.attributeError("module '\(m.name)' has no attribute '\(name)'")
        case .cls(let c): e = ScriptError.attributeError("type object '\(c.name)' has no attribute '\(name)'")
        default: e = ScriptError.attributeError("'\(typeName(obj))' object has no attribute '\(name)'")
        }
        if let best = closestName(name, attributeNames(obj)) { e.hint = "did you mean '\(best)'?" }
        throw e
    }

    /// `obj.name`, or nil when there is no such attribute.
    public func findAttribute(_ obj: Value, _ name: String) throws -> Value? {
        switch obj {
        case .instance(let inst):
            if let v = inst.attributes[name] { return v }
            if let (v, owner) = inst.cls.lookup(name) { return try bindClassAttribute(v, receiver: obj, owner: owner) }
            switch name {
            case "__class__": return .cls(inst.cls)
            case "__dict__":
                let d = DictObject()
                for k in inst.attributes.names { try d.set(.str(k), inst.attributes[k] ?? Value.none) }
                return .dict(d)
            default: break
            }
            if inst.cls.isSubclass(of: ExceptionTypes.baseException) {
                switch name {
                case "args": return .tuple(inst.exceptionArgs)
                case "__cause__": return inst.exceptionCause ?? Value.none
                case "with_traceback": return .builtin(BuiltinFunction("with_traceback") { _ in obj })
                default: break
                }
            }
            if let nb = inst.nativeBase, let v = try nb.getAttribute(name, context: context(obj)) { return v }
            if let (getattr, _) = inst.cls.lookup("__getattr__") {
                do {
                    return try callValue(getattr, [obj, .str(name)], [])
                } catch let e as ScriptError where e.exception.cls.isSubclass(of: ExceptionTypes.attributeError) {
                    return nil
                }
            }
            return nil
        case .cls(let c):
            switch name {
            case "__name__": return .str(c.name)
            case "__qualname__": return .str(c.name)
            case "__module__": return .str(c.moduleName)
            case "__bases__": return .tuple(c.base.map { [.cls($0)] } ?? [])
            case "__base__": return c.base.map { .cls($0) } ?? Value.none
            case "__mro__": return .tuple(c.mro.map { .cls($0) })
            case "__dict__":
                let d = DictObject()
                for k in c.attributes.names { try d.set(.str(k), c.attributes[k] ?? Value.none) }
                return .dict(d)
            default: break
            }
            if let (v, owner) = c.lookup(name) { return try bindClassAttribute(v, receiver: nil, owner: owner, cls: c) }
            if c.constructor != nil, let sample = sampleValue(of: c), try findAttribute(sample, name) != nil {
                // `str.upper`, `dict.fromkeys`: an unbound method taking the receiver first.
                if name == "fromkeys" || name == "maketrans" { return try findAttribute(sample, name) }
                return .builtin(BuiltinFunction("\(c.name).\(name)") { args in
                    guard let receiver = args.positional.first else {
                        throw ScriptError.typeError("unbound method \(c.name).\(name)() needs an argument")
                    }
                    return try args.interpreter.callMethod(receiver, name, Array(args.positional.dropFirst()), args.keywords)
                })
            }
            return nil
        case .module(let m):
            if let v = m.scope.vars[name] { return v }
            if name == "__dict__" {
                let d = DictObject()
                for (k, v) in m.scope.vars.sorted(by: { $0.key < $1.key }) { try d.set(.str(k), v) }
                return .dict(d)
            }
            return nil
        case .native(let n):
            if let v = try n.getAttribute(name, context: context(obj)) { return v }
            if name == "__class__" { return .cls(classOf(obj)) }
            return nil
        case .function(let f):
            switch name {
            case "__name__": return .str(f.name)
            case "__qualname__": return .str(f.qualifiedName)
            case "__doc__": return docString(f.def.body).map { .str($0) } ?? Value.none
            case "__module__":
                if case .str(let m)? = f.closure.globals.vars["__name__"] { return .str(m) }
                return .none
            default: return f.attributes[name]
            }
        case .builtin(let b):
            if name == "__name__" { return .str(b.name) }
            return nil
        case .boundMethod(let m):
            if name == "__self__" { return m.receiver }
            if name == "__func__" { return m.function }
            return try findAttribute(m.function, name)
        default:
            if name == "__class__" { return .cls(classOf(obj)) }
            return try builtinMethod(obj, name)
        }
    }

    /// Applies descriptor rules to a class attribute found while looking up an attribute.
    func bindClassAttribute(_ v: Value, receiver: Value?, owner: ClassObject, cls: ClassObject? = nil) throws -> Value {
        switch v {
        case .function:
            if let receiver { return .boundMethod(BoundMethod(receiver: receiver, function: v)) }
            return v
        case .builtin where owner.constructor != nil:
            // Methods of built-in types defined natively (`object.__setattr__`) bind like functions.
            if let receiver { return .boundMethod(BoundMethod(receiver: receiver, function: v)) }
            return v
        case .native(let n):
            if let s = n as? StaticMethodObject { return s.function }
            if let c = n as? ClassMethodObject {
                let target: ClassObject
                if case .instance(let i)? = receiver { target = i.cls } else if case .cls(let k)? = receiver { target = k } else { target = cls ?? owner }
                return .boundMethod(BoundMethod(receiver: .cls(target), function: c.function))
            }
            if let p = n as? PropertyObject, let receiver {
                guard let getter = p.getter else { throw ScriptError.attributeError("property has no getter") }
                return try callValue(getter, [receiver], [])
            }
            return v
        default:
            return v
        }
    }

    /// `obj.name = value`.
    public func setAttribute(_ obj: Value, _ name: String, _ value: Value) throws {
        switch obj {
        case .instance(let inst):
            if let (v, _) = inst.cls.lookup(name), case .native(let n) = v, let p = n as? PropertyObject {
                guard let setter = p.setter else {
                    throw ScriptError.attributeError("property '\(name)' of '\(inst.cls.name)' object has no setter")
                }
                _ = try callValue(setter, [obj, value], [])
                return
            }
            if let (setattr, owner) = inst.cls.lookup("__setattr__"), owner.native == nil, owner.constructor == nil {
                _ = try callValue(setattr, [obj, .str(name), value], [])
                return
            }
            try rawSetAttribute(inst, name, value)
        case .cls(let c):
            if c.constructor != nil { throw ScriptError.typeError("cannot set '\(name)' attribute of immutable type '\(c.name)'") }
            c.attributes[name] = value
            if case .function(let f) = value, f.definingClass == nil { f.definingClass = c }
        case .module(let m):
            m.scope.vars[name] = value
        case .function(let f):
            f.attributes[name] = value
        case .native(let n):
            if try n.setAttribute(name, to: value, context: context(obj)) { return }
            throw ScriptError.attributeError("'\(n.typeName)' object has no attribute '\(name)'")
        default:
            if try findAttribute(obj, name) != nil {
                throw ScriptError.attributeError("'\(typeName(obj))' object attribute '\(name)' is read-only")
            }
            throw ScriptError.attributeError("'\(typeName(obj))' object has no attribute '\(name)'")
        }
    }

    /// Stores an instance attribute without user `__setattr__`: native base first, then the dict.
    func rawSetAttribute(_ inst: Instance, _ name: String, _ value: Value) throws {
        if let nb = inst.nativeBase, try nb.setAttribute(name, to: value, context: context(.instance(inst))) {
            // The native base owns the name now (as nn.Module.__setattr__ removes it from __dict__).
            inst.attributes[name] = nil
            return
        }
        inst.attributes[name] = value
    }

    /// `del obj.name`.
    func deleteAttribute(_ obj: Value, _ name: String) throws {
        switch obj {
        case .instance(let inst):
            if inst.attributes[name] != nil {
                inst.attributes[name] = nil
                return
            }
            if let (v, _) = inst.cls.lookup(name), case .native(let n) = v, let p = n as? PropertyObject, let d = p.deleter {
                _ = try callValue(d, [obj], [])
                return
            }
            throw ScriptError.attributeError("'\(inst.cls.name)' object has no attribute '\(name)'")
        case .cls(let c) where c.attributes[name] != nil:
            c.attributes[name] = nil
        case .module(let m) where m.scope.vars[name] != nil:
            m.scope.vars[name] = nil
        default:
            throw ScriptError.attributeError("'\(typeName(obj))' object has no attribute '\(name)'")
        }
    }

    /// Attribute names of a value, for `dir()`, hints and tab completion (sorted, unique).
    public func attributeNames(_ obj: Value) -> [String] {
        var names: Set<String> = []
        switch obj {
        case .instance(let inst):
            names.formUnion(inst.attributes.names)
            for c in inst.cls.mro { names.formUnion(c.attributes.names) }
            if let nb = inst.nativeBase { names.formUnion(nb.attributeNames()) }
            if inst.cls.isSubclass(of: ExceptionTypes.baseException) { names.insert("args") }
        case .cls(let c):
            for k in c.mro { names.formUnion(k.attributes.names) }
            if c.constructor != nil, let sample = sampleValue(of: c) { names.formUnion(builtinMethodNames(sample)) }
        case .module(let m):
            names.formUnion(m.scope.vars.keys)
        case .native(let n):
            names.formUnion(n.attributeNames())
        case .function(let f):
            names.formUnion(f.attributes.names)
            names.formUnion(["__name__", "__qualname__", "__doc__", "__module__"])
        default:
            names.formUnion(builtinMethodNames(obj))
        }
        return names.sorted()
    }

    /// A representative value of a built-in type (to list or fetch its methods).
    func sampleValue(of c: ClassObject) -> Value? {
        switch c.name {
        case "str": return .str("")
        case "list": return .list(ListObject())
        case "dict": return .dict(DictObject())
        case "set": return .set(SetObject())
        case "tuple": return .tuple([])
        case "int": return .int(0)
        case "float": return .float(0)
        case "bool": return .bool(false)
        default: return nil
        }
    }
}

/// The docstring of a body: its first statement when that is a string literal.
func docString(_ body: [Stmt]) -> String? {
    if let first = body.first, case .expression(let e) = first.kind, case .constant(.str(let s)) = e.kind { return s }
    return nil
}
