/// Conveniences for bindings converting between Swift and script values.
extension Value {
    /// A new list value.
    public static func makeList(_ items: [Value]) -> Value { .list(ListObject(items)) }

    /// A new dict value with string keys, in order.
    public static func makeDict(_ pairs: [(String, Value)]) -> Value {
        let d = DictObject()
        for (k, v) in pairs { d[string: k] = v }
        return .dict(d)
    }

    /// The Swift Int for int/bool values, else nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The Swift Double for int/bool/float values, else nil.
    public var doubleValue: Double? { asDouble }

    /// The Swift String for str values, else nil.
    public var stringValue: String? {
        if case .str(let s) = self { return s }
        return nil
    }

    /// The native object, for `.native` values and script instances subclassing a native class.
    public var nativeObject: NativeObject? {
        switch self {
        case .native(let n): return n
        case .instance(let i): return i.nativeBase
        default: return nil
        }
    }
}

extension Arguments {
    /// An int or a sequence of ints (`3`, `(3, 3)`, `[1, 2, 3]`), as PyTorch size arguments accept.
    /// - Parameter count: when given, a single int is repeated to this many entries and sequences must match it.
    public func ints(_ index: Int, _ name: String, count: Int? = nil, default def: [Int]? = nil) throws -> [Int] {
        guard let v = value(index, name), !v.isNone else {
            if let def { return def }
            throw ScriptError.typeError("\(functionName)() missing required argument '\(name)'")
        }
        if let i = v.intValue { return Array(repeating: i, count: count ?? 1) }
        switch v {
        case .tuple, .list:
            let items = try interpreter.collect(v)
            let out = try items.map { item -> Int in
                guard let i = item.intValue else {
                    throw ScriptError.typeError("\(functionName)(): argument '\(name)' must be a sequence of ints, not containing \(interpreter.typeName(item))")
                }
                return i
            }
            if let count, out.count != count {
                throw ScriptError.valueError("\(functionName)(): argument '\(name)' must have \(count) elements, got \(out.count)")
            }
            return out
        default:
            throw ScriptError.typeError("\(functionName)(): argument '\(name)' must be int or tuple of ints, not \(interpreter.typeName(v))")
        }
    }

    /// The argument at `index`/`name` unless absent or None.
    public func optional(_ index: Int, _ name: String) -> Value? {
        guard let v = value(index, name), !v.isNone else { return nil }
        return v
    }
}

extension Arguments {
    /// A path argument: a str, or an object with `__fspath__` (such as `pathlib.Path`).
    public func path(_ index: Int, _ name: String, default def: String? = nil) throws -> String {
        guard let v = value(index, name) else {
            if let def { return def }
            throw ScriptError.typeError("\(functionName)() missing required argument '\(name)'")
        }
        if case .str(let s) = v { return s }
        if let f = try interpreter.findAttribute(v, "__fspath__"), case .str(let s) = try interpreter.call(f, []) { return s }
        throw ScriptError.typeError("\(functionName)(): argument '\(name)' should be string or os.PathLike, not \(interpreter.typeName(v))")
    }
}
