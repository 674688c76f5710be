extension Interpreter {
    func execBlock(_ body: [Stmt], _ scope: Scope) throws -> Flow {
        for s in body {
            let f = try exec(s, scope)
            if case .normal = f { continue }
            return f
        }
        return .normal
    }

    func exec(_ s: Stmt, _ scope: Scope) throws -> Flow {
        try tick()
        do {
            return try execInner(s, scope)
        } catch var e as ScriptError {
            if e.pendingSpan == nil { e.pendingSpan = s.span }
            throw e
        }
    }

    private func execInner(_ s: Stmt, _ scope: Scope) throws -> Flow {
        switch s.kind {
        case .expression(let e):
            _ = try evaluate(e, scope)
        case .assign(let targets, let valueExpr):
            let v = try evaluate(valueExpr, scope)
            for t in targets { try assign(t, v, scope) }
        case .augmentedAssign(let target, let op, let valueExpr):
            try augmentedAssign(target, op, valueExpr, scope)
        case .annotatedAssign(let target, _, let valueExpr):
            if let valueExpr { try assign(target, try evaluate(valueExpr, scope), scope) }
        case .ifStatement(let branches, let otherwise):
            for (cond, body) in branches where try truthy(try evaluate(cond, scope)) {
                return try execBlock(body, scope)
            }
            if let otherwise { return try execBlock(otherwise, scope) }
        case .whileLoop(let cond, let body, let otherwise):
            while try truthy(try evaluate(cond, scope)) {
                try tick()
                let f = try execBlock(body, scope)
                switch f {
                case .breakLoop: return .normal
                case .returned: return f
                case .normal, .continueLoop: continue
                }
            }
            if let otherwise { return try execBlock(otherwise, scope) }
        case .forLoop(let target, let iterable, let body, let otherwise):
            var it = try at(iterable.span) { try iterate(try evaluate(iterable, scope)) }
            while let v = try it.next() {
                try tick()
                try assign(target, v, scope)
                let f = try execBlock(body, scope)
                switch f {
                case .breakLoop: return .normal
                case .returned: return f
                case .normal, .continueLoop: continue
                }
            }
            if let otherwise { return try execBlock(otherwise, scope) }
        case .breakStatement:
            return .breakLoop
        case .continueStatement:
            return .continueLoop
        case .pass:
            break
        case .returnStatement(let e):
            return .returned(try e.map { try evaluate($0, scope) } ?? Value.none)
        case .functionDef(let def):
            var fn = try makeFunction(def, scope)
            for d in def.decorators.reversed() {
                fn = try applyDecorator(d, to: fn, scope)
            }
            scope.assign(def.name, fn)
        case .classDef(let def):
            scope.assign(def.name, try makeClass(def, scope))
        case .importModules(let names):
            for n in names {
                let module = try importModule(n.name, from: scope)
                if let alias = n.alias {
                    scope.assign(alias, .module(try importModule(n.name, from: scope, returnLeaf: true, already: module)))
                } else {
                    scope.assign(String(n.name.split(separator: ".").first ?? ""), .module(module))
                }
            }
        case .importFrom(let moduleName, let level, let names):
            try importFrom(moduleName, level: level, names: names, scope)
        case .with(let items, let body):
            return try execWith(items[...], body, scope)
        case .tryStatement(let body, let handlers, let otherwise, let finally):
            return try execTry(body, handlers, otherwise, finally, scope)
        case .raise(let e, let cause):
            try execRaise(e, cause, scope)
        case .assert(let cond, let message):
            if !(try truthy(try evaluate(cond, scope))) {
                let inst = Instance(cls: ExceptionTypes.assertionError)
                if let message { inst.exceptionArgs = [try evaluate(message, scope)] }
                throw ScriptError(inst)
            }
        case .global, .nonlocal:
            break
        case .delete(let targets):
            for t in targets { try delete(t, scope) }
        }
        return .normal
    }

    // MARK: assignment

    func assign(_ target: Expr, _ value: Value, _ scope: Scope) throws {
        switch target.kind {
        case .name(let n):
            scope.assign(n, value)
        case .attribute(let objExpr, let name):
            let obj = try evaluate(objExpr, scope)
            try at(target.span) { try setAttribute(obj, name, value) }
        case .subscript(let objExpr, let indexExpr):
            let obj = try evaluate(objExpr, scope)
            let index = try evaluate(indexExpr, scope)
            try at(target.span) { try setItem(obj, index, value) }
        case .tuple(let items), .list(let items):
            let values = try at(target.span) { try unpack(value, items) }
            for (t, v) in zip(items, values) { try assign(t, v, scope) }
        case .starred(let inner):
            try assign(inner, value, scope)
        default:
            throw ScriptError(type: ExceptionTypes.syntaxError, "cannot assign to expression")
        }
    }

    /// Splits `value` for the targets `items`, one of which may be starred.
    private func unpack(_ value: Value, _ items: [Expr]) throws -> [Value] {
        let values = try collect(value)
        let starIndex = items.firstIndex { if case .starred = $0.kind { return true } else { return false } }
        guard let star = starIndex else {
            if values.count < items.count {
                throw ScriptError.valueError("not enough values to unpack (expected \(items.count), got \(values.count))")
            }
            if values.count > items.count {
                throw ScriptError.valueError("too many values to unpack (expected \(items.count))")
            }
            return values
        }
        let after = items.count - star - 1
        if values.count < items.count - 1 {
            throw ScriptError.valueError("not enough values to unpack (expected at least \(items.count - 1), got \(values.count))")
        }
        var out = Array(values[0..<star])
        out.append(.list(ListObject(Array(values[star..<(values.count - after)]))))
        out += values[(values.count - after)...]
        return out
    }

    private func augmentedAssign(_ target: Expr, _ op: BinaryOperator, _ valueExpr: Expr, _ scope: Scope) throws {
        switch target.kind {
        case .name(let n):
            let current = try at(target.span) { try lookupName(n, scope) }
            let rhs = try evaluate(valueExpr, scope)
            scope.assign(n, try at(target.span.through(valueExpr.span)) { try inplaceOperation(op, current, rhs) })
        case .attribute(let objExpr, let name):
            let obj = try evaluate(objExpr, scope)
            let current = try at(target.span) { try getAttribute(obj, name) }
            let rhs = try evaluate(valueExpr, scope)
            let result = try at(target.span.through(valueExpr.span)) { try inplaceOperation(op, current, rhs) }
            try at(target.span) { try setAttribute(obj, name, result) }
        case .subscript(let objExpr, let indexExpr):
            let obj = try evaluate(objExpr, scope)
            let index = try evaluate(indexExpr, scope)
            let current = try at(target.span) { try getItem(obj, index) }
            let rhs = try evaluate(valueExpr, scope)
            let result = try at(target.span.through(valueExpr.span)) { try inplaceOperation(op, current, rhs) }
            try at(target.span) { try setItem(obj, index, result) }
        default:
            throw ScriptError(type: ExceptionTypes.syntaxError, "illegal expression for augmented assignment")
        }
    }

    private func delete(_ target: Expr, _ scope: Scope) throws {
        switch target.kind {
        case .name(let n):
            if !scope.delete(n) {
                throw try at(target.span) { nameError(n, scope) }
            }
        case .attribute(let objExpr, let name):
            let obj = try evaluate(objExpr, scope)
            try at(target.span) { try deleteAttribute(obj, name) }
        case .subscript(let objExpr, let indexExpr):
            let obj = try evaluate(objExpr, scope)
            let index = try evaluate(indexExpr, scope)
            try at(target.span) { try deleteItem(obj, index) }
        case .tuple(let items), .list(let items):
            for t in items { try delete(t, scope) }
        default:
            throw ScriptError(type: ExceptionTypes.syntaxError, "cannot delete expression")
        }
    }

    // MARK: definitions

    func makeFunction(_ def: FunctionDef, _ scope: Scope) throws -> Value {
        var defaults: [Value?] = []
        for p in def.parameters {
            defaults.append(try p.defaultValue.map { try evaluate($0, scope) })
        }
        let closure = scope.kind == .classBody ? (scope.parent ?? scope) : scope
        var qualified = def.name
        if scope.kind == .classBody, case .str(let cls)? = scope.vars["__qualname__"] {
            qualified = cls + "." + def.name
        } else if scope.kind == .function, let (fn, _) = frames.last {
            qualified = fn.qualifiedName + ".<locals>." + def.name
        }
        return .function(Function(def: def, defaults: defaults, closure: closure, qualifiedName: qualified))
    }

    private func applyDecorator(_ d: Expr, to fn: Value, _ scope: Scope) throws -> Value {
        switch d.kind {
        case .name(let n) where n == "staticmethod": return .native(StaticMethodObject(fn))
        case .name(let n) where n == "classmethod": return .native(ClassMethodObject(fn))
        case .name(let n) where n == "property": return .native(PropertyObject(getter: fn))
        case .attribute(let base, let attr):
            let b = try evaluate(base, scope)
            guard case .native(let obj) = b, let prop = obj as? PropertyObject else {
                throw ScriptError.typeError("@\(attr) needs a property")
            }
            switch attr {
            case "setter": return .native(PropertyObject(getter: prop.getter, setter: fn, deleter: prop.deleter))
            case "deleter": return .native(PropertyObject(getter: prop.getter, setter: prop.setter, deleter: fn))
            default: return .native(PropertyObject(getter: fn, setter: prop.setter, deleter: prop.deleter))
            }
        default:
            throw ScriptError.typeError("unsupported decorator")
        }
    }

    private func makeClass(_ def: ClassDef, _ scope: Scope) throws -> Value {
        var base: ClassObject = BuiltinTypes.object
        if let b = def.bases.first {
            let v = try evaluate(b, scope)
            guard case .cls(let c) = v else {
                throw try at(b.span) { ScriptError.typeError("a class can only inherit from a class, not \(typeName(v))") }
            }
            if c.constructor != nil && c !== BuiltinTypes.object && !c.isSubclass(of: ExceptionTypes.baseException) {
                throw try at(b.span) { ScriptError.typeError("subclassing the built-in type '\(c.name)' is not supported in mlus") }
            }
            base = c
        }
        let moduleName: String
        if case .str(let m)? = scope.globals.vars["__name__"] { moduleName = m } else { moduleName = "__main__" }
        let cls = ClassObject(name: def.name, base: base, moduleName: moduleName)
        let body = Scope(kind: .classBody, parent: scope, def: nil)
        body.vars["__qualname__"] = .str(def.name)
        body.vars["__module__"] = .str(moduleName)
        var order: [String] = []
        for s in def.body {
            if case .functionDef(let f) = s.kind { order.append(f.name) }
            _ = try exec(s, body)
        }
        body.vars.removeValue(forKey: "__qualname__")
        if body.vars["__doc__"] == nil { body.vars["__doc__"] = docString(def.body).map { .str($0) } ?? Value.none }
        for name in order where body.vars[name] != nil {
            cls.attributes[name] = body.vars[name]
        }
        for (k, v) in body.vars.sorted(by: { $0.key < $1.key }) where cls.attributes[k] == nil {
            cls.attributes[k] = v
        }
        for (_, v) in body.vars { markDefiningClass(v, cls) }
        return .cls(cls)
    }

    private func markDefiningClass(_ v: Value, _ cls: ClassObject) {
        switch v {
        case .function(let f): f.definingClass = cls
        case .native(let n):
            if let s = n as? StaticMethodObject { markDefiningClass(s.function, cls) }
            if let c = n as? ClassMethodObject { markDefiningClass(c.function, cls) }
            if let p = n as? PropertyObject {
                for f in [p.getter, p.setter, p.deleter] { if let f { markDefiningClass(f, cls) } }
            }
        default: break
        }
    }

    // MARK: with / try / raise

    private func execWith(_ items: ArraySlice<(Expr, Expr?)>, _ body: [Stmt], _ scope: Scope) throws -> Flow {
        guard let (ctxExpr, target) = items.first else { return try execBlock(body, scope) }
        let manager = try evaluate(ctxExpr, scope)
        let (enter, exit) = try at(ctxExpr.span) { () throws -> (Value, Value) in
            guard let en = try findAttribute(manager, "__enter__"), let ex = try findAttribute(manager, "__exit__") else {
                throw ScriptError.typeError("'\(typeName(manager))' object does not support the context manager protocol")
            }
            return (en, ex)
        }
        let entered = try at(ctxExpr.span) { try callValue(enter, [], []) }
        if let target { try assign(target, entered, scope) }
        let flow: Flow
        do {
            flow = try execWith(items.dropFirst(), body, scope)
        } catch let e as ScriptError where !e.isFatal {
            let suppress = try at(ctxExpr.span) {
                try truthy(try callValue(exit, [.cls(e.exception.cls), .instance(e.exception), .none], []))
            }
            if suppress { return .normal }
            throw e
        }
        _ = try at(ctxExpr.span) { try callValue(exit, [.none, .none, .none], []) }
        return flow
    }

    private func execTry(_ body: [Stmt], _ handlers: [ExceptHandler], _ otherwise: [Stmt]?, _ finally: [Stmt]?, _ scope: Scope) throws -> Flow {
        var flow: Flow = .normal
        do {
            var raised = false
            do {
                flow = try execBlock(body, scope)
            } catch let e as ScriptError where !e.isFatal && !handlers.isEmpty {
                raised = true
                var handled = false
                for h in handlers where try handlerMatches(h, e, scope) {
                    if let n = h.name { scope.assign(n, .instance(e.exception)) }
                    handling.append(e)
                    defer { handling.removeLast() }
                    flow = try execBlock(h.body, scope)
                    if let n = h.name { _ = scope.delete(n) }
                    handled = true
                    break
                }
                if !handled { throw e }
            }
            if !raised, case .normal = flow, let otherwise { flow = try execBlock(otherwise, scope) }
        } catch {
            if let finally, !((error as? ScriptError)?.isFatal ?? false) {
                let f = try execBlock(finally, scope)
                if case .normal = f {} else { return f }
            }
            throw error
        }
        if let finally {
            let f = try execBlock(finally, scope)
            if case .normal = f {} else { return f }
        }
        return flow
    }

    private func handlerMatches(_ h: ExceptHandler, _ e: ScriptError, _ scope: Scope) throws -> Bool {
        guard let typeExpr = h.type else { return true }
        let t = try evaluate(typeExpr, scope)
        return try at(typeExpr.span) { try exceptionMatches(e.exception.cls, t) }
    }

    func exceptionMatches(_ cls: ClassObject, _ spec: Value) throws -> Bool {
        switch spec {
        case .cls(let c):
            guard c.isSubclass(of: ExceptionTypes.baseException) else {
                throw ScriptError.typeError("catching classes that do not inherit from BaseException is not allowed")
            }
            return cls.isSubclass(of: c)
        case .tuple(let items):
            for i in items where try exceptionMatches(cls, i) { return true }
            return false
        default:
            throw ScriptError.typeError("catching classes that do not inherit from BaseException is not allowed")
        }
    }

    private func execRaise(_ e: Expr?, _ cause: Expr?, _ scope: Scope) throws {
        guard let e else {
            if let current = handling.last { throw current }
            throw ScriptError.runtimeError("No active exception to reraise")
        }
        let v = try evaluate(e, scope)
        let inst = try at(e.span) { try exceptionInstance(v) }
        if let cause {
            let c = try evaluate(cause, scope)
            if case .none = c { inst.exceptionCause = nil } else { inst.exceptionCause = .instance(try exceptionInstance(c)) }
        }
        throw ScriptError(inst)
    }

    func exceptionInstance(_ v: Value) throws -> Instance {
        switch v {
        case .cls(let c) where c.isSubclass(of: ExceptionTypes.baseException):
            guard case .instance(let i) = try instantiate(c, [], []) else {
                throw ScriptError.typeError("exceptions must derive from BaseException")
            }
            return i
        case .instance(let i) where i.cls.isSubclass(of: ExceptionTypes.baseException):
            return i
        default:
            throw ScriptError.typeError("exceptions must derive from BaseException")
        }
    }
}
