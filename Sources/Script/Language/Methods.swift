/// Methods and attributes of built-in values (`"a,b".split(",")`, `xs.append(1)`, `d.items()`).
extension Interpreter {
    static let stringMethods = ["capitalize", "casefold", "center", "count", "endswith", "expandtabs", "find", "format",
        "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal", "isdigit", "isidentifier", "islower",
        "isnumeric", "isprintable", "isspace", "istitle", "isupper", "join", "ljust", "lower", "lstrip", "partition",
        "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip", "split",
        "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill"]
    static let listMethods = ["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"]
    static let dictMethods = ["clear", "copy", "fromkeys", "get", "items", "keys", "pop", "popitem", "setdefault", "update", "values"]
    static let setMethods = ["add", "clear", "copy", "difference", "difference_update", "discard", "intersection",
        "intersection_update", "isdisjoint", "issubset", "issuperset", "pop", "remove", "symmetric_difference", "union", "update"]

    func builtinMethodNames(_ v: Value) -> [String] {
        switch v {
        case .str: return Interpreter.stringMethods
        case .list: return Interpreter.listMethods
        case .dict: return Interpreter.dictMethods
        case .set: return Interpreter.setMethods
        case .tuple: return ["count", "index"]
        case .int, .bool: return ["bit_length", "conjugate", "denominator", "imag", "numerator", "real"]
        case .float: return ["conjugate", "imag", "is_integer", "real"]
        case .range: return ["count", "index", "start", "step", "stop"]
        case .slice: return ["indices", "start", "step", "stop"]
        default: return []
        }
    }

    private func method(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
        .builtin(BuiltinFunction(name, body))
    }

    func builtinMethod(_ v: Value, _ name: String) throws -> Value? {
        switch v {
        case .str(let s): return stringMethod(s, name)
        case .list(let l): return listMethod(l, name)
        case .dict(let d): return dictMethod(d, name)
        case .set(let s): return setMethod(s, name)
        case .tuple(let t):
            switch name {
            case "count": return method("count") { a in try a.check(max: 1, min: 1); return .int(try t.filter { try a.interpreter.equals($0, a.positional[0]) }.count) }
            case "index": return method("index") { a in
                try a.check(max: 3, min: 1)
                for (i, x) in t.enumerated() where try a.interpreter.equals(x, a.positional[0]) { return .int(i) }
                throw ScriptError.valueError("tuple.index(x): x not in tuple")
            }
            default: return nil
            }
        case .int(let i):
            switch name {
            case "bit_length": return method("bit_length") { _ in .int(i == 0 ? 0 : Int.bitWidth - i.magnitude.leadingZeroBitCount) }
            case "real", "numerator": return .int(i)
            case "imag": return .int(0)
            case "denominator": return .int(1)
            case "conjugate": return method("conjugate") { _ in .int(i) }
            default: return nil
            }
        case .bool(let b): return try builtinMethod(.int(b ? 1 : 0), name)
        case .float(let d):
            switch name {
            case "is_integer": return method("is_integer") { _ in .bool(d.isFinite && d == d.rounded()) }
            case "real": return .float(d)
            case "imag": return .float(0)
            case "conjugate": return method("conjugate") { _ in .float(d) }
            default: return nil
            }
        case .range(let a, let b, let c):
            switch name {
            case "start": return .int(a)
            case "stop": return .int(b)
            case "step": return .int(c)
            case "index": return method("index") { args in
                try args.check(max: 1, min: 1)
                guard try args.interpreter.contains(v, args.positional[0]), case .int(let x)? = args.positional[0].asInt else {
                    throw ScriptError.valueError("\(try args.interpreter.repr(args.positional[0])) is not in range")
                }
                return .int((x - a) / c)
            }
            case "count": return method("count") { args in .int(try args.interpreter.contains(v, try args.required(0, "x")) ? 1 : 0) }
            default: return nil
            }
        case .slice(let a, let b, let c):
            switch name {
            case "start": return a
            case "stop": return b
            case "step": return c
            case "indices": return method("indices") { args in
                let n = try args.int(0, "length")
                let (x, y, z) = try args.interpreter.sliceIndices(a, b, c, count: n)
                return .tuple([.int(x), .int(y), .int(z)])
            }
            default: return nil
            }
        default:
            return nil
        }
    }

    // MARK: list

    private func listMethod(_ l: ListObject, _ name: String) -> Value? {
        switch name {
        case "append": return method("append") { a in
            try a.check(max: 1, min: 1)
            try a.interpreter.checkLength(l.items.count + 1)
            l.items.append(a.positional[0])
            return .none
        }
        case "extend": return method("extend") { a in
            try a.check(max: 1, min: 1)
            let more = try a.interpreter.collect(a.positional[0])
            try a.interpreter.checkLength(l.items.count + more.count)
            l.items += more
            return .none
        }
        case "insert": return method("insert") { a in
            try a.check(max: 2, min: 2)
            var i = try a.int(0, "index")
            let n = l.items.count
            if i < 0 { i = max(0, i + n) }
            l.items.insert(a.positional[1], at: min(i, n))
            return .none
        }
        case "remove": return method("remove") { a in
            try a.check(max: 1, min: 1)
            for (i, x) in l.items.enumerated() where try a.interpreter.equals(x, a.positional[0]) {
                l.items.remove(at: i)
                return .none
            }
            throw ScriptError.valueError("list.remove(x): x not in list")
        }
        case "pop": return method("pop") { a in
            try a.check(max: 1)
            if l.items.isEmpty { throw ScriptError.indexError("pop from empty list") }
            var i = try a.int(0, "index", default: -1)
            if i < 0 { i += l.items.count }
            guard i >= 0 && i < l.items.count else { throw ScriptError.indexError("pop index out of range") }
            return l.items.remove(at: i)
        }
        case "clear": return method("clear") { _ in l.items.removeAll(); return .none }
        case "copy": return method("copy") { _ in .list(ListObject(l.items)) }
        case "count": return method("count") { a in
            try a.check(max: 1, min: 1)
            return .int(try l.items.filter { try a.interpreter.equals($0, a.positional[0]) }.count)
        }
        case "index": return method("index") { a in
            try a.check(max: 3, min: 1)
            let n = l.items.count
            var start = try a.int(1, "start", default: 0)
            var stop = try a.int(2, "stop", default: n)
            if start < 0 { start = max(0, start + n) }
            if stop < 0 { stop = max(0, stop + n) }
            var i = start
            while i < min(stop, l.items.count) {
                if try a.interpreter.equals(l.items[i], a.positional[0]) { return .int(i) }
                i += 1
            }
            throw ScriptError.valueError("\(try a.interpreter.repr(a.positional[0])) is not in list")
        }
        case "reverse": return method("reverse") { _ in l.items.reverse(); return .none }
        case "sort": return method("sort") { a in
            try a.check(max: 0, allowedKeywords: ["key", "reverse"])
            l.items = try a.interpreter.sortValues(l.items, key: a.keyword("key"), reverse: try a.bool(-1, "reverse", default: false))
            return .none
        }
        default: return nil
        }
    }

    /// Stable sort with an optional key function, like `sorted`.
    func sortValues(_ items: [Value], key: Value?, reverse: Bool) throws -> [Value] {
        var keyed: [(Value, Value)] = []
        keyed.reserveCapacity(items.count)
        for x in items {
            if let key, !key.isNone { keyed.append((try callValue(key, [x], []), x)) } else { keyed.append((x, x)) }
        }
        // Merge sort: stable, and tolerant of comparison errors (thrown out).
        func mergeSort(_ a: inout [(Value, Value)]) throws {
            if a.count < 2 { return }
            var buffer = a
            var width = 1
            while width < a.count {
                var i = 0
                while i < a.count {
                    let mid = min(i + width, a.count)
                    let hi = min(i + 2 * width, a.count)
                    var l = i, r = mid, k = i
                    while l < mid && r < hi {
                        let takeRight = reverse ? try lessThan(a[l].0, a[r].0) : try lessThan(a[r].0, a[l].0)
                        if takeRight { buffer[k] = a[r]; r += 1 } else { buffer[k] = a[l]; l += 1 }
                        k += 1
                    }
                    while l < mid { buffer[k] = a[l]; l += 1; k += 1 }
                    while r < hi { buffer[k] = a[r]; r += 1; k += 1 }
                    i += 2 * width
                }
                swap(&a, &buffer)
                width *= 2
                try tick()
            }
        }
        try mergeSort(&keyed)
        return keyed.map(\.1)
    }

    // MARK: dict

    private func dictMethod(_ d: DictObject, _ name: String) -> Value? {
        switch name {
        case "keys": return method("keys") { _ in .native(DictView(d, .keys)) }
        case "values": return method("values") { _ in .native(DictView(d, .values)) }
        case "items": return method("items") { _ in .native(DictView(d, .items)) }
        case "get": return method("get") { a in
            try a.check(max: 2, min: 1)
            return try d.get(a.positional[0]) ?? (a.value(1) ?? Value.none)
        }
        case "pop": return method("pop") { a in
            try a.check(max: 2, min: 1)
            if let v = try d.remove(a.positional[0]) { return v }
            if let def = a.value(1) { return def }
            throw ScriptError.keyError(a.positional[0])
        }
        case "popitem": return method("popitem") { _ in
            guard let k = d.keys.last else { throw ScriptError.keyError(.str("popitem(): dictionary is empty")) }
            let v = try d.remove(k) ?? Value.none
            return .tuple([k, v])
        }
        case "setdefault": return method("setdefault") { a in
            try a.check(max: 2, min: 1)
            if let v = try d.get(a.positional[0]) { return v }
            let v = a.value(1) ?? Value.none
            try d.set(a.positional[0], v)
            return v
        }
        case "update": return method("update") { a in
            try a.check(max: 1, allowedKeywords: a.keywords.map(\.0))
            if let other = a.positional.first {
                if case .dict = other {
                    for (k, v) in try a.interpreter.mappingItems(other) { try d.set(k, v) }
                } else if other.isObject, try a.interpreter.findAttribute(other, "keys") != nil {
                    for (k, v) in try a.interpreter.mappingItems(other) { try d.set(k, v) }
                } else {
                    for item in try a.interpreter.collect(other) {
                        let pair = try a.interpreter.collect(item)
                        guard pair.count == 2 else { throw ScriptError.valueError("dictionary update sequence element has length \(pair.count); 2 is required") }
                        try d.set(pair[0], pair[1])
                    }
                }
            }
            for (k, v) in a.keywords { try d.set(.str(k), v) }
            return .none
        }
        case "clear": return method("clear") { _ in d.removeAll(); return .none }
        case "copy": return method("copy") { _ in .dict(d.copy()) }
        case "fromkeys": return method("fromkeys") { a in
            try a.check(max: 2, min: 1)
            let out = DictObject()
            for k in try a.interpreter.collect(a.positional[0]) { try out.set(k, a.value(1) ?? Value.none) }
            return .dict(out)
        }
        default: return nil
        }
    }

    // MARK: set

    private func setMethod(_ s: SetObject, _ name: String) -> Value? {
        func others(_ a: Arguments) throws -> [SetObject] {
            try a.positional.map { v in
                if case .set(let o) = v { return o }
                return try SetObject(try a.interpreter.collect(v))
            }
        }
        switch name {
        case "add": return method("add") { a in try a.check(max: 1, min: 1); try s.insert(a.positional[0]); return .none }
        case "remove": return method("remove") { a in
            try a.check(max: 1, min: 1)
            if !(try s.remove(a.positional[0])) { throw ScriptError.keyError(a.positional[0]) }
            return .none
        }
        case "discard": return method("discard") { a in try a.check(max: 1, min: 1); try s.remove(a.positional[0]); return .none }
        case "pop": return method("pop") { _ in
            guard let first = s.elements.first else { throw ScriptError.keyError(.str("pop from an empty set")) }
            try s.remove(first)
            return first
        }
        case "clear": return method("clear") { _ in s.storage.removeAll(); return .none }
        case "copy": return method("copy") { _ in .set(try SetObject(s.storage.keys)) }
        case "union", "intersection", "difference", "symmetric_difference":
            let op: BinaryOperator = name == "union" ? .bitOr : (name == "intersection" ? .bitAnd : (name == "difference" ? .sub : .bitXor))
            return method(name) { a in
                var result: Value = .set(try SetObject(s.storage.keys))
                for o in try others(a) { result = try a.interpreter.binaryOperation(op, result, .set(o)) }
                return result
            }
        case "update", "intersection_update", "difference_update":
            let op: BinaryOperator = name == "update" ? .bitOr : (name == "intersection_update" ? .bitAnd : .sub)
            return method(name) { a in
                for o in try others(a) { _ = try a.interpreter.inplaceOperation(op, .set(s), .set(o)) }
                return .none
            }
        case "issubset": return method("issubset") { a in
            let o = try others(a)
            guard let first = o.first else { throw ScriptError.typeError("issubset() takes exactly one argument") }
            return .bool(try s.storage.keys.allSatisfy { try first.contains($0) })
        }
        case "issuperset": return method("issuperset") { a in
            let o = try others(a)
            guard let first = o.first else { throw ScriptError.typeError("issuperset() takes exactly one argument") }
            return .bool(try first.storage.keys.allSatisfy { try s.contains($0) })
        }
        case "isdisjoint": return method("isdisjoint") { a in
            let o = try others(a)
            guard let first = o.first else { throw ScriptError.typeError("isdisjoint() takes exactly one argument") }
            return .bool(try !s.storage.keys.contains { try first.contains($0) })
        }
        default: return nil
        }
    }
}
