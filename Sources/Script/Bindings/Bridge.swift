import NN

/// The engine's `nn.Module` (the script language has its own `Module`, an imported file).
typealias NNModule = NN.Module
import Tensors

/// Runs engine code from a native binding, turning the engine's errors into Python exceptions.
///
/// Shape and argument errors become `RuntimeError`/`ValueError` with the engine's message, which
/// names the layer and shapes, so a script can `except RuntimeError` exactly as with PyTorch.
func bridge<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ScriptError {
        throw error
    } catch let error as TensorError {
        switch error {
        case .invalidArgument(let m):
            // The engine reports out-of-range positions as invalid arguments; Python calls them IndexError.
            if m.contains("out of bounds") || m.contains("out of range") { throw ScriptError.indexError(m) }
            throw ScriptError.valueError(m)
        case .invalidView(let m), .shapeMismatch(let m), .unsupportedDType(let m): throw ScriptError.runtimeError(m)
        }
    } catch let error as NNError {
        throw ScriptError.runtimeError("\(error)")
    } catch {
        throw ScriptError.runtimeError("\(error)")
    }
}

/// Conversions between script values and engine values.
enum Convert {
    /// A tensor argument, or a TypeError naming the function and parameter.
    static func tensor(_ value: Value, _ what: String) throws -> Tensor {
        if let t = tensorOrNil(value) { return t }
        throw ScriptError.typeError("\(what) must be a Tensor, not \(typeName(value))")
    }

    /// The tensor inside a value, if any (tensors, parameters).
    static func tensorOrNil(_ value: Value) -> Tensor? {
        if case .native(let n) = value, let t = n as? TensorObject { return t.tensor }
        return nil
    }

    /// A tensor from a tensor or a Python number / nested list (`torch.tensor` semantics).
    static func tensorLike(_ value: Value, _ what: String, interpreter: Interpreter) throws -> Tensor {
        if let t = tensorOrNil(value) { return t }
        return try tensorFromData(value, dtype: nil, interpreter: interpreter)
    }

    static func typeName(_ value: Value) -> String {
        switch value {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .set: return "set"
        case .native(let n): return n.typeName
        case .instance(let i): return i.cls.name
        default: return "object"
        }
    }

    static func wrap(_ tensor: Tensor) -> Value { .native(TensorObject(tensor)) }

    static func wrapList(_ tensors: [Tensor]) -> Value { .tuple(tensors.map(wrap)) }

    /// A Python number.
    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func int(_ value: Value, _ what: String) throws -> Int {
        switch value {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .native(let n):
            if let t = n as? TensorObject, t.tensor.count == 1, !t.tensor.dtype.isFloatingPoint {
                return Int(try bridge { try t.tensor.item() })
            }
        default: break
        }
        throw ScriptError.typeError("\(what) must be an int, not \(typeName(value))")
    }

    /// An int list from `3`, `(3, 3)`, `[3, 3]` or a `torch.Size`; a single int is repeated `count` times.
    static func ints(_ value: Value, _ what: String, count: Int? = nil) throws -> [Int] {
        switch value {
        case .tuple(let items): return try items.map { try int($0, what) }
        case .list(let l): return try l.items.map { try int($0, what) }
        default:
            let single = try int(value, what)
            return [Int](repeating: single, count: count ?? 1)
        }
    }

    /// A shape given either as varargs (`view(1, 3, -1)`) or as one sequence (`view((1, 3, -1))`).
    static func shape(_ args: [Value], _ what: String) throws -> [Int] {
        if args.count == 1, case .tuple = args[0] { return try ints(args[0], what) }
        if args.count == 1, case .list = args[0] { return try ints(args[0], what) }
        return try args.map { try int($0, what) }
    }

    static func doubles(_ value: Value, _ what: String, count: Int? = nil) throws -> [Double] {
        switch value {
        case .tuple(let items): return try items.map { try double($0, what) }
        case .list(let l): return try l.items.map { try double($0, what) }
        default:
            let single = try double(value, what)
            return [Double](repeating: single, count: count ?? 1)
        }
    }

    static func double(_ value: Value, _ what: String) throws -> Double {
        if let d = number(value) { return d }
        if case .native(let n) = value, let t = n as? TensorObject, t.tensor.count == 1 {
            return try bridge { try t.tensor.item() }
        }
        throw ScriptError.typeError("\(what) must be a number, not \(typeName(value))")
    }

    /// `torch.tensor(data)`: nested lists of numbers/bools to a tensor; dtype inferred as PyTorch does
    /// (bool → bool, ints → int64, any float → float32).
    static func tensorFromData(_ value: Value, dtype: DType?, interpreter: Interpreter) throws -> Tensor {
        var flat: [Double] = []
        var kind = 0 // 0 bool, 1 int, 2 float
        var sawAny = false
        func walk(_ v: Value, depth: Int) throws -> [Int] {
            guard depth < 64 else { throw ScriptError.valueError("tensor data nested too deeply") }
            switch v {
            case .bool(let b): flat.append(b ? 1 : 0); sawAny = true; return []
            case .int(let i): flat.append(Double(i)); kind = max(kind, 1); sawAny = true; return []
            case .float(let d): flat.append(d); kind = 2; sawAny = true; return []
            case .native(let n):
                if let t = n as? TensorObject, t.tensor.count == 1 {
                    flat.append(try bridge { try t.tensor.item() })
                    kind = max(kind, t.tensor.dtype.isFloatingPoint ? 2 : (t.tensor.dtype == .bool ? 0 : 1))
                    sawAny = true
                    return []
                }
                throw ScriptError.typeError("torch.tensor() got a \(n.typeName) inside the data")
            case .list, .tuple:
                let items: [Value]
                if case .list(let l) = v { items = l.items } else if case .tuple(let t) = v { items = t } else { items = [] }
                var inner: [Int]? = nil
                for item in items {
                    let s = try walk(item, depth: depth + 1)
                    if let inner, inner != s {
                        throw ScriptError.valueError("expected sequence of length \(inner.first ?? 0) at dim \(depth + 1) (got \(s.first ?? 0))")
                    }
                    inner = s
                }
                return [items.count] + (inner ?? [])
            default:
                throw ScriptError.typeError("Could not infer dtype of \(typeName(v))")
            }
        }
        let shape = try walk(value, depth: 0)
        let inferred: DType = !sawAny ? .float32 : (kind == 2 ? .float32 : (kind == 1 ? .int64 : .bool))
        return try bridge { try Tensor(doubles: flat, shape: shape, dtype: dtype ?? inferred) }
    }

    /// A Python value for a tensor element.
    static func scalarValue(_ x: Double, dtype: DType) -> Value {
        if dtype == .bool { return .bool(x != 0) }
        if dtype.isFloatingPoint { return .float(x) }
        return .int(Int(x))
    }

    /// Nested lists of Python values (`tensor.tolist()`).
    static func toList(_ tensor: Tensor) -> Value {
        let values = tensor.scalars()
        if tensor.rank == 0 { return scalarValue(values.first ?? 0, dtype: tensor.dtype) }
        var index = 0
        func build(_ axis: Int) -> Value {
            if axis == tensor.rank - 1 {
                var items: [Value] = []
                for _ in 0..<tensor.shape[axis] { items.append(scalarValue(values[index], dtype: tensor.dtype)); index += 1 }
                return .list(ListObject(items))
            }
            return .list(ListObject((0..<tensor.shape[axis]).map { _ in build(axis + 1) }))
        }
        return build(0)
    }
}

/// True for Python's `None`.
func isNone(_ value: Value) -> Bool {
    if case .none = value { return true }
    return false
}
