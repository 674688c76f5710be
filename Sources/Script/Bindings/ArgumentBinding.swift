/// Binds a native call's arguments to Python parameter names, as CPython binds a `def` signature:
/// positional first, then keywords, with TypeErrors for extras, duplicates and missing required ones.
struct BoundArguments {
    let function: String
    private var values: [String: Value]

    init(_ args: Arguments, _ names: [String], required: Int = 0) throws {
        function = args.functionName
        values = [:]
        guard args.positional.count <= names.count else {
            throw ScriptError.typeError("\(function)() takes \(names.count) positional arguments but \(args.positional.count) were given")
        }
        for (i, v) in args.positional.enumerated() { values[names[i]] = v }
        for (k, v) in args.keywords {
            guard names.contains(k) else {
                throw ScriptError.typeError("\(function)() got an unexpected keyword argument '\(k)'")
            }
            guard values[k] == nil else { throw ScriptError.typeError("\(function)() got multiple values for argument '\(k)'") }
            values[k] = v
        }
        for name in names.prefix(required) where values[name] == nil {
            throw ScriptError.typeError("\(function)() missing required positional argument: '\(name)'")
        }
    }

    /// The argument, or nil when absent or None.
    subscript(_ name: String) -> Value? {
        guard let v = values[name], !isNone(v) else { return nil }
        return v
    }

    func int(_ name: String, _ def: Int) throws -> Int { try self[name].map { try Convert.int($0, "\(function)(): \(name)") } ?? def }
    func double(_ name: String, _ def: Double) throws -> Double { try self[name].map { try Convert.double($0, "\(function)(): \(name)") } ?? def }
    func bool(_ name: String, _ def: Bool) throws -> Bool {
        guard let v = self[name] else { return def }
        switch v {
        case .bool(let b): return b
        case .int(let i): return i != 0
        default: throw ScriptError.typeError("\(function)(): \(name) must be a bool, not \(Convert.typeName(v))")
        }
    }
    func string(_ name: String, _ def: String) throws -> String {
        guard let v = self[name] else { return def }
        guard case .str(let s) = v else { throw ScriptError.typeError("\(function)(): \(name) must be a str, not \(Convert.typeName(v))") }
        return s
    }
    func ints(_ name: String, _ def: [Int], count: Int = 1) throws -> [Int] {
        try self[name].map { try Convert.ints($0, "\(function)(): \(name)", count: count) } ?? def
    }
    func tensor(_ name: String) throws -> Tensor? { try self[name].map { try Convert.tensor($0, "\(function)(): \(name)") } }
}

import Tensors
