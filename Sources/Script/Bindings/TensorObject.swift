import Ops
import Tensors

/// A tensor as scripts see it: PyTorch's `Tensor`, with its operators, subscripts and methods.
///
/// Every computation goes through `TensorOps` (the dispatcher), so tracing and the MLU backend see it.
final class TensorObject: NativeObject {
    var tensor: Tensor
    /// True for `nn.Parameter` values (printing and `torch.save` of parameters differ slightly).
    var isParameter: Bool

    init(_ tensor: Tensor, isParameter: Bool = false) {
        self.tensor = tensor
        self.isParameter = isParameter
    }

    var typeName: String { isParameter ? "Parameter" : "Tensor" }
    var scriptClass: ClassObject? { TorchClasses.tensor }

    func repr(context: NativeContext) throws -> String {
        let body = TensorFormatter.format(tensor)
        return isParameter ? "Parameter containing:\n\(body)" : body
    }

    func length(context: NativeContext) throws -> Int {
        guard let first = tensor.shape.first else { throw ScriptError.typeError("len() of a 0-d tensor") }
        return first
    }

    func isTruthy(context: NativeContext) throws -> Bool {
        guard tensor.count == 1 else {
            throw ScriptError.runtimeError("Boolean value of Tensor with more than one value is ambiguous")
        }
        return try bridge { try tensor.item() } != 0
    }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        guard let n = tensor.shape.first else { throw ScriptError.typeError("iteration over a 0-d tensor") }
        var i = 0
        let t = tensor
        return ValueIterator {
            guard i < n else { return nil }
            defer { i += 1 }
            return Convert.wrap(try bridge { try TensorOps.index(t, [.at(i)]) })
        }
    }

    // MARK: Subscripts

    func getItem(_ key: Value, context: NativeContext) throws -> Value {
        let indices = try TensorObject.indices(key)
        return Convert.wrap(try bridge { try TensorOps.index(tensor, indices) })
    }

    func setItem(_ key: Value, to value: Value, context: NativeContext) throws {
        let indices = try TensorObject.indices(key)
        let source: Tensor
        if let t = Convert.tensorOrNil(value) { source = t }
        else if let x = Convert.number(value) { source = Tensor(scalar: x, dtype: tensor.dtype) }
        else { throw ScriptError.typeError("can't assign a \(Convert.typeName(value)) to a Tensor") }
        try bridge { try tensor.assign(source, at: indices) }
    }

    /// Python subscript → engine indices: ints, slices, None, ..., bool/int tensors, and tuples of those.
    static func indices(_ key: Value) throws -> [TensorIndex] {
        if case .tuple(let items) = key { return try items.map(index) }
        return [try index(key)]
    }

    private static func index(_ v: Value) throws -> TensorIndex {
        switch v {
        case .int(let i): return .at(i)
        case .bool(let b): return .at(b ? 1 : 0)
        case .none: return .newAxis
        case .ellipsis: return .ellipsis
        case .slice(let a, let b, let c):
            func part(_ p: Value) throws -> Int? {
                if case .none = p { return nil }
                return try Convert.int(p, "slice index")
            }
            return .range(try part(a), try part(b), try part(c))
        case .native(let n):
            if let t = n as? TensorObject {
                if t.tensor.rank == 0 && !t.tensor.dtype.isFloatingPoint && t.tensor.dtype != .bool {
                    return .at(Int(try bridge { try t.tensor.item() }))
                }
                return .tensor(t.tensor)
            }
        case .list(let l):
            let ints = try l.items.map { Int64(try Convert.int($0, "index")) }
            return .tensor(try bridge { try Tensor(int64s: ints, shape: [ints.count]) })
        default: break
        }
        throw ScriptError.indexError("only integers, slices (`:`), ellipsis (`...`), None and long or bool tensors are valid indices (got \(Convert.typeName(v)))")
    }

    // MARK: Operators

    func binaryOperation(_ op: BinaryOperator, _ other: Value, reflected: Bool, context: NativeContext) throws -> Value? {
        let engineOp: Tensors.BinaryOperator
        switch op {
        case .add: engineOp = .add
        case .sub: engineOp = .sub
        case .mul: engineOp = .mul
        case .div: engineOp = .div
        case .pow: engineOp = .pow
        case .matmul:
            guard let o = Convert.tensorOrNil(other) else { return nil }
            return Convert.wrap(try bridge { reflected ? try TensorOps.matmul(o, tensor) : try TensorOps.matmul(tensor, o) })
        case .bitAnd, .bitOr, .bitXor:
            guard let o = Convert.tensorOrNil(other) else { return nil }
            let logical: LogicalOperator = op == .bitAnd ? .and : (op == .bitOr ? .or : .xor)
            return Convert.wrap(try bridge { try TensorOps.logical(logical, tensor, o) })
        case .floorDiv, .mod, .lshift, .rshift:
            return nil
        }
        if let o = Convert.tensorOrNil(other) {
            return Convert.wrap(try bridge {
                reflected ? try TensorOps.binary(engineOp, o, tensor) : try TensorOps.binary(engineOp, tensor, o)
            })
        }
        guard let x = Convert.number(other) else { return nil }
        return Convert.wrap(try bridge {
            reflected ? try TensorOps.arithmetic(engineOp, scalar: x, tensor) : try TensorOps.arithmetic(engineOp, tensor, scalar: x)
        })
    }

    func unaryOperation(_ op: UnaryOperator, context: NativeContext) throws -> Value? {
        switch op {
        case .minus: return Convert.wrap(try bridge { try TensorOps.neg(tensor) })
        case .plus: return .native(self)
        case .invert: return Convert.wrap(try bridge { try TensorOps.logicalNot(tensor) })
        case .not: return nil
        }
    }

    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? {
        let engineOp: ComparisonOperator
        switch op {
        case .eq: engineOp = .equal
        case .ne: engineOp = .notEqual
        case .lt: engineOp = .less
        case .le: engineOp = .lessEqual
        case .gt: engineOp = .greater
        case .ge: engineOp = .greaterEqual
        default: return nil
        }
        if let o = Convert.tensorOrNil(other) { return Convert.wrap(try bridge { try TensorOps.compare(engineOp, tensor, o) }) }
        if let x = Convert.number(other) { return Convert.wrap(try bridge { try TensorOps.compare(engineOp, tensor, scalar: x) }) }
        return nil
    }

    // MARK: Attributes

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "shape": return SizeObject.value(tensor.shape)
        case "dtype": return .native(DTypeObject(tensor.dtype))
        case "device": return .native(DeviceObject(tensor.device))
        case "ndim": return .int(tensor.rank)
        case "is_mlu": return .bool(tensor.device.isMLU)
        case "requires_grad": return .bool(false)
        case "grad": return Value.none
        case "data": return .native(TensorObject(tensor))
        case "__float__", "__int__":
            let t = tensor
            return .builtin(BuiltinFunction(name) { _ in
                guard t.count == 1 else {
                    throw ScriptError.typeError("only one element tensors can be converted to Python scalars")
                }
                let x = try bridge { try t.item() }
                if name == "__int__" {
                    guard x.isFinite else { throw ScriptError.valueError("cannot convert float \(x) to integer") }
                    return .int(Int(x.rounded(.towardZero)))
                }
                return .float(x)
            })
        case "T":
            return Convert.wrap(try bridge { try TensorOps.permute(tensor, Array((0..<tensor.rank).reversed())) })
        default:
            return TensorMethods.method(name, of: self)
        }
    }

    func attributeNames() -> [String] {
        ["shape", "dtype", "device", "ndim", "T", "data", "requires_grad"] + TensorMethods.names
    }
}

extension TensorOps {
    /// Tensor-tensor arithmetic by operator.
    static func binary(_ op: Tensors.BinaryOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        switch op {
        case .add: return try add(a, b)
        case .sub: return try sub(a, b)
        case .mul: return try mul(a, b)
        case .div: return try div(a, b)
        case .pow: return try pow(a, b)
        case .maximum: return try maximum(a, b)
        case .minimum: return try minimum(a, b)
        }
    }
}

/// `torch.Size`: a tuple of ints that prints as `torch.Size([1, 3, 480, 480])`.
final class SizeObject: NativeObject {
    let dims: [Int]
    init(_ dims: [Int]) { self.dims = dims }

    static func value(_ dims: [Int]) -> Value { .native(SizeObject(dims)) }

    var typeName: String { "Size" }
    func repr(context: NativeContext) throws -> String { "torch.Size([\(dims.map(String.init).joined(separator: ", "))])" }
    func length(context: NativeContext) throws -> Int { dims.count }
    func makeIterator(context: NativeContext) throws -> ValueIterator { ValueIterator(dims.map { .int($0) }) }
    func getItem(_ key: Value, context: NativeContext) throws -> Value {
        let tuple = Value.tuple(dims.map { .int($0) })
        return try context.interpreter.getItem(tuple, key)
    }
    func isEqual(to other: NativeObject) -> Bool { (other as? SizeObject)?.dims == dims }
    func hash(into hasher: inout Hasher) { hasher.combine(dims) }
    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? {
        var otherDims: [Int]?
        if case .native(let n) = other, let s = n as? SizeObject { otherDims = s.dims }
        if case .tuple(let items) = other { otherDims = items.compactMap { if case .int(let i) = $0 { return i } else { return nil } } }
        if case .list(let l) = other { otherDims = l.items.compactMap { if case .int(let i) = $0 { return i } else { return nil } } }
        switch op {
        case .eq: return .bool(otherDims == dims)
        case .ne: return .bool(otherDims != dims)
        default: return nil
        }
    }
    func binaryOperation(_ op: BinaryOperator, _ other: Value, reflected: Bool, context: NativeContext) throws -> Value? {
        guard op == .add, case .tuple(let items) = other else { return nil }
        let mine = dims.map { Value.int($0) }
        return .tuple(reflected ? items + mine : mine + items)
    }
    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "numel": return .builtin(BuiltinFunction("numel") { [dims] _ in .int(dims.reduce(1, *)) })
        default: return nil
        }
    }
}
