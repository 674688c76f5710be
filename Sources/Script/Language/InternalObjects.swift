/// `@staticmethod` wrapper stored in a class body.
final class StaticMethodObject: NativeObject {
    let function: Value
    init(_ function: Value) { self.function = function }
    var typeName: String { "staticmethod" }
}

/// `@classmethod` wrapper stored in a class body.
final class ClassMethodObject: NativeObject {
    let function: Value
    init(_ function: Value) { self.function = function }
    var typeName: String { "classmethod" }
}

/// `@property` (with optional setter/deleter) stored in a class body.
final class PropertyObject: NativeObject {
    let getter: Value?
    let setter: Value?
    let deleter: Value?
    init(getter: Value?, setter: Value? = nil, deleter: Value? = nil) {
        self.getter = getter
        self.setter = setter
        self.deleter = deleter
    }
    var typeName: String { "property" }
    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "fget": return getter ?? Value.none
        case "fset": return setter ?? Value.none
        default: return nil
        }
    }
}

/// The object `super()` returns: attribute lookup starting after `start` in the receiver's MRO.
final class SuperObject: NativeObject {
    let start: ClassObject
    let receiver: Value
    init(start: ClassObject, receiver: Value) {
        self.start = start
        self.receiver = receiver
    }
    var typeName: String { "super" }

    func repr(context: NativeContext) throws -> String {
        "<super: <class '\(start.name)'>, <\(context.interpreter.typeName(receiver)) object>>"
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        let interp = context.interpreter
        var c = start.base
        while let k = c {
            if let v = k.attributes[name] { return try interp.bindClassAttribute(v, receiver: receiver, owner: k) }
            if k.native != nil { break }
            c = k.base
        }
        if case .instance(let inst) = receiver {
            if name == "__init__" {
                if let nativeClass = start.base?.nativeAncestor, let spec = nativeClass.native {
                    return .builtin(BuiltinFunction("__init__") { args in
                        inst.nativeBase = try spec.construct(args, NativeContext(interpreter: args.interpreter, receiver: .instance(inst)))
                        return .none
                    })
                }
                let isException = inst.cls.isSubclass(of: ExceptionTypes.baseException)
                return .builtin(BuiltinFunction("__init__") { args in
                    if isException {
                        inst.exceptionArgs = args.positional
                    } else if args.count > 0 || !args.keywords.isEmpty {
                        throw ScriptError.typeError("object.__init__() takes exactly one argument (the instance to initialize)")
                    }
                    return .none
                })
            }
            if name == "__setattr__" {
                return .builtin(BuiltinFunction("__setattr__") { args in
                    try args.check(max: 2, min: 2)
                    try args.interpreter.rawSetAttribute(inst, try args.string(0, "name"), args.positional[1])
                    return .none
                })
            }
            if let nb = inst.nativeBase, let v = try nb.getAttribute(name, context: NativeContext(interpreter: interp, receiver: receiver)) {
                return v
            }
        }
        if name == "__init__" { return .builtin(BuiltinFunction("__init__") { _ in .none }) }
        return nil
    }
}

/// A one-shot iterator (the result of `iter()`, `zip`, `map`, `enumerate`, generator expressions...).
final class IteratorObject: NativeObject {
    let typeName: String
    private var iterator: ValueIterator
    private var finished = false

    init(typeName: String, iterator: ValueIterator) {
        self.typeName = typeName
        self.iterator = iterator
    }

    convenience init(typeName: String, values: [Value]) {
        self.init(typeName: typeName, iterator: ValueIterator(values))
    }

    func nextValue() throws -> Value? {
        if finished { return nil }
        if let v = try iterator.next() { return v }
        finished = true
        return nil
    }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        ValueIterator { [self] in try self.nextValue() }
    }

    func repr(context: NativeContext) throws -> String {
        "<\(typeName) object at \(addressString(self))>"
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "__next__":
            return .builtin(BuiltinFunction("__next__") { [self] _ in
                guard let v = try self.nextValue() else { throw ScriptError.stopIteration() }
                return v
            })
        case "__iter__":
            return .builtin(BuiltinFunction("__iter__") { [self] _ in .native(self) })
        default: return nil
        }
    }
}

/// The `NotImplemented` singleton that binary dunder methods return.
final class NotImplementedObject: NativeObject {
    static let shared = NotImplementedObject()
    var typeName: String { "NotImplementedType" }
    func repr(context: NativeContext) throws -> String { "NotImplemented" }
}

/// `dict.keys()`, `dict.values()`, `dict.items()`: live views of a dict.
final class DictView: NativeObject {
    enum Kind: String { case keys, values, items }
    let dict: DictObject
    let kind: Kind
    init(_ dict: DictObject, _ kind: Kind) {
        self.dict = dict
        self.kind = kind
    }
    var typeName: String { "dict_\(kind.rawValue)" }

    var elements: [Value] {
        switch kind {
        case .keys: return dict.keys
        case .values: return dict.values
        case .items: return zip(dict.keys, dict.values).map { .tuple([$0, $1]) }
        }
    }

    func length(context: NativeContext) throws -> Int { dict.count }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        let d = dict
        let count = d.count
        var i = 0
        let kind = self.kind
        return ValueIterator {
            guard d.count == count else { throw ScriptError.runtimeError("dictionary changed size during iteration") }
            guard i < d.count else { return nil }
            defer { i += 1 }
            switch kind {
            case .keys: return d.keys[i]
            case .values: return d.values[i]
            case .items: return .tuple([d.keys[i], d.values[i]])
            }
        }
    }

    func contains(_ value: Value, context: NativeContext) throws -> Bool {
        if kind == .keys { return try dict.get(value) != nil }
        for v in elements where try context.interpreter.equals(v, value) { return true }
        return false
    }

    func repr(context: NativeContext) throws -> String {
        "\(typeName)(\(try context.interpreter.repr(.list(ListObject(elements)))))"
    }

    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? {
        guard op == .eq || op == .ne, case .native(let o) = other, let view = o as? DictView, view.kind == kind else { return nil }
        let eq = try context.interpreter.equals(.list(ListObject(elements)), .list(ListObject(view.elements)))
        return .bool(op == .eq ? eq : !eq)
    }
}

/// A stable fake address for default reprs (`<Foo object at 0x...>`).
func addressString(_ object: AnyObject) -> String {
    let bits = UInt(bitPattern: ObjectIdentifier(object).hashValue)
    return "0x" + String(bits, radix: 16).leftPadded(to: 12, with: "0")
}

extension String {
    func leftPadded(to width: Int, with pad: Character) -> String {
        let n = count
        return n >= width ? self : String(repeating: pad, count: width - n) + self
    }
}
