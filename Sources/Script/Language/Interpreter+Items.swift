extension Interpreter {
    // MARK: indexing

    func index(_ v: Value, _ what: String) throws -> Int {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__index__"), case .int(let i) = try callValue(f, [v], []) { return i }
        default: break
        }
        throw ScriptError.typeError("\(what) indices must be integers or slices, not \(typeName(v))")
    }

    private func normalize(_ i: Int, count: Int, _ what: String) throws -> Int {
        let k = i < 0 ? i + count : i
        guard k >= 0 && k < count else { throw ScriptError.indexError("\(what) index out of range") }
        return k
    }

    /// Resolves a slice against a sequence length: Python's `slice.indices`.
    func sliceIndices(_ lo: Value, _ hi: Value, _ st: Value, count: Int) throws -> (Int, Int, Int) {
        func bound(_ v: Value) throws -> Int? {
            if case .none = v { return nil }
            switch v {
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            case .instance:
                return try index(v, "slice")
            default:
                throw ScriptError.typeError("slice indices must be integers or None or have an __index__ method")
            }
        }
        let step = try bound(st) ?? 1
        if step == 0 { throw ScriptError.valueError("slice step cannot be zero") }
        func adjust(_ v: Int?, _ def: Int) -> Int {
            guard var x = v else { return def }
            if x < 0 {
                x += count
                if x < 0 { x = step < 0 ? -1 : 0 }
            } else if x >= count {
                x = step < 0 ? count - 1 : count
            }
            return x
        }
        let start = adjust(try bound(lo), step < 0 ? count - 1 : 0)
        let stop = adjust(try bound(hi), step < 0 ? -1 : count)
        return (start, stop, step)
    }

    /// The indices a resolved slice visits (bounded by the sequence, overflow-safe).
    func sliceOffsets(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var out: [Int] = []
        var i = start
        while step > 0 ? i < stop : i > stop {
            out.append(i)
            let (n, o) = i.addingReportingOverflow(step)
            if o { break }
            i = n
        }
        return out
    }

    func sliceElements<T>(_ items: [T], _ lo: Value, _ hi: Value, _ st: Value) throws -> [T] {
        let (start, stop, step) = try sliceIndices(lo, hi, st, count: items.count)
        return sliceOffsets(start, stop, step).map { items[$0] }
    }

    /// `obj[key]`.
    public func getItem(_ obj: Value, _ key: Value) throws -> Value {
        switch obj {
        case .list(let l):
            if case .slice(let a, let b, let c) = key { return .list(ListObject(try sliceElements(l.items, a, b, c))) }
            return l.items[try normalize(try index(key, "list"), count: l.items.count, "list")]
        case .tuple(let t):
            if case .slice(let a, let b, let c) = key { return .tuple(try sliceElements(t, a, b, c)) }
            return t[try normalize(try index(key, "tuple"), count: t.count, "tuple")]
        case .str(let s):
            let scalars = Array(s.unicodeScalars)
            if case .slice(let a, let b, let c) = key {
                return .str(String(String.UnicodeScalarView(try sliceElements(scalars, a, b, c))))
            }
            return .str(String(scalars[try normalize(try index(key, "string"), count: scalars.count, "string")]))
        case .dict(let d):
            if let v = try d.get(key) { return v }
            throw ScriptError.keyError(key)
        case .range(let start, let stop, let step):
            let n = rangeLength(start, stop, step)
            if case .slice(let a, let b, let c) = key {
                let (s0, s1, s2) = try sliceIndices(a, b, c, count: n)
                let (a0, o0) = s0.multipliedReportingOverflow(by: step)
                let (a1, o1) = s1.multipliedReportingOverflow(by: step)
                let (st, o2) = step.multipliedReportingOverflow(by: s2)
                let (lo, o3) = start.addingReportingOverflow(a0)
                let (hi, o4) = start.addingReportingOverflow(a1)
                if o0 || o1 || o2 || o3 || o4 { throw ScriptError.overflowError("range slice does not fit in a 64-bit int") }
                return .range(start: lo, stop: hi, step: st)
            }
            let i = try normalize(try index(key, "range"), count: n, "range object")
            return .int(start + i * step)
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__getitem__") { return try callValue(f, [obj, key], []) }
            if let nb = inst.nativeBase { return try nb.getItem(key, context: context(obj)) }
        case .native(let n):
            return try n.getItem(key, context: context(obj))
        case .cls(let c):
            if c.constructor != nil { return obj }
            if let (f, _) = c.lookup("__class_getitem__") { return try callValue(f, [key], []) }
            throw ScriptError.typeError("type '\(c.name)' is not subscriptable")
        default: break
        }
        throw ScriptError.typeError("'\(typeName(obj))' object is not subscriptable")
    }

    /// `obj[key] = value`.
    public func setItem(_ obj: Value, _ key: Value, _ value: Value) throws {
        switch obj {
        case .list(let l):
            if case .slice(let a, let b, let c) = key {
                let newItems = try collect(value)
                let (start, stop, step) = try sliceIndices(a, b, c, count: l.items.count)
                if step == 1 {
                    let hi = max(start, stop)
                    l.items.replaceSubrange(start..<hi, with: newItems)
                } else {
                    let idx = sliceOffsets(start, stop, step)
                    guard idx.count == newItems.count else {
                        throw ScriptError.valueError("attempt to assign sequence of size \(newItems.count) to extended slice of size \(idx.count)")
                    }
                    for (k, j) in idx.enumerated() { l.items[j] = newItems[k] }
                }
                return
            }
            let i = try index(key, "list")
            let k = i < 0 ? i + l.items.count : i
            guard k >= 0 && k < l.items.count else { throw ScriptError.indexError("list assignment index out of range") }
            l.items[k] = value
        case .dict(let d):
            try d.set(key, value)
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__setitem__") {
                _ = try callValue(f, [obj, key, value], [])
                return
            }
            if let nb = inst.nativeBase { return try nb.setItem(key, to: value, context: context(obj)) }
            throw ScriptError.typeError("'\(inst.cls.name)' object does not support item assignment")
        case .native(let n):
            try n.setItem(key, to: value, context: context(obj))
        default:
            throw ScriptError.typeError("'\(typeName(obj))' object does not support item assignment")
        }
    }

    /// `del obj[key]`.
    func deleteItem(_ obj: Value, _ key: Value) throws {
        switch obj {
        case .list(let l):
            if case .slice(let a, let b, let c) = key {
                let (start, stop, step) = try sliceIndices(a, b, c, count: l.items.count)
                let remove = Set(sliceOffsets(start, stop, step))
                l.items = l.items.enumerated().filter { !remove.contains($0.offset) }.map(\.element)
                return
            }
            let i = try index(key, "list")
            let k = i < 0 ? i + l.items.count : i
            guard k >= 0 && k < l.items.count else { throw ScriptError.indexError("list assignment index out of range") }
            l.items.remove(at: k)
        case .dict(let d):
            if try d.remove(key) == nil { throw ScriptError.keyError(key) }
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__delitem__") {
                _ = try callValue(f, [obj, key], [])
                return
            }
            throw ScriptError.typeError("'\(inst.cls.name)' object doesn't support item deletion")
        default:
            throw ScriptError.typeError("'\(typeName(obj))' object doesn't support item deletion")
        }
    }

    // MARK: iteration

    /// Python's iteration protocol; every step counts against the step budget.
    public func iterate(_ v: Value) throws -> ValueIterator {
        var inner = try rawIterator(v)
        return ValueIterator { [unowned self] in
            try self.tick()
            return try inner.next()
        }
    }

    private func rawIterator(_ v: Value) throws -> ValueIterator {
        switch v {
        case .list(let l):
            var i = 0
            return ValueIterator {
                guard i < l.items.count else { return nil }
                defer { i += 1 }
                return l.items[i]
            }
        case .tuple(let t): return ValueIterator(t)
        case .str(let s): return ValueIterator(s.unicodeScalars.map { Value.str(String($0)) })
        case .dict(let d):
            let count = d.count
            var i = 0
            return ValueIterator {
                guard d.count == count else { throw ScriptError.runtimeError("dictionary changed size during iteration") }
                guard i < d.count else { return nil }
                defer { i += 1 }
                return d.keys[i]
            }
        case .set(let s): return ValueIterator(s.elements)
        case .range(let start, let stop, let step):
            var cur = start
            return ValueIterator {
                if step > 0 ? cur >= stop : cur <= stop { return nil }
                defer {
                    let (n, o) = cur.addingReportingOverflow(step)
                    cur = o ? stop : n
                }
                return .int(cur)
            }
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__iter__") {
                let it = try callValue(f, [v], [])
                if case .instance(let itInst) = it {
                    guard let (next, _) = itInst.cls.lookup("__next__") else {
                        throw ScriptError.typeError("iter() returned non-iterator of type '\(itInst.cls.name)'")
                    }
                    return ValueIterator { [unowned self] in
                        do {
                            return try self.callValue(next, [it], [])
                        } catch let e as ScriptError where e.exception.cls.isSubclass(of: ExceptionTypes.stopIteration) {
                            return nil
                        }
                    }
                }
                return try rawIterator(it)
            }
            if let (f, _) = inst.cls.lookup("__getitem__") {
                var i = 0
                return ValueIterator { [unowned self] in
                    do {
                        defer { i += 1 }
                        return try self.callValue(f, [v, .int(i)], [])
                    } catch let e as ScriptError where e.exception.cls.isSubclass(of: ExceptionTypes.indexError)
                                || e.exception.cls.isSubclass(of: ExceptionTypes.stopIteration) {
                        return nil
                    }
                }
            }
            if let nb = inst.nativeBase { return try nb.makeIterator(context: context(v)) }
        case .native(let n):
            return try n.makeIterator(context: context(v))
        default: break
        }
        throw ScriptError.typeError("'\(typeName(v))' object is not iterable")
    }

    /// All elements of an iterable.
    public func collect(_ v: Value) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .range(let a, let b, let c):
            let n = rangeLength(a, b, c)
            try checkLength(n)
            steps &+= n
            try tick()
            var out: [Value] = []
            out.reserveCapacity(n)
            var x = a
            for _ in 0..<n { out.append(.int(x)); x &+= c }
            return out
        default:
            var out: [Value] = []
            var it = try iterate(v)
            while let x = try it.next() {
                out.append(x)
                if out.count > maxSequenceLength { try checkLength(out.count) }
            }
            return out
        }
    }

    /// Key/value pairs of a mapping (dict, or an object with `keys()` and `__getitem__`).
    func mappingItems(_ v: Value) throws -> [(Value, Value)] {
        if case .dict(let d) = v { return Array(zip(d.keys, d.values)) }
        guard let keysMethod = try findAttribute(v, "keys") else {
            throw ScriptError.typeError("'\(typeName(v))' object is not a mapping")
        }
        var out: [(Value, Value)] = []
        for k in try collect(try callValue(keysMethod, [], [])) {
            out.append((k, try getItem(v, k)))
        }
        return out
    }

    /// `len(v)`.
    public func length(_ v: Value) throws -> Int {
        switch v {
        case .str(let s): return s.unicodeScalars.count
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .set(let s): return s.count
        case .range(let a, let b, let c): return rangeLength(a, b, c)
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__len__") {
                let r = try callValue(f, [v], [])
                guard case .int(let n) = r else {
                    throw ScriptError.typeError("'\(typeName(r))' object cannot be interpreted as an integer")
                }
                if n < 0 { throw ScriptError.valueError("__len__() should return >= 0") }
                return n
            }
            if let nb = inst.nativeBase { return try nb.length(context: context(v)) }
        case .native(let n):
            return try n.length(context: context(v))
        default: break
        }
        throw ScriptError.typeError("object of type '\(typeName(v))' has no len()")
    }

    // MARK: types

    /// The Python type name of a value (`int`, `list`, `Net`, `Tensor`).
    public func typeName(_ v: Value) -> String {
        switch v {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .str: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .set: return "set"
        case .range: return "range"
        case .slice: return "slice"
        case .ellipsis: return "ellipsis"
        case .function: return "function"
        case .builtin: return "builtin_function_or_method"
        case .boundMethod: return "method"
        case .cls: return "type"
        case .instance(let i): return i.cls.name
        case .module: return "module"
        case .native(let n): return n.typeName
        }
    }

    /// `type(v)`.
    public func classOf(_ v: Value) -> ClassObject {
        switch v {
        case .none: return BuiltinTypes.noneType
        case .bool: return BuiltinTypes.bool
        case .int: return BuiltinTypes.int
        case .float: return BuiltinTypes.float
        case .str: return BuiltinTypes.str
        case .list: return BuiltinTypes.list
        case .tuple: return BuiltinTypes.tuple
        case .dict: return BuiltinTypes.dict
        case .set: return BuiltinTypes.set
        case .range: return BuiltinTypes.range
        case .slice: return BuiltinTypes.slice
        case .ellipsis: return BuiltinTypes.ellipsis
        case .function: return BuiltinTypes.function
        case .builtin: return BuiltinTypes.builtinFunction
        case .boundMethod: return BuiltinTypes.method
        case .cls: return BuiltinTypes.type
        case .instance(let i): return i.cls
        case .module: return BuiltinTypes.module
        case .native(let n):
            if let c = n.scriptClass { return c }
            return nativeTypeCache(n.typeName)
        }
    }

    private func nativeTypeCache(_ name: String) -> ClassObject {
        if case .cls(let c)? = builtins["\u{0}type:" + name] { return c }
        let c = ClassObject(builtinType: name, base: BuiltinTypes.object, constructor: nil)
        builtins["\u{0}type:" + name] = .cls(c)
        return c
    }

    /// `isinstance(v, cls)`.
    public func isInstance(_ v: Value, _ cls: ClassObject) -> Bool {
        if cls === BuiltinTypes.object { return true }
        if case .native(let n) = v, let spec = cls.native { return spec.matches(n) }
        if case .instance(let inst) = v, let nb = inst.nativeBase, let spec = cls.native, spec.matches(nb) { return true }
        return classOf(v).isSubclass(of: cls)
    }
}
