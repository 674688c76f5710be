/// The `copy` module: `copy` and `deepcopy` for plain values and script instances; native objects
/// take part through `__copy__` / `__deepcopy__(memo)` found with `getAttribute`.
func makeCopyModule() -> Module {
    let m = Module(name: "copy")
    m.addFunction("copy") { a in
        try a.check(max: 1, min: 1)
        return try a.interpreter.shallowCopy(a.positional[0])
    }
    m.addFunction("deepcopy") { a in
        try a.check(max: 2, min: 1, allowedKeywords: ["memo"])
        var memo: [ObjectIdentifier: Value] = [:]
        return try a.interpreter.deepCopy(a.positional[0], &memo)
    }
    return m
}

extension Interpreter {
    func shallowCopy(_ v: Value) throws -> Value {
        switch v {
        case .list(let l): return .list(ListObject(l.items))
        case .dict(let d): return .dict(d.copy())
        case .set(let s): return .set(try SetObject(s.storage.keys))
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__copy__") { return try callValue(f, [v], []) }
            let c = Instance(cls: inst.cls)
            for k in inst.attributes.names { c.attributes[k] = inst.attributes[k] }
            c.exceptionArgs = inst.exceptionArgs
            if let nb = inst.nativeBase {
                guard let f = try nb.getAttribute("__copy__", context: context(v)) else {
                    throw ScriptError.typeError("cannot copy '\(inst.cls.name)': its native base '\(nb.typeName)' has no __copy__")
                }
                guard let copied = try callValue(f, [], []).nativeObject else {
                    throw ScriptError.typeError("__copy__ of '\(nb.typeName)' must return a native object")
                }
                c.nativeBase = copied
            }
            return .instance(c)
        case .native(let n):
            if let f = try n.getAttribute("__copy__", context: context(v)) { return try callValue(f, [], []) }
            throw ScriptError.typeError("cannot copy '\(n.typeName)' object (it has no __copy__)")
        default:
            return v
        }
    }

    func deepCopy(_ v: Value, _ memo: inout [ObjectIdentifier: Value]) throws -> Value {
        try tick()
        switch v {
        case .list(let l):
            if let done = memo[ObjectIdentifier(l)] { return done }
            let out = ListObject()
            memo[ObjectIdentifier(l)] = .list(out)
            for x in l.items { out.items.append(try deepCopy(x, &memo)) }
            return .list(out)
        case .tuple(let t):
            return .tuple(try t.map { try deepCopy($0, &memo) })
        case .dict(let d):
            if let done = memo[ObjectIdentifier(d)] { return done }
            let out = DictObject()
            memo[ObjectIdentifier(d)] = .dict(out)
            for (k, x) in zip(d.keys, d.values) { try out.set(try deepCopy(k, &memo), try deepCopy(x, &memo)) }
            return .dict(out)
        case .set(let s):
            if let done = memo[ObjectIdentifier(s)] { return done }
            let out = SetObject()
            memo[ObjectIdentifier(s)] = .set(out)
            for x in s.storage.keys { try out.insert(try deepCopy(x, &memo)) }
            return .set(out)
        case .instance(let inst):
            if let done = memo[ObjectIdentifier(inst)] { return done }
            if let (f, _) = inst.cls.lookup("__deepcopy__") { return try callValue(f, [v, .dict(DictObject())], []) }
            let c = Instance(cls: inst.cls)
            memo[ObjectIdentifier(inst)] = .instance(c)
            if let nb = inst.nativeBase {
                guard let f = try nb.getAttribute("__deepcopy__", context: context(v)) else {
                    throw ScriptError.typeError("cannot deepcopy '\(inst.cls.name)': its native base '\(nb.typeName)' has no __deepcopy__")
                }
                guard let copied = try callValue(f, [.dict(DictObject())], []).nativeObject else {
                    throw ScriptError.typeError("__deepcopy__ of '\(nb.typeName)' must return a native object")
                }
                c.nativeBase = copied
            }
            for k in inst.attributes.names { c.attributes[k] = try deepCopy(inst.attributes[k] ?? Value.none, &memo) }
            c.exceptionArgs = try inst.exceptionArgs.map { try deepCopy($0, &memo) }
            return .instance(c)
        case .native(let n):
            if let done = memo[ObjectIdentifier(n)] { return done }
            if n is DictView || n is IteratorObject || n is GeneratorObject {
                throw ScriptError.typeError("cannot deepcopy '\(n.typeName)' object")
            }
            guard let f = try n.getAttribute("__deepcopy__", context: context(v)) else {
                throw ScriptError.typeError("cannot deepcopy '\(n.typeName)' object (it has no __deepcopy__)")
            }
            let r = try callValue(f, [.dict(DictObject())], [])
            memo[ObjectIdentifier(n)] = r
            return r
        default:
            return v
        }
    }
}
