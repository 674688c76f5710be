/// `collections`: `OrderedDict` (plain dicts are already ordered, so it is `dict`) and `defaultdict`.
func makeCollectionsModule() -> Module {
    let m = Module(name: "collections")
    m.set("OrderedDict", .cls(BuiltinTypes.dict))
    let defaultDictClass = ClassObject(name: "defaultdict", base: BuiltinTypes.object, moduleName: "collections", native: NativeClassSpec(
        construct: { args, _ in
            let factory = args.value(0) ?? Value.none
            let d = DefaultDict(factory: factory)
            if args.count > 1 {
                guard case .dict(let initial) = try args.interpreter.call(.cls(BuiltinTypes.dict), [args.positional[1]]) else {
                    throw ScriptError.typeError("defaultdict() second argument must be a mapping")
                }
                for (k, v) in zip(initial.keys, initial.values) { try d.storage.set(k, v) }
            }
            return d
        },
        matches: { $0 is DefaultDict }))
    DefaultDict.classObject = defaultDictClass
    m.set("defaultdict", .cls(defaultDictClass))
    return m
}

/// `collections.defaultdict`: a dict that fills missing keys from a factory.
final class DefaultDict: NativeObject {
    nonisolated(unsafe) static var classObject: ClassObject?
    let factory: Value
    let storage = DictObject()

    init(factory: Value) { self.factory = factory }

    var typeName: String { "defaultdict" }
    var scriptClass: ClassObject? { DefaultDict.classObject }

    func getItem(_ key: Value, context: NativeContext) throws -> Value {
        if let v = try storage.get(key) { return v }
        if factory.isNone { throw ScriptError.keyError(key) }
        let v = try context.interpreter.call(factory, [])
        try storage.set(key, v)
        return v
    }

    func setItem(_ key: Value, to value: Value, context: NativeContext) throws { try storage.set(key, value) }
    func length(context: NativeContext) throws -> Int { storage.count }
    func contains(_ value: Value, context: NativeContext) throws -> Bool { try storage.get(value) != nil }
    func makeIterator(context: NativeContext) throws -> ValueIterator { try context.interpreter.iterate(.dict(storage)) }
    func isTruthy(context: NativeContext) throws -> Bool { storage.count > 0 }
    func attributeNames() -> [String] { Interpreter.dictMethods + ["default_factory"] }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        if name == "default_factory" { return factory }
        return try context.interpreter.builtinMethod(.dict(storage), name)
    }

    func repr(context: NativeContext) throws -> String {
        let f = factory.isNone ? "None" : try context.interpreter.repr(factory)
        return "defaultdict(\(f), \(try context.interpreter.repr(.dict(storage))))"
    }

    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? {
        guard op == .eq || op == .ne else { return nil }
        var rhs = other
        if case .native(let n) = other, let d = n as? DefaultDict { rhs = .dict(d.storage) }
        guard case .dict = rhs else { return nil }
        let eq = try context.interpreter.equals(.dict(storage), rhs)
        return .bool(op == .eq ? eq : !eq)
    }
}
