import Glibc

/// The built-in functions (`print`, `len`, `range`, ...).
extension Interpreter {
    func defineBuiltin(_ name: String, _ body: @escaping (Arguments) throws -> Value) {
        builtins[name] = .builtin(BuiltinFunction(name, body))
    }

    /// `object.__setattr__`, installed once per process (the built-in classes are shared).
    static let objectMethodsInstalled: Bool = {
        BuiltinTypes.object.attributes["__setattr__"] = .builtin(BuiltinFunction("__setattr__") { a in
            try a.check(max: 3, min: 3)
            guard case .instance(let inst) = a.positional[0] else {
                throw ScriptError.typeError("object.__setattr__() needs an instance")
            }
            try a.interpreter.rawSetAttribute(inst, try a.path(1, "name"), a.positional[2])
            return .none
        })
        return true
    }()

    func installBuiltins() {
        for t in [BuiltinTypes.object, BuiltinTypes.type, BuiltinTypes.int, BuiltinTypes.bool, BuiltinTypes.float,
                  BuiltinTypes.str, BuiltinTypes.list, BuiltinTypes.tuple, BuiltinTypes.dict, BuiltinTypes.set,
                  BuiltinTypes.range, BuiltinTypes.slice] {
            builtins[t.name] = .cls(t)
        }
        for e in ExceptionTypes.all { builtins[e.name] = .cls(e) }
        builtins["Ellipsis"] = .ellipsis
        builtins["NotImplemented"] = .native(NotImplementedObject.shared)
        builtins["__name__"] = .str("builtins")
        builtins["staticmethod"] = .builtin(BuiltinFunction("staticmethod") { a in .native(StaticMethodObject(try a.required(0, "function"))) })
        builtins["classmethod"] = .builtin(BuiltinFunction("classmethod") { a in .native(ClassMethodObject(try a.required(0, "function"))) })
        builtins["property"] = .builtin(BuiltinFunction("property") { a in
            .native(PropertyObject(getter: a.value(0, "fget"), setter: a.value(1, "fset"), deleter: a.value(2, "fdel")))
        })
        _ = Interpreter.objectMethodsInstalled
        installCoreBuiltins()
        installIterationBuiltins()
        installNumericBuiltins()
        installObjectBuiltins()
    }

    private func installCoreBuiltins() {
        defineBuiltin("print") { a in
            try a.check(max: Int.max, allowedKeywords: ["sep", "end", "file", "flush"])
            let interp = a.interpreter
            func optionalString(_ name: String, _ def: String) throws -> String {
                guard let v = a.keyword(name), !v.isNone else { return def }
                guard case .str(let s) = v else { throw ScriptError.typeError("\(name) must be None or a string, not \(interp.typeName(v))") }
                return s
            }
            let sep = try optionalString("sep", " ")
            let end = try optionalString("end", "\n")
            var text = try a.positional.map { try interp.str($0) }.joined(separator: sep)
            text += end
            if let file = a.keyword("file"), !file.isNone {
                _ = try interp.callMethod(file, "write", [.str(text)])
                if try a.bool(-1, "flush", default: false) { _ = try? interp.callMethod(file, "flush", []) }
            } else {
                interp.stdout.write(text)
                if try a.bool(-1, "flush", default: false) { interp.stdout.flush() }
            }
            return .none
        }
        defineBuiltin("len") { a in
            try a.check(max: 1, min: 1)
            return .int(try a.interpreter.length(a.positional[0]))
        }
        defineBuiltin("repr") { a in
            try a.check(max: 1, min: 1)
            return .str(try a.interpreter.repr(a.positional[0]))
        }
        defineBuiltin("ascii") { a in
            try a.check(max: 1, min: 1)
            return .str(asciiEscaped(try a.interpreter.repr(a.positional[0])))
        }
        defineBuiltin("format") { a in
            try a.check(max: 2, min: 1)
            return .str(try a.interpreter.format(a.positional[0], spec: try a.string(1, "format_spec", default: "")))
        }
        defineBuiltin("input") { a in
            if let p = a.value(0) { a.interpreter.stdout.write(try a.interpreter.str(p)); a.interpreter.stdout.flush() }
            guard let line = readLine(strippingNewline: true) else { throw ScriptError(type: ExceptionTypes.eofError, "EOF when reading a line") }
            return .str(line)
        }
        defineBuiltin("open") { a in
            try a.check(max: 3, min: 1, allowedKeywords: ["file", "mode", "encoding", "newline", "errors"])
            return .native(try FileObject.open(path: try a.path(0, "file"), mode: try a.string(1, "mode", default: "r")))
        }
        defineBuiltin("exit") { a in throw SysModule.exitError(a.value(0) ?? Value.none) }
        defineBuiltin("quit") { a in throw SysModule.exitError(a.value(0) ?? Value.none) }
        defineBuiltin("help") { a in
            let interp = a.interpreter
            guard let v = a.value(0) else {
                interp.stdout.write("mlus: a Python subset. See docs/language.md. help(obj) describes an object.\n")
                return .none
            }
            interp.stdout.write(try interp.helpText(v) + "\n")
            return .none
        }
    }

    /// The text `help(obj)` prints: signature and docstring.
    public func helpText(_ v: Value) throws -> String {
        switch v {
        case .function(let f):
            let params = f.def.parameters.map { p -> String in
                switch p.kind {
                case .varargs: return "*" + p.name
                case .varkw: return "**" + p.name
                default: return p.name + (p.defaultValue != nil ? "=..." : "")
                }
            }.joined(separator: ", ")
            var text = "Help on function \(f.name):\n\n\(f.name)(\(params))"
            if let d = docString(f.def.body) { text += "\n    " + d.trimmingSpaces() }
            return text
        case .cls(let c):
            var text = "Help on class \(c.name):\n\nclass \(c.name)" + (c.base.map { "(\($0.name))" } ?? "")
            if case .str(let d)? = c.attributes["__doc__"] { text += "\n    " + d.trimmingSpaces() }
            let methods = c.attributes.names.filter { !$0.hasPrefix("__") || $0 == "__init__" }
            if !methods.isEmpty { text += "\n\n  Methods: " + methods.joined(separator: ", ") }
            return text
        case .module(let m):
            let names = m.scope.vars.keys.filter { !$0.hasPrefix("_") }.sorted()
            return "Help on module \(m.name):\n\n  " + names.joined(separator: ", ")
        case .builtin(let b):
            return "Help on built-in function \(b.name)."
        default:
            let names = attributeNames(v).filter { !$0.hasPrefix("_") }
            return "Help on \(typeName(v)) object:\n\n  " + names.joined(separator: ", ")
        }
    }

    private func installIterationBuiltins() {
        defineBuiltin("iter") { a in
            try a.check(max: 1, min: 1)
            let v = a.positional[0]
            if case .instance(let inst) = v, let (f, _) = inst.cls.lookup("__iter__") {
                return try a.interpreter.callValue(f, [v], [])
            }
            if case .native(let n) = v, n is IteratorObject { return v }
            return .native(IteratorObject(typeName: a.interpreter.iteratorName(v), iterator: try a.interpreter.iterate(v)))
        }
        defineBuiltin("next") { a in
            try a.check(max: 2, min: 1)
            let v = a.positional[0]
            do {
                switch v {
                case .instance(let inst):
                    guard let (f, _) = inst.cls.lookup("__next__") else { break }
                    return try a.interpreter.callValue(f, [v], [])
                case .native(let n):
                    if let it = n as? IteratorObject {
                        if let x = try it.nextValue() { return x }
                        throw ScriptError.stopIteration()
                    }
                    if let f = try n.getAttribute("__next__", context: a.interpreter.context(v)) {
                        return try a.interpreter.callValue(f, [], [])
                    }
                default: break
                }
            } catch let e as ScriptError where e.exception.cls.isSubclass(of: ExceptionTypes.stopIteration) {
                if let d = a.value(1) { return d }
                throw e
            }
            throw ScriptError.typeError("'\(a.interpreter.typeName(v))' object is not an iterator")
        }
        defineBuiltin("enumerate") { a in
            try a.check(max: 2, min: 1, allowedKeywords: ["start"])
            var it = try a.interpreter.iterate(a.positional[0])
            var i = try a.int(1, "start", default: 0)
            return .native(IteratorObject(typeName: "enumerate", iterator: ValueIterator {
                guard let v = try it.next() else { return nil }
                defer { i += 1 }
                return .tuple([.int(i), v])
            }))
        }
        defineBuiltin("zip") { a in
            try a.check(max: Int.max, allowedKeywords: ["strict"])
            var its = try a.positional.map { try a.interpreter.iterate($0) }
            let strict = try a.bool(-1, "strict", default: false)
            return .native(IteratorObject(typeName: "zip", iterator: ValueIterator {
                if its.isEmpty { return nil }
                var out: [Value] = []
                for k in its.indices {
                    guard let v = try its[k].next() else {
                        if strict && k > 0 {
                            throw ScriptError.valueError("zip() argument \(k + 1) is shorter than argument 1")
                        }
                        return nil
                    }
                    out.append(v)
                }
                return .tuple(out)
            }))
        }
        defineBuiltin("map") { a in
            guard a.count >= 2 else { throw ScriptError.typeError("map() must have at least two arguments.") }
            let f = a.positional[0]
            var its = try a.positional.dropFirst().map { try a.interpreter.iterate($0) }
            let interp = a.interpreter
            return .native(IteratorObject(typeName: "map", iterator: ValueIterator {
                var args: [Value] = []
                for k in its.indices {
                    guard let v = try its[k].next() else { return nil }
                    args.append(v)
                }
                return try interp.callValue(f, args, [])
            }))
        }
        defineBuiltin("filter") { a in
            try a.check(max: 2, min: 2)
            let f = a.positional[0]
            var it = try a.interpreter.iterate(a.positional[1])
            let interp = a.interpreter
            return .native(IteratorObject(typeName: "filter", iterator: ValueIterator {
                while let v = try it.next() {
                    let keep = f.isNone ? try interp.truthy(v) : try interp.truthy(try interp.callValue(f, [v], []))
                    if keep { return v }
                }
                return nil
            }))
        }
        defineBuiltin("reversed") { a in
            try a.check(max: 1, min: 1)
            let v = a.positional[0]
            let interp = a.interpreter
            switch v {
            case .list, .tuple, .str, .range:
                let items = try interp.collect(v)
                return .native(IteratorObject(typeName: interp.iteratorName(v).replacingOccurrences(of: "_iterator", with: "_reverseiterator"), values: items.reversed()))
            case .dict(let d):
                return .native(IteratorObject(typeName: "dict_reversekeyiterator", values: d.keys.reversed()))
            case .instance(let inst):
                if let (f, _) = inst.cls.lookup("__reversed__") { return try interp.callValue(f, [v], []) }
                if inst.cls.lookup("__len__") != nil, inst.cls.lookup("__getitem__") != nil {
                    let n = try interp.length(v)
                    var out: [Value] = []
                    for i in stride(from: n - 1, through: 0, by: -1) { out.append(try interp.getItem(v, .int(i))) }
                    return .native(IteratorObject(typeName: "reversed", values: out))
                }
            default: break
            }
            throw ScriptError.typeError("'\(interp.typeName(v))' object is not reversible")
        }
        defineBuiltin("sorted") { a in
            try a.check(max: 1, min: 1, allowedKeywords: ["key", "reverse"])
            let items = try a.interpreter.collect(a.positional[0])
            return .list(ListObject(try a.interpreter.sortValues(items, key: a.keyword("key"), reverse: try a.bool(-1, "reverse", default: false))))
        }
        defineBuiltin("any") { a in
            try a.check(max: 1, min: 1)
            var it = try a.interpreter.iterate(a.positional[0])
            while let v = try it.next() { if try a.interpreter.truthy(v) { return .bool(true) } }
            return .bool(false)
        }
        defineBuiltin("all") { a in
            try a.check(max: 1, min: 1)
            var it = try a.interpreter.iterate(a.positional[0])
            while let v = try it.next() { if !(try a.interpreter.truthy(v)) { return .bool(false) } }
            return .bool(true)
        }
        defineBuiltin("sum") { a in
            try a.check(max: 2, min: 1, allowedKeywords: ["start"])
            var total = a.value(1, "start") ?? .int(0)
            if case .str = total { throw ScriptError.typeError("sum() can't sum strings [use ''.join(seq) instead]") }
            var it = try a.interpreter.iterate(a.positional[0])
            while let v = try it.next() { total = try a.interpreter.binaryOperation(.add, total, v) }
            return total
        }
        for name in ["min", "max"] {
            defineBuiltin(name) { a in
                try a.check(max: Int.max, min: 1, allowedKeywords: ["key", "default"])
                let interp = a.interpreter
                let items: [Value]
                if a.count == 1 {
                    items = try interp.collect(a.positional[0])
                } else {
                    if a.keyword("default") != nil {
                        throw ScriptError.typeError("Cannot specify a default for \(name)() with multiple positional arguments")
                    }
                    items = a.positional
                }
                guard var best = items.first else {
                    if let d = a.keyword("default") { return d }
                    throw ScriptError.valueError("\(name)() arg is an empty sequence")
                }
                let key = a.keyword("key").flatMap { $0.isNone ? nil : $0 }
                var bestKey = try key.map { try interp.callValue($0, [best], []) } ?? best
                for v in items.dropFirst() {
                    let k = try key.map { try interp.callValue($0, [v], []) } ?? v
                    let better = name == "min" ? try interp.lessThan(k, bestKey) : try interp.lessThan(bestKey, k)
                    if better {
                        best = v
                        bestKey = k
                    }
                }
                return best
            }
        }
    }

    func iteratorName(_ v: Value) -> String {
        switch v {
        case .list: return "list_iterator"
        case .tuple: return "tuple_iterator"
        case .str: return "str_ascii_iterator"
        case .range: return "range_iterator"
        case .dict: return "dict_keyiterator"
        case .set: return "set_iterator"
        default: return "iterator"
        }
    }

    private func installNumericBuiltins() {
        defineBuiltin("abs") { a in
            try a.check(max: 1, min: 1)
            let v = a.positional[0]
            switch v {
            case .int(let i):
                if i == Int.min { throw ScriptError.overflowError("integer overflow in abs()") }
                return .int(abs(i))
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return .float(abs(d))
            case .instance(let inst):
                if let (f, _) = inst.cls.lookup("__abs__") { return try a.interpreter.callValue(f, [v], []) }
            case .native(let n):
                if let f = try n.getAttribute("__abs__", context: a.interpreter.context(v)) ?? n.getAttribute("abs", context: a.interpreter.context(v)) {
                    return try a.interpreter.callValue(f, [], [])
                }
            default: break
            }
            throw ScriptError.typeError("bad operand type for abs(): '\(a.interpreter.typeName(v))'")
        }
        defineBuiltin("round") { a in
            try a.check(max: 2, min: 1, allowedKeywords: ["ndigits"])
            let v = a.positional[0]
            let nd = a.value(1, "ndigits").flatMap { $0.isNone ? nil : $0 }
            switch v {
            case .int(let i):
                guard let nd else { return .int(i) }
                guard case .int(let n) = nd else { throw ScriptError.typeError("'\(a.interpreter.typeName(nd))' object cannot be interpreted as an integer") }
                if n >= 0 { return .int(i) }
                if n < -18 { return .int(0) }
                var p = 1
                for _ in 0..<(-n) { p *= 10 }
                let q = try a.interpreter.intBinary(.floorDiv, i, p)
                guard case .int(var qq) = q else { return .int(i) }
                let r = i - qq * p
                if 2 * r > p || (2 * r == p && qq % 2 != 0) { qq += 1 }
                return try a.interpreter.intBinary(.mul, qq, p)
            case .bool(let b):
                return .int(b ? 1 : 0)
            case .float(let d):
                guard let nd else {
                    if d.isNaN { throw ScriptError.valueError("cannot convert float NaN to integer") }
                    if d.isInfinite { throw ScriptError.overflowError("cannot convert float infinity to integer") }
                    return .int(try toInt(.float(d.rounded(.toNearestOrEven)), a.interpreter))
                }
                guard case .int(let n) = nd else { throw ScriptError.typeError("'\(a.interpreter.typeName(nd))' object cannot be interpreted as an integer") }
                return .float(roundFloat(d, n))
            case .instance(let inst):
                if let (f, _) = inst.cls.lookup("__round__") { return try a.interpreter.callValue(f, [v] + (nd.map { [$0] } ?? []), []) }
            default: break
            }
            throw ScriptError.typeError("type \(a.interpreter.typeName(v)) doesn't define __round__ method")
        }
        defineBuiltin("divmod") { a in
            try a.check(max: 2, min: 2)
            let q = try a.interpreter.binaryOperation(.floorDiv, a.positional[0], a.positional[1])
            let r = try a.interpreter.binaryOperation(.mod, a.positional[0], a.positional[1])
            return .tuple([q, r])
        }
        defineBuiltin("pow") { a in
            try a.check(max: 3, min: 2, allowedKeywords: ["base", "exp", "mod"])
            let base = try a.required(0, "base")
            let exp = try a.required(1, "exp")
            if let m = a.value(2, "mod"), !m.isNone {
                guard case .int(let b) = base, case .int(var e) = exp, case .int(let mod) = m else {
                    throw ScriptError.typeError("pow() 3rd argument not allowed unless all arguments are integers")
                }
                if mod == 0 { throw ScriptError.valueError("pow() 3rd argument cannot be 0") }
                if e < 0 { throw ScriptError.valueError("pow() negative exponent with modulus is not supported in mlus") }
                let m = mod.magnitude
                func mulmod(_ x: UInt, _ y: UInt) -> UInt {
                    let full = x.multipliedFullWidth(by: y)
                    return m.dividingFullWidth((full.high, full.low)).remainder
                }
                var result: UInt = 1 % m
                var base = UInt(bitPattern: b) % m
                if b < 0 { base = (m - (b.magnitude % m)) % m }
                while e > 0 {
                    if e & 1 == 1 { result = mulmod(result, base) }
                    base = mulmod(base, base)
                    e >>= 1
                }
                // Python's result takes the sign of the modulus.
                if mod < 0 && result != 0 { return .int(-Int(m - result)) }
                return .int(Int(result))
            }
            return try a.interpreter.binaryOperation(.pow, base, exp)
        }
        defineBuiltin("chr") { a in
            let i = try a.int(0, "i")
            guard i >= 0, i <= 0x10FFFF, let s = Unicode.Scalar(UInt32(i)) else { throw ScriptError.valueError("chr() arg not in range(0x110000)") }
            return .str(String(s))
        }
        defineBuiltin("ord") { a in
            let s = try a.string(0, "c")
            guard s.unicodeScalars.count == 1, let c = s.unicodeScalars.first else {
                throw ScriptError.typeError("ord() expected a character, but string of length \(s.unicodeScalars.count) found")
            }
            return .int(Int(c.value))
        }
        for (name, radix, prefix) in [("hex", 16, "0x"), ("oct", 8, "0o"), ("bin", 2, "0b")] {
            defineBuiltin(name) { a in
                guard case .int(let i)? = try a.required(0, "number").asInt else {
                    throw ScriptError.typeError("'\(a.interpreter.typeName(a.positional[0]))' object cannot be interpreted as an integer")
                }
                return .str((i < 0 ? "-" : "") + prefix + String(i.magnitude, radix: radix))
            }
        }
        defineBuiltin("hash") { a in
            let v = try a.required(0, "obj")
            if case .instance(let inst) = v, let (f, _) = inst.cls.lookup("__hash__") { return try a.interpreter.callValue(f, [v], []) }
            switch v {
            case .int(let i): return .int(i == -1 ? -2 : i)
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d) where d.isFinite && d == d.rounded() && abs(d) < 9e18:
                let i = Int(d)
                return .int(i == -1 ? -2 : i)
            default: return .int(try HashKey(v).hashValue)
            }
        }
    }

    private func installObjectBuiltins() {
        defineBuiltin("isinstance") { a in
            try a.check(max: 2, min: 2)
            func check(_ spec: Value) throws -> Bool {
                switch spec {
                case .cls(let c): return a.interpreter.isInstance(a.positional[0], c)
                case .tuple(let items): return try items.contains { try check($0) }
                default: throw ScriptError.typeError("isinstance() arg 2 must be a type, a tuple of types, or a union")
                }
            }
            return .bool(try check(a.positional[1]))
        }
        defineBuiltin("issubclass") { a in
            try a.check(max: 2, min: 2)
            guard case .cls(let c) = a.positional[0] else { throw ScriptError.typeError("issubclass() arg 1 must be a class") }
            func check(_ spec: Value) throws -> Bool {
                switch spec {
                case .cls(let k): return c.isSubclass(of: k) || k === BuiltinTypes.object
                case .tuple(let items): return try items.contains { try check($0) }
                default: throw ScriptError.typeError("issubclass() arg 2 must be a class, a tuple of classes, or a union")
                }
            }
            return .bool(try check(a.positional[1]))
        }
        defineBuiltin("getattr") { a in
            try a.check(max: 3, min: 2)
            let name = try a.path(1, "name")
            if a.count == 3 {
                do {
                    return try a.interpreter.findAttribute(a.positional[0], name) ?? a.positional[2]
                } catch let e as ScriptError where e.exception.cls.isSubclass(of: ExceptionTypes.attributeError) {
                    return a.positional[2]
                }
            }
            return try a.interpreter.getAttribute(a.positional[0], name)
        }
        defineBuiltin("hasattr") { a in
            try a.check(max: 2, min: 2)
            do {
                return .bool(try a.interpreter.findAttribute(a.positional[0], try a.path(1, "name")) != nil)
            } catch let e as ScriptError where e.exception.cls.isSubclass(of: ExceptionTypes.attributeError) {
                return .bool(false)
            }
        }
        defineBuiltin("setattr") { a in
            try a.check(max: 3, min: 3)
            try a.interpreter.setAttribute(a.positional[0], try a.path(1, "name"), a.positional[2])
            return .none
        }
        defineBuiltin("delattr") { a in
            try a.check(max: 2, min: 2)
            try a.interpreter.deleteAttribute(a.positional[0], try a.path(1, "name"))
            return .none
        }
        defineBuiltin("callable") { a in
            try a.check(max: 1, min: 1)
            switch a.positional[0] {
            case .function, .builtin, .boundMethod, .cls: return .bool(true)
            case .instance(let i): return .bool(i.cls.lookup("__call__") != nil || i.nativeBase != nil)
            case .native(let n):
                if n is IteratorObject || n is DictView { return .bool(false) }
                return .bool(true)
            default: return .bool(false)
            }
        }
        defineBuiltin("id") { a in
            let v = try a.required(0, "obj")
            switch v {
            case .list(let o): return .int(Int(bitPattern: UInt(bitPattern: ObjectIdentifier(o).hashValue)))
            case .dict(let o): return .int(ObjectIdentifier(o).hashValue)
            case .set(let o): return .int(ObjectIdentifier(o).hashValue)
            case .instance(let o): return .int(ObjectIdentifier(o).hashValue)
            case .cls(let o): return .int(ObjectIdentifier(o).hashValue)
            case .function(let o): return .int(ObjectIdentifier(o).hashValue)
            case .module(let o): return .int(ObjectIdentifier(o).hashValue)
            case .native(let o): return .int(ObjectIdentifier(o).hashValue)
            default: return .int((try? HashKey(v).hashValue) ?? 0)
            }
        }
        defineBuiltin("dir") { a in
            let interp = a.interpreter
            if let v = a.value(0) { return .list(ListObject(interp.attributeNames(v).map { .str($0) })) }
            let scope = interp.frames.last?.1 ?? interp.currentModule.scope
            return .list(ListObject(scope.vars.keys.sorted().map { .str($0) }))
        }
        defineBuiltin("vars") { a in
            guard let v = a.value(0) else {
                let scope = a.interpreter.frames.last?.1 ?? a.interpreter.currentModule.scope
                return a.interpreter.scopeDict(scope)
            }
            guard let d = try a.interpreter.findAttribute(v, "__dict__") else {
                throw ScriptError.typeError("vars() argument must have __dict__ attribute")
            }
            return d
        }
        defineBuiltin("globals") { a in a.interpreter.scopeDict((a.interpreter.frames.last?.1 ?? a.interpreter.currentModule.scope).globals) }
        defineBuiltin("locals") { a in a.interpreter.scopeDict(a.interpreter.frames.last?.1 ?? a.interpreter.currentModule.scope) }
        defineBuiltin("super") { a in try a.interpreter.makeSuper(a) }
        defineBuiltin("eval") { a in
            try a.check(max: 3, min: 1)
            let interp = a.interpreter
            let source = try a.string(0, "source")
            let scope = interp.frames.last?.1 ?? interp.currentModule.scope
            let file = SourceFile(name: "<string>", text: source.trimmingSpaces())
            do {
                var parser = Parser(tokens: try Lexer.tokenize(file), file: file)
                let e = try parser.parseExpressionList(allowStar: false)
                guard parser.isAtEnd else { throw ScriptError(type: ExceptionTypes.syntaxError, "invalid syntax in eval()") }
                return try interp.evaluate(e, scope)
            } catch let p as ParseError {
                throw ScriptError.from(p)
            }
        }
        defineBuiltin("exec") { a in
            try a.check(max: 3, min: 1)
            let interp = a.interpreter
            let scope = interp.frames.last?.1 ?? interp.currentModule.scope
            let body = try interp.parse(SourceFile(name: "<string>", text: try a.string(0, "source")))
            _ = try interp.execBlock(body, scope)
            return .none
        }
        for name in ["bytes", "bytearray", "memoryview", "complex", "frozenset", "compile", "__import__", "breakpoint"] {
            defineBuiltin(name) { _ in throw ScriptError.notImplementedError("\(name)() is not supported in mlus") }
        }
    }

    func scopeDict(_ scope: Scope) -> Value {
        let d = DictObject()
        for (k, v) in scope.vars.sorted(by: { $0.key < $1.key }) { try? d.set(.str(k), v) }
        return .dict(d)
    }
}

/// `round(x, n)` for floats: correctly rounded through the C library's exact decimal conversion.
func roundFloat(_ d: Double, _ n: Int) -> Double {
    guard d.isFinite else { return d }
    if n > 300 { return d }
    if n >= 0 {
        return Double(cFormat(d, "%.\(n)f")) ?? d
    }
    if n < -308 { return 0.0 * d }
    let p = Glibc.pow(10.0, Double(-n))
    let y = (d / p).rounded(.toNearestOrEven) * p
    return y.isFinite ? y : d
}
