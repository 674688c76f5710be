/// A runtime value of mlus. Plain values are Swift values; mutable containers and objects are
/// reference types so that aliasing behaves as in Python.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case list(ListObject)
    case tuple([Value])
    case dict(DictObject)
    case set(SetObject)
    case range(start: Int, stop: Int, step: Int)
    indirect case slice(Value, Value, Value)
    case ellipsis
    case function(Function)
    case builtin(BuiltinFunction)
    case boundMethod(BoundMethod)
    case cls(ClassObject)
    case instance(Instance)
    case module(Module)
    /// An object implemented in Swift (tensors, modules, files, iterators...).
    case native(NativeObject)
}

/// A Python list: a mutable array shared by reference.
public final class ListObject {
    public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items }
    deinit { DeepRelease.release(&items) }
}

/// A Python set; iteration order is insertion order except that all-int sets iterate sorted
/// (which is what CPython does for small non-negative ints).
public final class SetObject {
    public let storage: DictObject
    public init() { storage = DictObject() }
    public init(_ values: [Value]) throws {
        storage = DictObject()
        for v in values { try storage.set(v, .none) }
    }
    public var count: Int { storage.count }
    public func insert(_ v: Value) throws { try storage.set(v, .none) }
    public func contains(_ v: Value) throws -> Bool { try storage.get(v) != nil }
    @discardableResult public func remove(_ v: Value) throws -> Bool { try storage.remove(v) != nil }

    /// Elements in display/iteration order.
    public var elements: [Value] {
        let keys = storage.keys
        var ints: [Int] = []
        ints.reserveCapacity(keys.count)
        for k in keys {
            guard case .int(let i) = k, i >= 0 else { return keys }
            ints.append(i)
        }
        return ints.sorted().map { .int($0) }
    }
}

/// A key usable in dicts and sets, with Python's equality (1 == 1.0 == True) and hashing.
public struct HashKey: Hashable {
    let value: Value

    public init(_ value: Value) throws {
        switch value {
        case .list: throw ScriptError.typeError("unhashable type: 'list'")
        case .dict: throw ScriptError.typeError("unhashable type: 'dict'")
        case .set: throw ScriptError.typeError("unhashable type: 'set'")
        case .slice: throw ScriptError.typeError("unhashable type: 'slice'")
        case .tuple(let items): for i in items { _ = try HashKey(i) }
        default: break
        }
        self.value = value
    }

    public func hash(into h: inout Hasher) { HashKey.hash(value, into: &h) }

    static func hash(_ v: Value, into h: inout Hasher) {
        switch v {
        case .none: h.combine(0)
        case .bool(let b): h.combine(b ? 1 : 0)
        case .int(let i): h.combine(i)
        case .float(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 9.2e18 { h.combine(Int(d)) } else { h.combine(d) }
        case .str(let s): h.combine(s)
        case .tuple(let items):
            h.combine(items.count)
            for i in items { hash(i, into: &h) }
        case .range(let a, let b, let c): h.combine(a); h.combine(b); h.combine(c)
        case .ellipsis: h.combine(-7)
        case .function(let f): h.combine(ObjectIdentifier(f))
        case .builtin(let f): h.combine(ObjectIdentifier(f))
        case .boundMethod(let m): h.combine(ObjectIdentifier(m))
        case .cls(let c): h.combine(ObjectIdentifier(c))
        case .instance(let o): h.combine(ObjectIdentifier(o))
        case .module(let m): h.combine(ObjectIdentifier(m))
        case .native(let n): n.hash(into: &h)
        case .list, .dict, .set, .slice: h.combine(-1)
        }
    }

    public static func == (a: HashKey, b: HashKey) -> Bool { HashKey.equal(a.value, b.value) }

    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.str(let x), .str(let y)): return x == y
        case (.tuple(let x), .tuple(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.range(let a1, let b1, let c1), .range(let a2, let b2, let c2)): return a1 == a2 && b1 == b2 && c1 == c2
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.boundMethod(let x), .boundMethod(let y)): return x === y
        case (.cls(let x), .cls(let y)): return x === y
        case (.instance(let x), .instance(let y)): return x === y
        case (.module(let x), .module(let y)): return x === y
        case (.native(let x), .native(let y)): return x === y || x.isEqual(to: y)
        default:
            if let x = a.numeric, let y = b.numeric { return x == y }
            return false
        }
    }
}

/// Exact numeric view used for cross-type equality of bool/int/float.
enum Numeric: Equatable {
    case int(Int)
    case float(Double)

    static func == (a: Numeric, b: Numeric) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)):
            guard y.isFinite, y == y.rounded(), abs(y) < 9.3e18 else { return false }
            if y >= 9.223372036854775807e18 || y < -9.223372036854775808e18 { return false }
            return Int(y) == x
        }
    }
}

extension Value {
    var numeric: Numeric? {
        switch self {
        case .bool(let b): return .int(b ? 1 : 0)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        default: return nil
        }
    }
}

/// An insertion-ordered dictionary keyed by `HashKey`.
public final class DictObject {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]

    public init() {}
    deinit {
        index = [:]
        DeepRelease.release(&values)
        DeepRelease.release(&keys)
    }

    public var count: Int { keys.count }

    public func get(_ key: Value) throws -> Value? {
        guard let i = index[try HashKey(key)] else { return nil }
        return values[i]
    }

    public func set(_ key: Value, _ value: Value) throws {
        let k = try HashKey(key)
        if let i = index[k] {
            values[i] = value
        } else {
            index[k] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    @discardableResult
    public func remove(_ key: Value) throws -> Value? {
        let k = try HashKey(key)
        guard let i = index.removeValue(forKey: k) else { return nil }
        let v = values[i]
        keys.remove(at: i)
        values.remove(at: i)
        if i < keys.count {
            for j in i..<keys.count {
                if let hk = try? HashKey(keys[j]) { index[hk] = j }
            }
        }
        return v
    }

    public func removeAll() {
        keys = []
        values = []
        index = [:]
    }

    public func copy() -> DictObject {
        let d = DictObject()
        d.keys = keys
        d.values = values
        d.index = index
        return d
    }

    /// Convenience for string keys (module-style dicts built by native code).
    public subscript(string key: String) -> Value? {
        get { try? get(.str(key)) }
        set {
            if let v = newValue { try? set(.str(key), v) } else { _ = try? remove(.str(key)) }
        }
    }
}

/// A string-keyed insertion-ordered attribute table (instance `__dict__`, class bodies, functions).
public struct Attributes {
    private var table = NameTable()

    public init() {}

    public subscript(_ name: String) -> Value? {
        get { table[name] }
        set { table[name] = newValue }
    }

    public var names: [String] { table.keys }
    public var isEmpty: Bool { table.isEmpty }

    mutating func takeValues() -> [Value] { table.takeValues() }
}

/// A function defined by `def` or `lambda`.
public final class Function {
    public let def: FunctionDef
    public var name: String
    public var qualifiedName: String
    let defaults: [Value?]
    let closure: Scope
    public var attributes = Attributes()
    /// The class whose body defined this function (for zero-argument `super()`).
    weak var definingClass: ClassObject?

    init(def: FunctionDef, defaults: [Value?], closure: Scope, qualifiedName: String) {
        self.def = def
        self.name = def.name
        self.defaults = defaults
        self.closure = closure
        self.qualifiedName = qualifiedName
    }
}

/// A function implemented in Swift.
public final class BuiltinFunction {
    public let name: String
    public let body: (Arguments) throws -> Value

    public init(_ name: String, _ body: @escaping (Arguments) throws -> Value) {
        self.name = name
        self.body = body
    }
}

/// A function bound to its receiver (`obj.method`).
public final class BoundMethod {
    public let receiver: Value
    public let function: Value

    public init(receiver: Value, function: Value) {
        self.receiver = receiver
        self.function = function
    }
}

/// A class: a script class, a built-in type, an exception class or a native class.
public final class ClassObject {
    public let name: String
    public let base: ClassObject?
    public var attributes = Attributes()
    public var moduleName: String
    /// Set for classes implemented in Swift; script subclasses hold an instance of it as their native base.
    public let native: NativeClassSpec?
    /// Set for built-in types (`int`, `list`, ...): how calling the type constructs a value.
    let constructor: ((Arguments) throws -> Value)?

    public init(name: String, base: ClassObject?, moduleName: String = "__main__", native: NativeClassSpec? = nil) {
        self.name = name
        self.base = base
        self.moduleName = moduleName
        self.native = native
        self.constructor = nil
    }

    init(builtinType name: String, base: ClassObject?, constructor: ((Arguments) throws -> Value)?) {
        self.name = name
        self.base = base
        self.moduleName = "builtins"
        self.native = nil
        self.constructor = constructor
    }

    /// The class and its bases, most derived first.
    public var mro: [ClassObject] {
        var out: [ClassObject] = []
        var c: ClassObject? = self
        while let k = c {
            out.append(k)
            c = k.base
        }
        return out
    }

    public func isSubclass(of other: ClassObject) -> Bool {
        var c: ClassObject? = self
        while let k = c {
            if k === other { return true }
            c = k.base
        }
        return false
    }

    /// Looks `name` up through the MRO (class attributes only).
    public func lookup(_ name: String) -> (Value, ClassObject)? {
        var c: ClassObject? = self
        while let k = c {
            if let v = k.attributes[name] { return (v, k) }
            c = k.base
        }
        return nil
    }

    /// The first native class in the MRO, if any.
    public var nativeAncestor: ClassObject? {
        mro.first { $0.native != nil }
    }

    var qualifiedDisplayName: String {
        moduleName == "builtins" ? name : "\(moduleName).\(name)"
    }
}

/// An instance of a script class (including exceptions).
public final class Instance {
    public let cls: ClassObject
    public var attributes = Attributes()
    /// For subclasses of native classes: the Swift object that `super().__init__` created.
    public var nativeBase: NativeObject?
    /// Exception arguments (`e.args`), for instances of exception classes.
    public var exceptionArgs: [Value] = []
    /// `raise ... from cause`.
    public var exceptionCause: Value?

    public init(cls: ClassObject) { self.cls = cls }
    deinit {
        var values = attributes.takeValues()
        DeepRelease.release(&values)
        DeepRelease.release(&exceptionArgs)
    }
}

/// An imported module.
public final class Module {
    public let name: String
    public let scope: Scope
    public var file: String?

    public init(name: String, file: String? = nil) {
        self.name = name
        self.file = file
        self.scope = Scope(kind: .module, parent: nil, def: nil)
        scope.vars["__name__"] = .str(name)
    }

    /// Sets a member (for native modules).
    public func set(_ name: String, _ value: Value) { scope.vars[name] = value }

    /// Reads a member.
    public func get(_ name: String) -> Value? { scope.vars[name] }

    /// Adds a native function member.
    public func addFunction(_ name: String, _ body: @escaping (Arguments) throws -> Value) {
        scope.vars[name] = .builtin(BuiltinFunction(name, body))
    }
}

extension Value {
    /// Python truthiness for plain values; objects with `__bool__`/`__len__` go through the interpreter.
    var plainTruth: Bool? {
        switch self {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .str(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .set(let s): return s.count > 0
        case .range(let a, let b, let c): return rangeLength(a, b, c) > 0
        case .instance, .native: return nil
        default: return true
        }
    }

    /// True for script instances and native objects (which may implement protocols through methods).
    var isObject: Bool {
        switch self {
        case .instance, .native: return true
        default: return false
        }
    }

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// Number of elements of `range(start, stop, step)`.
func rangeLength(_ start: Int, _ stop: Int, _ step: Int) -> Int {
    if step > 0 {
        if start >= stop { return 0 }
        let (d, o) = stop.subtractingReportingOverflow(start)
        if o { return Int.max }
        return (d - 1) / step + 1
    } else {
        if start <= stop { return 0 }
        let d = UInt(bitPattern: start &- stop)
        let n = (d - 1) / step.magnitude + 1
        return n > UInt(Int.max) ? Int.max : Int(n)
    }
}
