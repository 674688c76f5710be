import Glibc

extension Interpreter {
    // MARK: arithmetic

    func unaryOperation(_ op: UnaryOperator, _ v: Value) throws -> Value {
        if op == .not { return .bool(!(try truthy(v))) }
        switch (op, v) {
        case (.minus, .int(let i)):
            if i == Int.min { throw ScriptError.overflowError("integer overflow: -\(i) does not fit in 64 bits") }
            return .int(-i)
        case (.minus, .bool(let b)): return .int(b ? -1 : 0)
        case (.minus, .float(let d)): return .float(-d)
        case (.plus, .int), (.plus, .float): return v
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(~(b ? 1 : 0))
        case (_, .instance(let inst)):
            let name = op == .minus ? "__neg__" : (op == .plus ? "__pos__" : "__invert__")
            if let (f, _) = inst.cls.lookup(name) { return try callValue(f, [v], []) }
            if let nb = inst.nativeBase, let r = try nb.unaryOperation(op, context: context(v)) { return r }
        case (_, .native(let n)):
            if let r = try n.unaryOperation(op, context: context(v)) { return r }
        default: break
        }
        throw ScriptError.typeError("bad operand type for unary \(op.rawValue): '\(typeName(v))'")
    }

    func binaryOperation(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        if let r = try plainBinary(op, a, b) { return r }
        if let r = try objectBinary(op, a, b) { return r }
        throw ScriptError.typeError("unsupported operand type(s) for \(op.rawValue): '\(typeName(a))' and '\(typeName(b))'")
    }

    /// `a op= b`: in place for lists and objects with `__iop__`, else the plain operation.
    func inplaceOperation(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value {
        switch a {
        case .list(let l) where op == .add:
            let extra = try collect(b)
            try checkLength(l.items.count + extra.count)
            l.items += extra
            return a
        case .list(let l) where op == .mul:
            guard case .int(let n) = b else { break }
            try checkLength(size(l.items.count, max(n, 0)))
            l.items = n > 0 ? Array([[Value]](repeating: l.items, count: n).joined()) : []
            return a
        case .set(let s) where op == .bitOr || op == .bitAnd || op == .sub || op == .bitXor:
            guard case .set = b else { break }
            guard case .set(let r) = try binaryOperation(op, a, b) else { break }
            s.storage.removeAll()
            for e in r.storage.keys { try s.insert(e) }
            return a
        case .dict(let d) where op == .bitOr:
            for (k, v) in try mappingItems(b) { try d.set(k, v) }
            return a
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup(op.inplaceDunder) {
                let r = try callValue(f, [a, b], [])
                if !isNotImplemented(r) { return r }
            }
        default: break
        }
        return try binaryOperation(op, a, b)
    }

    func isNotImplemented(_ v: Value) -> Bool {
        if case .native(let n) = v { return n === NotImplementedObject.shared }
        return false
    }

    private func objectBinary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value? {
        if case .instance(let inst) = a, let (f, _) = inst.cls.lookup(op.dunder) {
            let r = try callValue(f, [a, b], [])
            if !isNotImplemented(r) { return r }
        }
        if case .native(let n) = a, let r = try n.binaryOperation(op, b, reflected: false, context: context(a)) { return r }
        if case .instance(let inst) = a, let nb = inst.nativeBase, let r = try nb.binaryOperation(op, b, reflected: false, context: context(a)) { return r }
        if case .instance(let inst) = b, let (f, _) = inst.cls.lookup(op.reflectedDunder) {
            let r = try callValue(f, [b, a], [])
            if !isNotImplemented(r) { return r }
        }
        if case .native(let n) = b, let r = try n.binaryOperation(op, a, reflected: true, context: context(b)) { return r }
        if case .instance(let inst) = b, let nb = inst.nativeBase, let r = try nb.binaryOperation(op, a, reflected: true, context: context(b)) { return r }
        return nil
    }

    /// `a * b` for sizes, saturating instead of trapping (then rejected by `checkLength`).
    func size(_ a: Int, _ b: Int) -> Int {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? Int.max : r
    }

    func checkLength(_ n: Int) throws {
        if n > maxSequenceLength || n < 0 {
            throw ScriptError.memoryError("result of \(n) elements exceeds the mlus limit of \(maxSequenceLength)")
        }
    }

    private func repeatCount(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    private func plainBinary(_ op: BinaryOperator, _ a: Value, _ b: Value) throws -> Value? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return try intBinary(op, x, y)
        case (.float, .float), (.float, .int), (.int, .float), (.float, .bool), (.bool, .float):
            guard let x = a.asDouble, let y = b.asDouble else { return nil }
            return try floatBinary(op, x, y)
        case (.bool(let x), .bool(let y)):
            switch op {
            case .bitAnd: return .bool(x && y)
            case .bitOr: return .bool(x || y)
            case .bitXor: return .bool(x != y)
            default: return try intBinary(op, x ? 1 : 0, y ? 1 : 0)
            }
        case (.bool, .int), (.int, .bool):
            guard case .int(let x)? = a.asInt, case .int(let y)? = b.asInt else { return nil }
            return try intBinary(op, x, y)
        case (.str(let x), .str(let y)) where op == .add:
            try checkLength(x.utf8.count &+ y.utf8.count)
            return .str(x + y)
        case (.str(let s), _) where op == .mul:
            guard let n = repeatCount(b) else { return nil }
            try checkLength(size(s.utf8.count, max(n, 0)))
            return .str(n > 0 ? String(repeating: s, count: n) : "")
        case (_, .str(let s)) where op == .mul:
            guard let n = repeatCount(a) else { return nil }
            try checkLength(size(s.utf8.count, max(n, 0)))
            return .str(n > 0 ? String(repeating: s, count: n) : "")
        case (.str(let s), _) where op == .mod:
            if case .instance = b, let r = try objectBinary(op, a, b) { return r }
            return .str(try percentFormat(s, b))
        case (.list(let x), .list(let y)) where op == .add:
            try checkLength(x.items.count + y.items.count)
            return .list(ListObject(x.items + y.items))
        case (.tuple(let x), .tuple(let y)) where op == .add:
            try checkLength(x.count + y.count)
            return .tuple(x + y)
        case (.list(let l), _) where op == .mul:
            guard let n = repeatCount(b) else { return nil }
            return .list(ListObject(try repeated(l.items, n)))
        case (_, .list(let l)) where op == .mul:
            guard let n = repeatCount(a) else { return nil }
            return .list(ListObject(try repeated(l.items, n)))
        case (.tuple(let t), _) where op == .mul:
            guard let n = repeatCount(b) else { return nil }
            return .tuple(try repeated(t, n))
        case (_, .tuple(let t)) where op == .mul:
            guard let n = repeatCount(a) else { return nil }
            return .tuple(try repeated(t, n))
        case (.set(let x), .set(let y)):
            return try setBinary(op, x, y)
        case (.dict(let x), .dict(let y)) where op == .bitOr:
            let d = x.copy()
            for (k, v) in zip(y.keys, y.values) { try d.set(k, v) }
            return .dict(d)
        default:
            return nil
        }
    }

    private func repeated(_ items: [Value], _ n: Int) throws -> [Value] {
        guard n > 0, !items.isEmpty else { return [] }
        try checkLength(size(items.count, n))
        var out: [Value] = []
        out.reserveCapacity(items.count * n)
        for _ in 0..<n { out += items }
        return out
    }

    private func setBinary(_ op: BinaryOperator, _ x: SetObject, _ y: SetObject) throws -> Value? {
        let out = SetObject()
        switch op {
        case .bitOr:
            for e in x.storage.keys { try out.insert(e) }
            for e in y.storage.keys { try out.insert(e) }
        case .bitAnd:
            for e in x.storage.keys where try y.contains(e) { try out.insert(e) }
        case .sub:
            for e in x.storage.keys where !(try y.contains(e)) { try out.insert(e) }
        case .bitXor:
            for e in x.storage.keys where !(try y.contains(e)) { try out.insert(e) }
            for e in y.storage.keys where !(try x.contains(e)) { try out.insert(e) }
        default: return nil
        }
        return .set(out)
    }

    func intBinary(_ op: BinaryOperator, _ x: Int, _ y: Int) throws -> Value {
        func overflow() -> ScriptError {
            ScriptError.overflowError("integer overflow: \(x) \(op.rawValue) \(y) does not fit in a 64-bit int")
        }
        switch op {
        case .add:
            let (r, o) = x.addingReportingOverflow(y)
            if o { throw overflow() }
            return .int(r)
        case .sub:
            let (r, o) = x.subtractingReportingOverflow(y)
            if o { throw overflow() }
            return .int(r)
        case .mul:
            let (r, o) = x.multipliedReportingOverflow(by: y)
            if o { throw overflow() }
            return .int(r)
        case .div:
            if y == 0 { throw ScriptError.zeroDivisionError("division by zero") }
            return .float(Double(x) / Double(y))
        case .floorDiv:
            if y == 0 { throw ScriptError.zeroDivisionError("integer division or modulo by zero") }
            if x == Int.min && y == -1 { throw overflow() }
            var q = x / y
            if x % y != 0 && ((x < 0) != (y < 0)) { q -= 1 }
            return .int(q)
        case .mod:
            if y == 0 { throw ScriptError.zeroDivisionError("integer modulo by zero") }
            if y == -1 { return .int(0) }
            var r = x % y
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            return .int(r)
        case .pow:
            if y < 0 {
                if x == 0 { throw ScriptError.zeroDivisionError("0.0 cannot be raised to a negative power") }
                return .float(Glibc.pow(Double(x), Double(y)))
            }
            var result = 1
            var base = x
            var e = y
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    result = r
                }
                e >>= 1
                if e > 0 {
                    let (b2, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    base = b2
                }
            }
            return .int(result)
        case .lshift:
            if y < 0 { throw ScriptError.valueError("negative shift count") }
            if x == 0 { return .int(0) }
            if y >= 63 { throw overflow() }
            let r = x << y
            if r >> y != x { throw overflow() }
            return .int(r)
        case .rshift:
            if y < 0 { throw ScriptError.valueError("negative shift count") }
            return .int(y >= 64 ? (x < 0 ? -1 : 0) : x >> y)
        case .bitAnd: return .int(x & y)
        case .bitOr: return .int(x | y)
        case .bitXor: return .int(x ^ y)
        case .matmul:
            throw ScriptError.typeError("unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    func floatBinary(_ op: BinaryOperator, _ x: Double, _ y: Double) throws -> Value {
        switch op {
        case .add: return .float(x + y)
        case .sub: return .float(x - y)
        case .mul: return .float(x * y)
        case .div:
            if y == 0 { throw ScriptError.zeroDivisionError("float division by zero") }
            return .float(x / y)
        case .floorDiv:
            if y == 0 { throw ScriptError.zeroDivisionError("float floor division by zero") }
            return .float(pythonFloorDiv(x, y))
        case .mod:
            if y == 0 { throw ScriptError.zeroDivisionError("float modulo") }
            return .float(pythonFloatMod(x, y))
        case .pow:
            if x == 0 && y < 0 { throw ScriptError.zeroDivisionError("0.0 cannot be raised to a negative power") }
            if x < 0 && y != y.rounded() && y.isFinite {
                throw ScriptError.valueError("negative number cannot be raised to a fractional power (complex numbers are not supported in mlus)")
            }
            let r = Glibc.pow(x, y)
            if r.isInfinite && x.isFinite && y.isFinite { throw ScriptError.overflowError("(34, 'Numerical result out of range')") }
            return .float(r)
        default:
            throw ScriptError.typeError("unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    // MARK: comparison

    func compare(_ op: CompareOperator, _ a: Value, _ b: Value) throws -> Value {
        switch op {
        case .is: return .bool(identical(a, b))
        case .isNot: return .bool(!identical(a, b))
        case .in: return .bool(try contains(b, a))
        case .notIn: return .bool(!(try contains(b, a)))
        case .eq, .ne:
            if let r = try richCompare(op, a, b) { return r }
            let eq = try equals(a, b)
            return .bool(op == .eq ? eq : !eq)
        case .lt, .le, .gt, .ge:
            if let r = try richCompare(op, a, b) { return r }
            return .bool(try order(op, a, b))
        }
    }

    /// Dunder / native comparison hooks; nil when neither side handles `op`.
    private func richCompare(_ op: CompareOperator, _ a: Value, _ b: Value) throws -> Value? {
        guard let dunder = op.dunder else { return nil }
        if case .instance(let inst) = a, let (f, owner) = inst.cls.lookup(dunder), owner.constructor == nil || owner.native != nil {
            let r = try callValue(f, [a, b], [])
            if !isNotImplemented(r) { return r }
        }
        if case .native(let n) = a, let r = try n.compare(op, b, context: context(a)) { return r }
        if let swappedDunder = op.swapped.dunder {
            if case .instance(let inst) = b, let (f, _) = inst.cls.lookup(swappedDunder) {
                let r = try callValue(f, [b, a], [])
                if !isNotImplemented(r) { return r }
            }
            if case .native(let n) = b, let r = try n.compare(op.swapped, a, context: context(b)) { return r }
        }
        if op == .ne, case .instance(let inst) = a, let (f, _) = inst.cls.lookup("__eq__") {
            let r = try callValue(f, [a, b], [])
            if !isNotImplemented(r) { return .bool(!(try truthy(r))) }
        }
        return nil
    }

    func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none), (.ellipsis, .ellipsis): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
        case (.str(let x), .str(let y)): return x == y
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.set(let x), .set(let y)): return x === y
        case (.tuple(let x), .tuple(let y)): return x.isEmpty && y.isEmpty
        case (.function(let x), .function(let y)): return x === y
        case (.builtin(let x), .builtin(let y)): return x === y
        case (.cls(let x), .cls(let y)): return x === y
        case (.instance(let x), .instance(let y)): return x === y
        case (.module(let x), .module(let y)): return x === y
        case (.native(let x), .native(let y)): return x === y
        case (.boundMethod(let x), .boundMethod(let y)): return x === y
        default: return false
        }
    }

    /// Python `==`.
    public func equals(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)):
            if x === y { return true }
            return try sequenceEquals(x.items, y.items)
        case (.tuple(let x), .tuple(let y)):
            return try sequenceEquals(x, y)
        case (.dict(let x), .dict(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            for (k, v) in zip(x.keys, x.values) {
                guard let w = try y.get(k), try equals(v, w) else { return false }
            }
            return true
        case (.set(let x), .set(let y)):
            guard x.count == y.count else { return false }
            for e in x.storage.keys where !(try y.contains(e)) { return false }
            return true
        case (.slice(let a1, let b1, let c1), .slice(let a2, let b2, let c2)):
            return try equals(a1, a2) && equals(b1, b2) && equals(c1, c2)
        case (.instance, _), (_, .instance), (.native, _), (_, .native):
            if let r = try richCompare(.eq, a, b) { return try truthy(r) }
            if case .native(let n) = b, let d = n as? DefaultDict, case .dict = a { return try equals(a, .dict(d.storage)) }
            return identical(a, b)
        case (.boundMethod(let x), .boundMethod(let y)):
            return identical(x.receiver, y.receiver) && identical(x.function, y.function)
        default:
            return HashKey.equal(a, b)
        }
    }

    private func sequenceEquals(_ x: [Value], _ y: [Value]) throws -> Bool {
        guard x.count == y.count else { return false }
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > recursionLimit + 50 { throw ScriptError.recursionError() }
        for (p, q) in zip(x, y) where !identical(p, q) {
            if !(try equals(p, q)) { return false }
        }
        return true
    }

    /// Python `<`, `<=`, `>`, `>=` for built-in values.
    func order(_ op: CompareOperator, _ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.str(let x), .str(let y)):
            let c = compareStrings(x, y)
            return apply(op, c)
        case (.list(let x), .list(let y)):
            return try orderSequences(op, x.items, y.items)
        case (.tuple(let x), .tuple(let y)):
            return try orderSequences(op, x, y)
        case (.set(let x), .set(let y)):
            let xy = try x.storage.keys.allSatisfy { try y.contains($0) }
            let yx = try y.storage.keys.allSatisfy { try x.contains($0) }
            switch op {
            case .le: return xy
            case .lt: return xy && !yx
            case .ge: return yx
            default: return yx && !xy
            }
        default:
            if let x = a.numeric, let y = b.numeric {
                return apply(op, compareNumbers(x, y))
            }
            throw ScriptError.typeError("'\(op.rawValue)' not supported between instances of '\(typeName(a))' and '\(typeName(b))'")
        }
    }

    private func apply(_ op: CompareOperator, _ c: Int?) -> Bool {
        guard let c else { return false }
        switch op {
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        default: return c >= 0
        }
    }

    private func orderSequences(_ op: CompareOperator, _ x: [Value], _ y: [Value]) throws -> Bool {
        for (p, q) in zip(x, y) where !(try equals(p, q)) {
            return try truthy(try compare(op, p, q))
        }
        return apply(op, x.count < y.count ? -1 : (x.count > y.count ? 1 : 0))
    }

    /// Strict `a < b` used by sort, min and max.
    func lessThan(_ a: Value, _ b: Value) throws -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.str(let x), .str(let y)): return compareStrings(x, y) < 0
        default: return try truthy(try compare(.lt, a, b))
        }
    }

    // MARK: truth, containment, identity of types

    /// Python truthiness (`__bool__`, then `__len__`).
    public func truthy(_ v: Value) throws -> Bool {
        if let t = v.plainTruth { return t }
        switch v {
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__bool__") { return try truthy(try callValue(f, [v], [])) }
            if let (f, _) = inst.cls.lookup("__len__") { return try truthy(try callValue(f, [v], [])) }
            if let nb = inst.nativeBase { return try nb.isTruthy(context: context(v)) }
            return true
        case .native(let n):
            return try n.isTruthy(context: context(v))
        default:
            return true
        }
    }

    func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .str(let s):
            guard case .str(let sub) = item else {
                throw ScriptError.typeError("'in <string>' requires string as left operand, not \(typeName(item))")
            }
            return sub.isEmpty || s.contains(sub)
        case .list(let l):
            for v in l.items where try identical(v, item) || equals(v, item) { return true }
            return false
        case .tuple(let t):
            for v in t where try identical(v, item) || equals(v, item) { return true }
            return false
        case .dict(let d): return try d.get(item) != nil
        case .set(let s): return try s.contains(item)
        case .range(let start, let stop, let step):
            guard let n = item.numeric else { return false }
            guard case .int(let i) = n else {
                if case .float(let f) = n, f == f.rounded(), abs(f) < 9e18 { return try contains(container, .int(Int(f))) }
                return false
            }
            if step > 0 { if i < start || i >= stop { return false } } else if i > start || i <= stop { return false }
            let offset = UInt(bitPattern: i &- start) // i is between start and stop, so this is exact in magnitude
            return (step > 0 ? offset : (0 &- offset)) % step.magnitude == 0
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__contains__") { return try truthy(try callValue(f, [container, item], [])) }
            if let nb = inst.nativeBase { return try nb.contains(item, context: context(container)) }
        case .native(let n):
            return try n.contains(item, context: context(container))
        default: break
        }
        var it = try iterate(container)
        while let v = try it.next() {
            if try equals(v, item) { return true }
        }
        return false
    }
}

extension Value {
    var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .bool(let b): return b ? 1 : 0
        case .float(let d): return d
        default: return nil
        }
    }

    var asInt: Value? {
        switch self {
        case .int: return self
        case .bool(let b): return .int(b ? 1 : 0)
        default: return nil
        }
    }
}

/// -1/0/1 comparing numbers exactly (int vs float without rounding); nil when unordered (NaN).
func compareNumbers(_ x: Numeric, _ y: Numeric) -> Int? {
    switch (x, y) {
    case (.int(let a), .int(let b)): return a < b ? -1 : (a > b ? 1 : 0)
    case (.float(let a), .float(let b)):
        if a.isNaN || b.isNaN { return nil }
        return a < b ? -1 : (a > b ? 1 : 0)
    case (.int(let a), .float(let b)):
        if b.isNaN { return nil }
        if Numeric.int(a) == Numeric.float(b) { return 0 }
        return Double(a) < b ? -1 : (Double(a) > b ? 1 : (a < Int(exactly: b.rounded(.down)) ?? 0 ? -1 : 1))
    case (.float, .int):
        guard let r = compareNumbers(y, x) else { return nil }
        return -r
    }
}

/// Code-point order, as Python compares strings.
func compareStrings(_ a: String, _ b: String) -> Int {
    var i = a.unicodeScalars.makeIterator()
    var j = b.unicodeScalars.makeIterator()
    while true {
        switch (i.next(), j.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let x?, let y?):
            if x != y { return x.value < y.value ? -1 : 1 }
        }
    }
}

func pythonFloorDiv(_ x: Double, _ y: Double) -> Double {
    let mod = fmod(x, y)
    var div = (x - mod) / y
    if mod != 0 && ((y < 0) != (mod < 0)) { div -= 1 }
    if div != 0 {
        let floorDiv = div.rounded(.down)
        if div - floorDiv > 0.5 { return floorDiv + 1 }
        return floorDiv
    }
    return (x / y < 0) ? -0.0 : 0.0
}

func pythonFloatMod(_ x: Double, _ y: Double) -> Double {
    var mod = fmod(x, y)
    if mod != 0 {
        if (y < 0) != (mod < 0) { mod += y }
    } else {
        mod = y < 0 ? -0.0 : 0.0
    }
    return mod
}
