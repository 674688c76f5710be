extension Interpreter {
    func evaluate(_ e: Expr, _ scope: Scope) throws -> Value {
        switch e.kind {
        case .constant(let c):
            switch c {
            case .none: return .none
            case .ellipsis: return .ellipsis
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            case .str(let s): return .str(s)
            }
        case .name(let n):
            return try at(e.span) { try lookupName(n, scope) }
        case .formatted(let parts):
            return .str(try formatParts(parts, scope))
        case .list(let items):
            return .list(ListObject(try evaluateItems(items, scope)))
        case .tuple(let items):
            return .tuple(try evaluateItems(items, scope))
        case .set(let items):
            return .set(try at(e.span) { try SetObject(try evaluateItems(items, scope)) })
        case .dict(let items):
            let d = DictObject()
            for item in items {
                switch item {
                case .pair(let k, let v):
                    let key = try evaluate(k, scope)
                    let value = try evaluate(v, scope)
                    try at(k.span) { try d.set(key, value) }
                case .unpack(let m):
                    let mapping = try evaluate(m, scope)
                    try at(m.span) {
                        for (k, v) in try mappingItems(mapping) { try d.set(k, v) }
                    }
                }
            }
            return .dict(d)
        case .starred:
            throw ScriptError(type: ExceptionTypes.syntaxError, "can't use starred expression here")
        case .attribute(let objExpr, let name):
            let obj = try evaluate(objExpr, scope)
            return try at(e.span) { try getAttribute(obj, name) }
        case .subscript(let objExpr, let indexExpr):
            let obj = try evaluate(objExpr, scope)
            let index = try evaluate(indexExpr, scope)
            return try at(e.span) { try getItem(obj, index) }
        case .slice(let lo, let hi, let step):
            return .slice(try lo.map { try evaluate($0, scope) } ?? Value.none,
                          try hi.map { try evaluate($0, scope) } ?? Value.none,
                          try step.map { try evaluate($0, scope) } ?? Value.none)
        case .call(let calleeExpr, let argExprs):
            let callee = try evaluate(calleeExpr, scope)
            var args: [Value] = []
            var kwargs: [(String, Value)] = []
            for a in argExprs {
                switch a {
                case .positional(let x): args.append(try evaluate(x, scope))
                case .star(let x):
                    let v = try evaluate(x, scope)
                    args += try at(x.span) { try collect(v) }
                case .keyword(let k, let x):
                    let v = try evaluate(x, scope)
                    if kwargs.contains(where: { $0.0 == k }) {
                        throw try at(x.span) { ScriptError(type: ExceptionTypes.syntaxError, "keyword argument repeated: \(k)") }
                    }
                    kwargs.append((k, v))
                case .doubleStar(let x):
                    let v = try evaluate(x, scope)
                    try at(x.span) {
                        for (k, v) in try mappingItems(v) {
                            guard case .str(let key) = k else { throw ScriptError.typeError("keywords must be strings") }
                            if kwargs.contains(where: { $0.0 == key }) {
                                throw ScriptError.typeError("\(callableName(callee))() got multiple values for keyword argument '\(key)'")
                            }
                            kwargs.append((key, v))
                        }
                    }
                }
            }
            return try at(e.span) { try callValue(callee, args, kwargs) }
        case .unary(let op, let operand):
            let v = try evaluate(operand, scope)
            return try at(e.span) { try unaryOperation(op, v) }
        case .binary(let op, let l, let r):
            let a = try evaluate(l, scope)
            let b = try evaluate(r, scope)
            return try at(e.span) { try binaryOperation(op, a, b) }
        case .and(let l, let r):
            let a = try evaluate(l, scope)
            if !(try at(l.span) { try truthy(a) }) { return a }
            return try evaluate(r, scope)
        case .or(let l, let r):
            let a = try evaluate(l, scope)
            if try at(l.span, { try truthy(a) }) { return a }
            return try evaluate(r, scope)
        case .compare(let first, let rest):
            var left = try evaluate(first, scope)
            var leftSpan = first.span
            for (op, rightExpr) in rest {
                let right = try evaluate(rightExpr, scope)
                let result = try at(leftSpan.through(rightExpr.span)) { try compare(op, left, right) }
                if rest.count == 1 { return result }
                if !(try truthy(result)) { return result }
                left = right
                leftSpan = rightExpr.span
            }
            return .bool(true)
        case .conditional(let cond, let then, let otherwise):
            return try truthy(try evaluate(cond, scope)) ? try evaluate(then, scope) : try evaluate(otherwise, scope)
        case .lambda(let def):
            return try makeFunction(def, scope)
        case .listComprehension(let elt, let comps):
            var out: [Value] = []
            try comprehend(comps[...], Scope(kind: .comprehension, parent: scope, def: nil), outer: scope) { s in
                out.append(try evaluate(elt, s))
            }
            return .list(ListObject(out))
        case .generator(let elt, let comps):
            var out: [Value] = []
            try comprehend(comps[...], Scope(kind: .comprehension, parent: scope, def: nil), outer: scope) { s in
                out.append(try evaluate(elt, s))
            }
            return .native(IteratorObject(typeName: "generator", values: out))
        case .setComprehension(let elt, let comps):
            let set = SetObject()
            try comprehend(comps[...], Scope(kind: .comprehension, parent: scope, def: nil), outer: scope) { s in
                let v = try evaluate(elt, s)
                try at(elt.span) { try set.insert(v) }
            }
            return .set(set)
        case .dictComprehension(let k, let v, let comps):
            let d = DictObject()
            try comprehend(comps[...], Scope(kind: .comprehension, parent: scope, def: nil), outer: scope) { s in
                let key = try evaluate(k, s)
                let value = try evaluate(v, s)
                try at(k.span) { try d.set(key, value) }
            }
            return .dict(d)
        }
    }

    private func evaluateItems(_ items: [Expr], _ scope: Scope) throws -> [Value] {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for item in items {
            if case .starred(let inner) = item.kind {
                let v = try evaluate(inner, scope)
                out += try at(inner.span) { try collect(v) }
            } else {
                out.append(try evaluate(item, scope))
            }
        }
        return out
    }

    private func comprehend(_ comps: ArraySlice<Comprehension>, _ scope: Scope, outer: Scope, _ body: (Scope) throws -> Void) throws {
        guard let c = comps.first else {
            try body(scope)
            return
        }
        // The first iterable is evaluated in the enclosing scope, as in Python.
        let iterable = try evaluate(c.iter, comps.startIndex == 0 ? outer : scope)
        var it = try at(c.iter.span) { try iterate(iterable) }
        outerLoop: while let v = try it.next() {
            try tick()
            try assign(c.target, v, scope)
            for cond in c.conditions where !(try truthy(try evaluate(cond, scope))) {
                continue outerLoop
            }
            try comprehend(comps.dropFirst(), scope, outer: outer, body)
        }
    }

    func lookupName(_ n: String, _ scope: Scope) throws -> Value {
        if let v = try scope.lookup(n) { return v }
        if let v = builtins[n] { return v }
        throw nameError(n, scope)
    }

    func nameError(_ n: String, _ scope: Scope) -> ScriptError {
        var e = ScriptError.nameError("name '\(n)' is not defined")
        var candidates: [String] = []
        var s: Scope? = scope
        while let sc = s {
            candidates += sc.vars.keys
            s = sc.parent
        }
        candidates += builtins.keys
        if let best = closestName(n, candidates) { e.hint = "did you mean '\(best)'?" }
        return e
    }

    private func formatParts(_ parts: [FormattedPart], _ scope: Scope) throws -> String {
        var out = ""
        for p in parts {
            switch p {
            case .literal(let s): out += s
            case .field(let e, let conversion, let spec):
                var v = try evaluate(e, scope)
                switch conversion {
                case "r": v = .str(try repr(v))
                case "s": v = .str(try str(v))
                case "a": v = .str(asciiEscaped(try repr(v)))
                default: break
                }
                let specText = try spec.map { try formatParts($0, scope) } ?? ""
                out += try at(e.span) { try format(v, spec: specText) }
            }
        }
        return out
    }
}

/// The candidate closest to `name` by edit distance, when close enough to be a plausible typo.
func closestName(_ name: String, _ candidates: [String]) -> String? {
    let a = Array(name.unicodeScalars)
    guard a.count <= 40 else { return nil }
    var best: (String, Int)? = nil
    let limit = max(1, min(3, (a.count + 1) / 3))
    for c in Set(candidates) where c != name && !c.hasPrefix("__") {
        let b = Array(c.unicodeScalars)
        if abs(b.count - a.count) > limit { continue }
        let d = editDistance(a, b)
        if d <= limit {
            if let (bc, bd) = best, bd < d || (bd == d && bc <= c) { continue }
            best = (c, d)
        }
    }
    return best?.0
}

func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : (a[i - 1].properties.lowercaseMapping == b[j - 1].properties.lowercaseMapping ? 0 : 1)
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}
