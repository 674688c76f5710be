extension Interpreter {
    func callValue(_ callee: Value, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        switch callee {
        case .function(let fn):
            return try callFunction(fn, args, kwargs)
        case .builtin(let b):
            return try b.body(Arguments(args, keywords: kwargs, interpreter: self, functionName: b.name))
        case .boundMethod(let m):
            return try callValue(m.function, [m.receiver] + args, kwargs)
        case .cls(let c):
            return try instantiate(c, args, kwargs)
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__call__") {
                return try callValue(f, [callee] + args, kwargs)
            }
            if let nb = inst.nativeBase {
                return try nb.call(Arguments(args, keywords: kwargs, interpreter: self, functionName: inst.cls.name), context: context(callee))
            }
            throw ScriptError.typeError("'\(inst.cls.name)' object is not callable")
        case .native(let n):
            return try n.call(Arguments(args, keywords: kwargs, interpreter: self, functionName: n.typeName), context: context(callee))
        default:
            throw ScriptError.typeError("'\(typeName(callee))' object is not callable")
        }
    }

    func callableName(_ v: Value) -> String {
        switch v {
        case .function(let f): return f.name
        case .builtin(let b): return b.name
        case .boundMethod(let m): return callableName(m.function)
        case .cls(let c): return c.name
        default: return typeName(v)
        }
    }

    func callFunction(_ fn: Function, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        if callDepth >= recursionLimit { throw ScriptError.recursionError() }
        try tick()
        callDepth += 1
        defer { callDepth -= 1 }
        let scope = Scope(kind: .function, parent: fn.closure, def: fn.def)
        try bindArguments(fn, args, kwargs, scope)
        if fn.def.isGenerator {
            return .native(GeneratorObject(GeneratorChannel(interpreter: self, function: fn, scope: scope)))
        }
        frames.append((fn, scope))
        defer { frames.removeLast() }
        do {
            if case .returned(let v) = try execBlock(fn.def.body, scope) { return v }
            return .none
        } catch var e as ScriptError {
            e.traceback.append(TraceFrame(span: e.pendingSpan ?? fn.def.span, function: fn.name))
            e.pendingSpan = nil
            throw e
        }
    }

    private func bindArguments(_ fn: Function, _ args: [Value], _ kwargs: [(String, Value)], _ scope: Scope) throws {
        let params = fn.def.parameters
        if kwargs.isEmpty && fn.def.onlyPositionalParameters && args.count <= params.count {
            // Fast path: positional arguments, then defaults.
            var k = 0
            while k < args.count {
                scope.vars[params[k].name] = args[k]
                k += 1
            }
            while k < params.count, let d = fn.defaults[k] {
                scope.vars[params[k].name] = d
                k += 1
            }
            if k == params.count { return }
            // Missing arguments: fall through to the general path for CPython's message.
            scope.vars = NameTable()
        }
        let name = fn.name
        var positionalParams: [Int] = []
        var varargs: Int? = nil
        var varkw: Int? = nil
        for (i, p) in params.enumerated() {
            switch p.kind {
            case .normal: positionalParams.append(i)
            case .varargs: varargs = i
            case .varkw: varkw = i
            case .keywordOnly: break
            }
        }
        var bound = [Value?](repeating: nil, count: params.count)
        if args.count > positionalParams.count && varargs == nil {
            let required = positionalParams.filter { fn.defaults[$0] == nil }.count
            let takes = required == positionalParams.count ? "\(required)" : "from \(required) to \(positionalParams.count)"
            throw ScriptError.typeError("\(name)() takes \(takes) positional argument\(positionalParams.count == 1 && required == 1 ? "" : "s") but \(args.count) \(args.count == 1 ? "was" : "were") given")
        }
        for (k, v) in args.enumerated() where k < positionalParams.count {
            bound[positionalParams[k]] = v
        }
        if let varargs {
            bound[varargs] = .tuple(args.count > positionalParams.count ? Array(args[positionalParams.count...]) : [])
        }
        var extra: DictObject? = nil
        if let varkw {
            let d = DictObject()
            extra = d
            bound[varkw] = .dict(d)
        }
        for (k, v) in kwargs {
            if let i = params.firstIndex(where: { $0.name == k && ($0.kind == .normal || $0.kind == .keywordOnly) }) {
                if bound[i] != nil {
                    throw ScriptError.typeError("\(name)() got multiple values for argument '\(k)'")
                }
                bound[i] = v
            } else if let extra {
                try extra.set(.str(k), v)
            } else {
                var e = ScriptError.typeError("\(name)() got an unexpected keyword argument '\(k)'")
                if let best = closestName(k, params.map(\.name)) { e.hint = "did you mean '\(best)'?" }
                throw e
            }
        }
        var missing: [String] = []
        var missingKeywordOnly: [String] = []
        for (i, p) in params.enumerated() where bound[i] == nil {
            if let d = fn.defaults[i] {
                bound[i] = d
            } else if p.kind == .normal {
                missing.append(p.name)
            } else if p.kind == .keywordOnly {
                missingKeywordOnly.append(p.name)
            }
        }
        if !missing.isEmpty {
            throw ScriptError.typeError("\(name)() missing \(missing.count) required positional argument\(missing.count == 1 ? "" : "s"): \(listNames(missing))")
        }
        if !missingKeywordOnly.isEmpty {
            throw ScriptError.typeError("\(name)() missing \(missingKeywordOnly.count) required keyword-only argument\(missingKeywordOnly.count == 1 ? "" : "s"): \(listNames(missingKeywordOnly))")
        }
        for (i, p) in params.enumerated() {
            if let v = bound[i] { scope.vars[p.name] = v }
        }
    }

    private func listNames(_ names: [String]) -> String {
        let q = names.map { "'\($0)'" }
        if q.count == 1 { return q[0] }
        if q.count == 2 { return q[0] + " and " + q[1] }
        return q.dropLast().joined(separator: ", ") + ", and " + q[q.count - 1]
    }

    /// Calls a class: built-in constructors, native classes, and script classes (`__init__`, native base).
    func instantiate(_ c: ClassObject, _ args: [Value], _ kwargs: [(String, Value)]) throws -> Value {
        if let ctor = c.constructor {
            return try ctor(Arguments(args, keywords: kwargs, interpreter: self, functionName: c.name))
        }
        if let spec = c.native {
            let obj = try spec.construct(Arguments(args, keywords: kwargs, interpreter: self, functionName: c.name), context(.none))
            return .native(obj)
        }
        let inst = Instance(cls: c)
        let value = Value.instance(inst)
        let isException = c.isSubclass(of: ExceptionTypes.baseException)
        if isException { inst.exceptionArgs = args }
        if let (initFn, _) = c.lookup("__init__") {
            let result = try callValue(initFn, [value] + args, kwargs)
            if !result.isNone {
                throw ScriptError.typeError("__init__() should return None, not '\(typeName(result))'")
            }
        } else if let nativeClass = c.nativeAncestor, let spec = nativeClass.native {
            inst.nativeBase = try spec.construct(Arguments(args, keywords: kwargs, interpreter: self, functionName: nativeClass.name), context(value))
        } else if !isException && (!args.isEmpty || !kwargs.isEmpty) {
            throw ScriptError.typeError("\(c.name)() takes no arguments")
        } else if isException && !kwargs.isEmpty {
            throw ScriptError.typeError("\(c.name)() takes no keyword arguments")
        }
        return value
    }

    /// `super()` without arguments: the defining class and `self` of the innermost script frame.
    func makeSuper(_ args: Arguments) throws -> Value {
        if args.count == 2 {
            guard case .cls(let c) = args.positional[0] else { throw ScriptError.typeError("super() argument 1 must be a type") }
            return .native(SuperObject(start: c, receiver: args.positional[1]))
        }
        guard let (fn, scope) = frames.last, let cls = fn.definingClass,
              let first = fn.def.parameters.first, let receiver = scope.vars[first.name] else {
            throw ScriptError.runtimeError("super(): no arguments")
        }
        return .native(SuperObject(start: cls, receiver: receiver))
    }
}
