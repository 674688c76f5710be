// The extension API for native (Swift) bindings.
//
// Bindings (torch, torch.nn, cnrt, image...) expose Swift objects to scripts through four pieces:
//
// 1. `NativeObject` — a class-bound protocol a Swift object adopts to behave like a Python object:
//    attributes (`getAttribute`/`setAttribute`), calls, `repr`/`str`, subscripts, `len`, iteration,
//    binary operators (with a `reflected` flag for `2 * t`), unary operators, comparisons, truthiness.
//    Every hook has a default that raises the same TypeError CPython would, so adopt only what you need.
//    Hooks receive a `NativeContext`: the interpreter plus the *receiver*, which is the script instance
//    when a script class subclasses a native class (so native code can call back into script methods,
//    e.g. `Module.__call__` calling the script's `forward`).
//
// 2. `BuiltinFunction` / `Arguments` — native functions take `Arguments` (positional, keywords, helpers
//    to read them by position or name with type checks) and throw `ScriptError` (`ScriptError.typeError`,
//    `.valueError`, `.runtimeError`, ...) which scripts can catch with `except`.
//
// 3. `NativeClassSpec` — a class implemented in Swift. Calling it constructs a `NativeObject`.
//    Script classes may subclass it:
//
//        class Net(nn.Module):
//            def __init__(self):
//                super().__init__()          # constructs the native base object
//                self.conv = nn.Conv2d(...)  # offered to the native base first (registration)
//            def forward(self, x): ...
//
//    The script `Instance` holds the native base in `nativeBase`. Attribute assignment is offered to
//    `nativeBase.setAttribute` first (return true to take it); lookup goes instance dict → script class
//    MRO → native base. Calling the instance runs a script `__call__` if defined, else the native base's
//    `call` with the instance as receiver; use `context.interpreter.callMethod(context.receiver, "forward", ...)`
//    to reach script code. `Tests/ScriptTests/NativeSubclassTests.swift` shows a complete example.
//
// 4. `ModuleRegistry` (`interpreter.modules`) — native modules by dotted name (`torch`, `torch.nn`,
//    `torch_mlu.core.mlu_model`), consulted before any file on `import`. Register a builder; it runs
//    on first import. Parent packages of a registered dotted name are created automatically.
//
// To call script values from Swift: `interpreter.call(value, args, kwargs)`.
//
// Conventions for binding authors:
// - Methods that return `self` in PyTorch (`model.eval()`, `model.to(device)`) should return
//   `context.receiver`, not `.native(self)`, so a script subclass instance keeps its class.
// - Raise `ScriptError.typeError` / `.valueError` / `.runtimeError` with messages naming the argument,
//   the expected and the actual value; never crash on script input.
// - `with` uses `__enter__`/`__exit__` found through `getAttribute`; iteration uses `makeIterator`.
// - Give `NativeObject.scriptClass` the `ClassObject` you registered so `type(x)` and `isinstance` agree.

/// What a native hook knows about its call: the interpreter, and the receiver (`self` as the script
/// sees it: a script instance subclassing the native class, or the native object itself).
public struct NativeContext {
    public unowned let interpreter: Interpreter
    public let receiver: Value

    public init(interpreter: Interpreter, receiver: Value) {
        self.interpreter = interpreter
        self.receiver = receiver
    }
}

/// A Swift object visible to scripts. All hooks have defaults (see the extension below).
public protocol NativeObject: AnyObject {
    /// The Python-visible type name (`Tensor`, `Conv2d`, `device`).
    var typeName: String { get }
    /// The class object `type(obj)` returns and `isinstance` checks against; nil synthesises one.
    var scriptClass: ClassObject? { get }
    /// Returns the attribute or nil when there is none (the interpreter then raises AttributeError with a hint).
    func getAttribute(_ name: String, context: NativeContext) throws -> Value?
    /// Returns true when the object took the assignment; false lets the script instance store it.
    func setAttribute(_ name: String, to value: Value, context: NativeContext) throws -> Bool
    /// Names for `dir()` and tab completion.
    func attributeNames() -> [String]
    func call(_ arguments: Arguments, context: NativeContext) throws -> Value
    func repr(context: NativeContext) throws -> String
    func str(context: NativeContext) throws -> String
    func getItem(_ key: Value, context: NativeContext) throws -> Value
    func setItem(_ key: Value, to value: Value, context: NativeContext) throws
    func length(context: NativeContext) throws -> Int
    func makeIterator(context: NativeContext) throws -> ValueIterator
    func contains(_ value: Value, context: NativeContext) throws -> Bool
    /// `self op other` (or `other op self` when `reflected`). Return nil for NotImplemented.
    func binaryOperation(_ op: BinaryOperator, _ other: Value, reflected: Bool, context: NativeContext) throws -> Value?
    /// `-self`, `+self`, `~self`. Return nil for unsupported.
    func unaryOperation(_ op: UnaryOperator, context: NativeContext) throws -> Value?
    /// `self op other` for ==, !=, <, <=, >, >=. Return nil for NotImplemented (== falls back to identity).
    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value?
    func isTruthy(context: NativeContext) throws -> Bool
    /// Value equality for dict keys and `==` fallbacks (identity by default).
    func isEqual(to other: NativeObject) -> Bool
    func hash(into hasher: inout Hasher)
}

extension NativeObject {
    public var scriptClass: ClassObject? { nil }
    public func getAttribute(_ name: String, context: NativeContext) throws -> Value? { nil }
    public func setAttribute(_ name: String, to value: Value, context: NativeContext) throws -> Bool { false }
    public func attributeNames() -> [String] { [] }
    public func call(_ arguments: Arguments, context: NativeContext) throws -> Value {
        throw ScriptError.typeError("'\(typeName)' object is not callable")
    }
    public func repr(context: NativeContext) throws -> String { "<\(typeName) object>" }
    public func str(context: NativeContext) throws -> String { try repr(context: context) }
    public func getItem(_ key: Value, context: NativeContext) throws -> Value {
        throw ScriptError.typeError("'\(typeName)' object is not subscriptable")
    }
    public func setItem(_ key: Value, to value: Value, context: NativeContext) throws {
        throw ScriptError.typeError("'\(typeName)' object does not support item assignment")
    }
    public func length(context: NativeContext) throws -> Int {
        throw ScriptError.typeError("object of type '\(typeName)' has no len()")
    }
    public func makeIterator(context: NativeContext) throws -> ValueIterator {
        throw ScriptError.typeError("'\(typeName)' object is not iterable")
    }
    public func contains(_ value: Value, context: NativeContext) throws -> Bool {
        var it = try makeIterator(context: context)
        while let v = try it.next() {
            if try context.interpreter.equals(v, value) { return true }
        }
        return false
    }
    public func binaryOperation(_ op: BinaryOperator, _ other: Value, reflected: Bool, context: NativeContext) throws -> Value? { nil }
    public func unaryOperation(_ op: UnaryOperator, context: NativeContext) throws -> Value? { nil }
    public func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? { nil }
    public func isTruthy(context: NativeContext) throws -> Bool { true }
    public func isEqual(to other: NativeObject) -> Bool { self === other }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}

/// A pull iterator over values; `next()` returns nil when exhausted.
public struct ValueIterator {
    private let step: () throws -> Value?

    public init(_ step: @escaping () throws -> Value?) { self.step = step }

    public init(_ values: [Value]) {
        var i = 0
        self.step = {
            guard i < values.count else { return nil }
            defer { i += 1 }
            return values[i]
        }
    }

    public mutating func next() throws -> Value? { try step() }
}

/// A class implemented in Swift, which scripts can call and subclass.
public final class NativeClassSpec {
    /// Builds the native object from constructor arguments. `context.receiver` is the script instance
    /// when constructing the native base of a script subclass, `.none` for a direct call.
    public let construct: (Arguments, NativeContext) throws -> NativeObject
    /// True when a native object is an instance of this class (for `isinstance`).
    public let matches: (NativeObject) -> Bool

    public init(construct: @escaping (Arguments, NativeContext) throws -> NativeObject,
                matches: @escaping (NativeObject) -> Bool) {
        self.construct = construct
        self.matches = matches
    }
}

/// Arguments of a native call, with helpers that raise TypeError naming the function and parameter.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    public unowned let interpreter: Interpreter
    /// Used in error messages.
    public let functionName: String

    public init(_ positional: [Value], keywords: [(String, Value)] = [], interpreter: Interpreter, functionName: String) {
        self.positional = positional
        self.keywords = keywords
        self.interpreter = interpreter
        self.functionName = functionName
    }

    public var count: Int { positional.count }

    /// The argument at `index` or named `name`, or nil when absent.
    public func value(_ index: Int, _ name: String? = nil) -> Value? {
        if let name, let kw = keywords.first(where: { $0.0 == name }) { return kw.1 }
        return index >= 0 && index < positional.count ? positional[index] : nil
    }

    /// The keyword argument `name`, or nil.
    public func keyword(_ name: String) -> Value? { keywords.first { $0.0 == name }?.1 }

    /// The required argument at `index`/`name`.
    public func required(_ index: Int, _ name: String) throws -> Value {
        guard let v = value(index, name) else {
            throw ScriptError.typeError("\(functionName)() missing required argument '\(name)' (pos \(index + 1))")
        }
        return v
    }

    /// Raises TypeError unless there are at most `max` positional arguments and only `allowedKeywords`.
    public func check(max: Int, min: Int = 0, allowedKeywords: [String] = []) throws {
        if positional.count > max {
            throw ScriptError.typeError("\(functionName)() takes at most \(max) argument\(max == 1 ? "" : "s") (\(positional.count) given)")
        }
        if positional.count < min {
            throw ScriptError.typeError("\(functionName)() takes at least \(min) argument\(min == 1 ? "" : "s") (\(positional.count) given)")
        }
        for (k, _) in keywords where !allowedKeywords.contains(k) {
            throw ScriptError.typeError("\(functionName)() got an unexpected keyword argument '\(k)'")
        }
    }

    public func int(_ index: Int, _ name: String, default def: Int? = nil) throws -> Int {
        guard let v = value(index, name) else {
            if let def { return def }
            throw ScriptError.typeError("\(functionName)() missing required argument '\(name)'")
        }
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: throw ScriptError.typeError("\(functionName)(): argument '\(name)' must be int, not \(interpreter.typeName(v))")
        }
    }

    public func double(_ index: Int, _ name: String, default def: Double? = nil) throws -> Double {
        guard let v = value(index, name) else {
            if let def { return def }
            throw ScriptError.typeError("\(functionName)() missing required argument '\(name)'")
        }
        switch v {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return d
        default: throw ScriptError.typeError("\(functionName)(): argument '\(name)' must be a number, not \(interpreter.typeName(v))")
        }
    }

    public func string(_ index: Int, _ name: String, default def: String? = nil) throws -> String {
        guard let v = value(index, name) else {
            if let def { return def }
            throw ScriptError.typeError("\(functionName)() missing required argument '\(name)'")
        }
        guard case .str(let s) = v else {
            throw ScriptError.typeError("\(functionName)(): argument '\(name)' must be str, not \(interpreter.typeName(v))")
        }
        return s
    }

    public func bool(_ index: Int, _ name: String, default def: Bool) throws -> Bool {
        guard let v = value(index, name) else { return def }
        return try interpreter.truthy(v)
    }
}

/// Where `print` and `sys.stdout`/`sys.stderr` writes go, so a REPL or notebook can capture output.
public protocol OutputSink: AnyObject {
    func write(_ text: String)
    func flush()
}

extension OutputSink {
    public func flush() {}
}
