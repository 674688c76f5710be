/// Recursive-descent parser from tokens to the AST, following Python's grammar and precedence.
/// Constructs outside the mlus subset (async, await, yield, walrus, match, other decorators) are
/// rejected with an error that names the construct.
public struct Parser {
    private let file: SourceFile
    private var tokens: [Token]
    private var pos = 0
    private var depth = 0

    init(tokens: [Token], file: SourceFile) {
        self.tokens = tokens
        self.file = file
    }

    /// Parses a whole module.
    /// - Throws: `ParseError`.
    public static func parse(_ file: SourceFile) throws -> [Stmt] {
        let tokens = try Lexer.tokenize(file)
        var parser = Parser(tokens: tokens, file: file)
        return try parser.parseModule()
    }

    /// True when `source` is a valid prefix of a program that needs more lines: an open bracket, a
    /// block header without a body, an unterminated triple-quoted string or a trailing backslash.
    /// Complete programs and programs with a definite syntax error return false.
    public static func isIncomplete(_ source: String) -> Bool {
        do {
            _ = try parse(SourceFile(name: "<input>", text: source))
            return false
        } catch let e as ParseError {
            return e.isIncomplete
        } catch {
            return false
        }
    }

    // MARK: token helpers

    private var current: Token { tokens[min(pos, tokens.count - 1)] }

    private func peekToken(_ k: Int = 1) -> Token { tokens[min(pos + k, tokens.count - 1)] }

    @discardableResult
    private mutating func next() -> Token {
        let t = current
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    private func isOp(_ s: String) -> Bool { current.op == s }

    private func isKeyword(_ s: String) -> Bool { current.name == s }

    private var atEOF: Bool {
        if case .eof = current.kind { return true }
        return false
    }

    private mutating func accept(_ s: String) -> Bool {
        if isOp(s) || (isKeyword(s) && pythonKeywords.contains(s)) {
            next()
            return true
        }
        return false
    }

    private func error(_ message: String, at token: Token? = nil) -> ParseError {
        let t = token ?? current
        if case .eof = t.kind { return ParseError(message, at: t.span, incomplete: true) }
        return ParseError(message, at: t.span)
    }

    @discardableResult
    private mutating func expect(_ s: String, _ context: String? = nil) throws -> Token {
        if isOp(s) || isKeyword(s) { return next() }
        let what = context.map { " \($0)" } ?? ""
        throw error("expected '\(s)'\(what)")
    }

    private mutating func expectName(_ what: String) throws -> (String, SourceSpan) {
        if let n = current.name, !pythonKeywords.contains(n) {
            let t = next()
            return (n, t.span)
        }
        throw error("expected \(what), found \(current.describe)")
    }

    private mutating func enter() throws {
        depth += 1
        if depth > 150 { throw error("expression nested too deeply") }
    }

    // MARK: statements

    mutating func parseModule() throws -> [Stmt] {
        var body: [Stmt] = []
        while true {
            switch current.kind {
            case .eof: return body
            case .newline: next()
            case .indent: throw ParseError("unexpected indent", at: current.span, kind: .indentation)
            default: body += try parseStatement()
            }
        }
    }

    private mutating func parseStatement() throws -> [Stmt] {
        if let n = current.name {
            switch n {
            case "if": return [try parseIf()]
            case "while": return [try parseWhile()]
            case "for": return [try parseFor()]
            case "def": return [try parseDef(decorators: [])]
            case "class": return [try parseClass(decorators: [])]
            case "try": return [try parseTry()]
            case "with": return [try parseWith()]
            case "async": throw error("'async' is not supported in mlus")
            case "match" where isMatchStatement(): throw error("'match' statements are not supported in mlus")
            default: break
            }
        }
        if isOp("@") { return [try parseDecorated()] }
        return try parseSimpleStatements()
    }

    private func isMatchStatement() -> Bool {
        var k = pos + 1
        if let op = tokens[min(k, tokens.count - 1)].op, ["=", ".", "(", "[", ",", ")"].contains(op) || op.hasSuffix("=") {
            if op != "(" && op != "[" { return false }
        }
        while k < tokens.count {
            if case .newline = tokens[k].kind { return tokens[k - 1].op == ":" }
            if case .eof = tokens[k].kind { return false }
            k += 1
        }
        return false
    }

    private mutating func parseSimpleStatements() throws -> [Stmt] {
        var stmts = [try parseSimpleStatement()]
        while accept(";") {
            if case .newline = current.kind { break }
            stmts.append(try parseSimpleStatement())
        }
        switch current.kind {
        case .newline: next()
        case .eof: break
        default: throw error("invalid syntax: unexpected \(current.describe)")
        }
        return stmts
    }

    private mutating func parseSimpleStatement() throws -> Stmt {
        let start = current.span
        if let n = current.name {
            switch n {
            case "pass": next(); return Stmt(kind: .pass, span: start)
            case "break": next(); return Stmt(kind: .breakStatement, span: start)
            case "continue": next(); return Stmt(kind: .continueStatement, span: start)
            case "return":
                next()
                if endsSimpleStatement() { return Stmt(kind: .returnStatement(nil), span: start) }
                let e = try parseExpressionList(allowStar: true)
                return Stmt(kind: .returnStatement(e), span: start.through(e.span))
            case "raise":
                next()
                if endsSimpleStatement() { return Stmt(kind: .raise(nil, cause: nil), span: start) }
                let e = try parseTest()
                var cause: Expr? = nil
                if accept("from") { cause = try parseTest() }
                return Stmt(kind: .raise(e, cause: cause), span: start.through(cause?.span ?? e.span))
            case "assert":
                next()
                let e = try parseTest()
                var msg: Expr? = nil
                if accept(",") { msg = try parseTest() }
                return Stmt(kind: .assert(e, message: msg), span: start.through(msg?.span ?? e.span))
            case "global", "nonlocal":
                next()
                var names = [try expectName("a name").0]
                while accept(",") { names.append(try expectName("a name").0) }
                return Stmt(kind: n == "global" ? .global(names) : .nonlocal(names), span: start)
            case "del":
                next()
                var targets = [try parseBitOr()]
                while accept(",") {
                    if endsSimpleStatement() { break }
                    targets.append(try parseBitOr())
                }
                for t in targets { try checkTarget(t, verb: "delete") }
                return Stmt(kind: .delete(targets), span: start.through(targets.last?.span ?? start))
            case "import": return try parseImport()
            case "from": return try parseFromImport()
            case "yield": throw error("'yield' (generators) is not supported in mlus")
            case "async": throw error("'async' is not supported in mlus")
            case "await": throw error("'await' is not supported in mlus")
            default: break
            }
        }
        let first = try parseExpressionList(allowStar: true)
        if let op = current.op {
            if op == "=" {
                var targets = [first]
                var value = first
                while accept("=") {
                    if isKeyword("yield") { throw error("'yield' (generators) is not supported in mlus") }
                    value = try parseExpressionList(allowStar: true)
                    targets.append(value)
                }
                targets.removeLast()
                for t in targets { try checkTarget(t, verb: "assign to") }
                return Stmt(kind: .assign(targets: targets, value: value), span: start.through(value.span))
            }
            if op == ":" {
                next()
                let annotation = try parseTest()
                var value: Expr? = nil
                if accept("=") { value = try parseExpressionList(allowStar: true) }
                try checkTarget(first, verb: "annotate")
                return Stmt(kind: .annotatedAssign(first, annotation: annotation, value: value), span: start.through(value?.span ?? annotation.span))
            }
            if op.count >= 2, op.hasSuffix("="), !["==", "!=", "<=", ">="].contains(op) {
                let opText = String(op.dropLast())
                guard let bop = BinaryOperator(rawValue: opText) else { throw error("invalid syntax") }
                let opToken = next()
                switch first.kind {
                case .name, .attribute, .subscript: break
                default: throw ParseError("'\(describeTarget(first))' is an illegal expression for augmented assignment", at: first.span)
                }
                let value = try parseExpressionList(allowStar: false)
                _ = opToken
                return Stmt(kind: .augmentedAssign(first, bop, value), span: start.through(value.span))
            }
            if op == ":=" { throw error("the walrus operator ':=' is not supported in mlus") }
        }
        return Stmt(kind: .expression(first), span: first.span)
    }

    private func endsSimpleStatement() -> Bool {
        switch current.kind {
        case .newline, .eof: return true
        case .op(let s): return s == ";"
        default: return false
        }
    }

    private func describeTarget(_ e: Expr) -> String {
        switch e.kind {
        case .constant(let c):
            switch c {
            case .none: return "None"
            case .bool(let b): return b ? "True" : "False"
            case .ellipsis: return "ellipsis"
            default: return "literal"
            }
        case .call: return "function call"
        case .binary, .unary: return "expression"
        case .compare: return "comparison"
        case .lambda: return "lambda"
        case .conditional: return "conditional expression"
        case .and, .or: return "expression"
        case .formatted: return "f-string expression"
        case .listComprehension: return "list comprehension"
        case .dictComprehension: return "dict comprehension"
        case .setComprehension: return "set comprehension"
        case .generator: return "generator expression"
        case .dict: return "dict literal"
        case .set: return "set display"
        default: return "expression"
        }
    }

    private func checkTarget(_ e: Expr, verb: String) throws {
        switch e.kind {
        case .name(let n):
            if n == "__debug__" { throw ParseError("cannot \(verb) __debug__", at: e.span) }
        case .attribute, .subscript: break
        case .tuple(let items), .list(let items):
            var stars = 0
            for item in items {
                if case .starred = item.kind { stars += 1 }
                try checkTarget(item, verb: verb)
            }
            if stars > 1 { throw ParseError("multiple starred expressions in assignment", at: e.span) }
        case .starred(let inner):
            try checkTarget(inner, verb: verb)
        default:
            throw ParseError("cannot \(verb) \(describeTarget(e))", at: e.span)
        }
    }

    private mutating func parseDottedName() throws -> String {
        var name = try expectName("a module name").0
        while accept(".") { name += "." + (try expectName("a module name").0) }
        return name
    }

    private mutating func parseImport() throws -> Stmt {
        let start = next().span
        var names: [ImportName] = []
        repeat {
            let dotted = try parseDottedName()
            var alias: String? = nil
            if accept("as") { alias = try expectName("a name after 'as'").0 }
            names.append(ImportName(name: dotted, alias: alias))
        } while accept(",")
        return Stmt(kind: .importModules(names), span: start.through(tokens[max(pos - 1, 0)].span))
    }

    private mutating func parseFromImport() throws -> Stmt {
        let start = next().span
        var level = 0
        while isOp(".") || isOp("...") {
            level += isOp("...") ? 3 : 1
            next()
        }
        var module = ""
        if !isKeyword("import") { module = try parseDottedName() }
        try expect("import")
        var names: [ImportName] = []
        if accept("*") {
            names.append(ImportName(name: "*", alias: nil))
        } else {
            let paren = accept("(")
            repeat {
                if paren && isOp(")") { break }
                let n = try expectName("a name to import").0
                var alias: String? = nil
                if accept("as") { alias = try expectName("a name after 'as'").0 }
                names.append(ImportName(name: n, alias: alias))
            } while accept(",")
            if paren { try expect(")") }
            if names.isEmpty { throw error("expected a name to import") }
        }
        return Stmt(kind: .importFrom(module: module, level: level, names: names), span: start.through(tokens[max(pos - 1, 0)].span))
    }

    /// Parses `:` followed by a block (indented suite or simple statements on the same line).
    private mutating func parseBlock(_ header: String, line: Int) throws -> [Stmt] {
        try expect(":", "after \(header)")
        if case .newline = current.kind {
            next()
            guard case .indent = current.kind else {
                if atEOF {
                    throw ParseError("expected an indented block after \(header) on line \(line)", at: current.span, kind: .indentation, incomplete: true)
                }
                throw ParseError("expected an indented block after \(header) on line \(line)", at: current.span, kind: .indentation)
            }
            next()
            var body: [Stmt] = []
            while true {
                switch current.kind {
                case .dedent:
                    next()
                    return body
                case .eof: return body
                case .newline: next()
                case .indent: throw ParseError("unexpected indent", at: current.span, kind: .indentation)
                default: body += try parseStatement()
                }
            }
        }
        if atEOF {
            throw ParseError("expected an indented block after \(header) on line \(line)", at: current.span, kind: .indentation, incomplete: true)
        }
        return try parseSimpleStatements()
    }

    private mutating func parseIf() throws -> Stmt {
        let start = next().span
        var branches: [(Expr, [Stmt])] = []
        let cond = try parseNamedTest()
        branches.append((cond, try parseBlock("'if' statement", line: start.line)))
        var otherwise: [Stmt]? = nil
        while true {
            if isKeyword("elif") {
                let t = next()
                let c = try parseNamedTest()
                branches.append((c, try parseBlock("'elif' statement", line: t.span.line)))
            } else if isKeyword("else") {
                let t = next()
                otherwise = try parseBlock("'else' statement", line: t.span.line)
                break
            } else {
                break
            }
        }
        return Stmt(kind: .ifStatement(branches: branches, otherwise: otherwise), span: start.through(cond.span))
    }

    private mutating func parseNamedTest() throws -> Expr {
        let e = try parseTest()
        if isOp(":=") { throw error("the walrus operator ':=' is not supported in mlus") }
        return e
    }

    private mutating func parseWhile() throws -> Stmt {
        let start = next().span
        let cond = try parseNamedTest()
        let body = try parseBlock("'while' statement", line: start.line)
        var otherwise: [Stmt]? = nil
        if isKeyword("else") {
            let t = next()
            otherwise = try parseBlock("'else' statement", line: t.span.line)
        }
        return Stmt(kind: .whileLoop(cond, body: body, otherwise: otherwise), span: start.through(cond.span))
    }

    private mutating func parseTargetList() throws -> Expr {
        let first = try parseTargetItem()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if isKeyword("in") || isOp("=") { break }
            items.append(try parseTargetItem())
        }
        return Expr(kind: .tuple(items), span: first.span.through(items.last?.span ?? first.span))
    }

    private mutating func parseTargetItem() throws -> Expr {
        if isOp("*") {
            let t = next()
            let inner = try parseBitOr()
            return Expr(kind: .starred(inner), span: t.span.through(inner.span))
        }
        return try parseBitOr()
    }

    private mutating func parseFor() throws -> Stmt {
        let start = next().span
        let target = try parseTargetList()
        try checkTarget(target, verb: "assign to")
        try expect("in", "in 'for' statement")
        let iter = try parseExpressionList(allowStar: true)
        let body = try parseBlock("'for' statement", line: start.line)
        var otherwise: [Stmt]? = nil
        if isKeyword("else") {
            let t = next()
            otherwise = try parseBlock("'else' statement", line: t.span.line)
        }
        return Stmt(kind: .forLoop(target: target, iterable: iter, body: body, otherwise: otherwise), span: start.through(iter.span))
    }

    private mutating func parseTry() throws -> Stmt {
        let start = next().span
        let body = try parseBlock("'try' statement", line: start.line)
        var handlers: [ExceptHandler] = []
        while isKeyword("except") {
            let t = next()
            if isOp("*") { throw error("'except*' is not supported in mlus") }
            var type: Expr? = nil
            var name: String? = nil
            if !isOp(":") {
                type = try parseTest()
                if isOp(",") {
                    var items = [type!]
                    while accept(",") { items.append(try parseTest()) }
                    type = Expr(kind: .tuple(items), span: items[0].span.through(items[items.count - 1].span))
                }
                if accept("as") { name = try expectName("a name after 'as'").0 }
            }
            let hbody = try parseBlock("'except' statement", line: t.span.line)
            handlers.append(ExceptHandler(type: type, name: name, body: hbody, span: t.span.through(type?.span ?? t.span)))
        }
        var otherwise: [Stmt]? = nil
        var fin: [Stmt]? = nil
        if isKeyword("else") {
            if handlers.isEmpty { throw error("'else' after 'try' needs an 'except' clause") }
            let t = next()
            otherwise = try parseBlock("'else' statement", line: t.span.line)
        }
        if isKeyword("finally") {
            let t = next()
            fin = try parseBlock("'finally' statement", line: t.span.line)
        }
        if handlers.isEmpty && fin == nil {
            throw error("expected 'except' or 'finally' block")
        }
        return Stmt(kind: .tryStatement(body: body, handlers: handlers, otherwise: otherwise, finally: fin), span: start)
    }

    private mutating func parseWith() throws -> Stmt {
        let start = next().span
        var items: [(Expr, Expr?)] = []
        repeat {
            let e = try parseTest()
            var target: Expr? = nil
            if accept("as") {
                target = try parseTargetItem()
                if let t = target { try checkTarget(t, verb: "assign to") }
            }
            items.append((e, target))
        } while accept(",")
        let body = try parseBlock("'with' statement", line: start.line)
        return Stmt(kind: .with(items: items, body: body), span: start.through(items.last?.0.span ?? start))
    }

    private mutating func parseDecorated() throws -> Stmt {
        var decorators: [Expr] = []
        while isOp("@") {
            next()
            let d = try parseTest()
            try checkDecorator(d)
            decorators.append(d)
            guard case .newline = current.kind else { throw error("expected a newline after decorator") }
            next()
        }
        if isKeyword("def") { return try parseDef(decorators: decorators) }
        if isKeyword("class") { return try parseClass(decorators: decorators) }
        if isKeyword("async") { throw error("'async' is not supported in mlus") }
        throw error("expected 'def' or 'class' after decorator")
    }

    private func checkDecorator(_ d: Expr) throws {
        switch d.kind {
        case .name(let n) where ["staticmethod", "classmethod", "property"].contains(n): return
        case .attribute(let base, let attr) where ["setter", "getter", "deleter"].contains(attr):
            if case .name = base.kind { return }
        default: break
        }
        throw ParseError("decorators other than @staticmethod, @classmethod and @property are not supported in mlus", at: d.span)
    }

    private mutating func parseDef(decorators: [Expr]) throws -> Stmt {
        let start = next().span
        let (name, _) = try expectName("a function name")
        try expect("(", "after function name")
        let params = try parseParameters(closing: ")", allowAnnotations: true)
        try expect(")")
        if accept("->") { _ = try parseTest() }
        let body = try parseBlock("function definition", line: start.line)
        let def = FunctionDef(name: name, parameters: params, body: body, decorators: decorators, isLambda: false, span: start)
        return Stmt(kind: .functionDef(def), span: start)
    }

    private mutating func parseParameters(closing: String, allowAnnotations: Bool) throws -> [Parameter] {
        var params: [Parameter] = []
        var seenStar = false
        var seenDefault = false
        var names: Set<String> = []
        func add(_ p: Parameter, at span: SourceSpan) throws {
            if names.contains(p.name) { throw ParseError("duplicate argument '\(p.name)' in function definition", at: span) }
            names.insert(p.name)
            params.append(p)
        }
        while !isOp(closing) {
            if accept("/") {
                if !accept(",") { break }
                continue
            }
            if accept("**") {
                let (n, sp) = try expectName("a parameter name")
                if allowAnnotations && accept(":") { _ = try parseTest() }
                try add(Parameter(name: n, kind: .varkw, defaultValue: nil), at: sp)
                _ = accept(",")
                break
            }
            if accept("*") {
                if seenStar { throw error("* argument may appear only once") }
                seenStar = true
                if isOp(",") { next(); continue }
                let (n, sp) = try expectName("a parameter name")
                if allowAnnotations && accept(":") { _ = try parseTest() }
                try add(Parameter(name: n, kind: .varargs, defaultValue: nil), at: sp)
                if !accept(",") { break }
                continue
            }
            let (n, sp) = try expectName("a parameter name")
            if allowAnnotations && accept(":") { _ = try parseTest() }
            var def: Expr? = nil
            if accept("=") {
                def = try parseTest()
                seenDefault = true
            } else if seenDefault && !seenStar {
                throw ParseError("non-default argument follows default argument", at: sp)
            }
            try add(Parameter(name: n, kind: seenStar ? .keywordOnly : .normal, defaultValue: def), at: sp)
            if !accept(",") { break }
        }
        return params
    }

    private mutating func parseClass(decorators: [Expr]) throws -> Stmt {
        let start = next().span
        if !decorators.isEmpty { throw ParseError("class decorators are not supported in mlus", at: decorators[0].span) }
        let (name, _) = try expectName("a class name")
        var bases: [Expr] = []
        if accept("(") {
            while !isOp(")") {
                if let n = current.name, peekToken().op == "=" {
                    throw error("class keyword argument '\(n)=' is not supported in mlus")
                }
                bases.append(try parseTest())
                if !accept(",") { break }
            }
            try expect(")")
        }
        if bases.count > 1 { throw ParseError("multiple inheritance is not supported in mlus (one base class)", at: bases[1].span) }
        let body = try parseBlock("class definition", line: start.line)
        return Stmt(kind: .classDef(ClassDef(name: name, bases: bases, body: body, decorators: decorators, span: start)), span: start)
    }

    // MARK: expressions

    /// `a, b, *c` — a tuple when there is a comma.
    mutating func parseExpressionList(allowStar: Bool) throws -> Expr {
        let first = try parseStarOrTest(allowStar: allowStar)
        guard isOp(",") else {
            if case .starred = first.kind { throw ParseError("can't use starred expression here", at: first.span) }
            return first
        }
        var items = [first]
        while accept(",") {
            if endsExpressionList() { break }
            items.append(try parseStarOrTest(allowStar: allowStar))
        }
        return Expr(kind: .tuple(items), span: first.span.through(items[items.count - 1].span))
    }

    private func endsExpressionList() -> Bool {
        switch current.kind {
        case .newline, .eof: return true
        case .op(let s): return s == "=" || s == ")" || s == ";" || s == ":" || s == "]" || s == "}" || (s.hasSuffix("=") && s.count >= 2 && s != "==")
        case .name(let n): return n == "in"
        default: return false
        }
    }

    private mutating func parseStarOrTest(allowStar: Bool) throws -> Expr {
        if isOp("*") {
            let t = next()
            let inner = try parseBitOr()
            if !allowStar { throw ParseError("can't use starred expression here", at: t.span) }
            return Expr(kind: .starred(inner), span: t.span.through(inner.span))
        }
        return try parseTest()
    }

    /// `test`: conditional expressions and lambdas.
    mutating func parseTest() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        if isKeyword("lambda") { return try parseLambda() }
        if isKeyword("yield") { throw error("'yield' (generators) is not supported in mlus") }
        if isKeyword("await") { throw error("'await' is not supported in mlus") }
        let e = try parseOr()
        if isKeyword("if") {
            next()
            let cond = try parseOr()
            guard accept("else") else { throw error("expected 'else' after 'if' expression") }
            let other = try parseTest()
            return Expr(kind: .conditional(condition: cond, then: e, otherwise: other), span: e.span.through(other.span))
        }
        return e
    }

    private mutating func parseTestNoCond() throws -> Expr {
        if isKeyword("lambda") { return try parseLambda() }
        return try parseOr()
    }

    private mutating func parseLambda() throws -> Expr {
        let start = next().span
        let params = try parseParameters(closing: ":", allowAnnotations: false)
        try expect(":", "after lambda parameters")
        let body = try parseTest()
        let ret = Stmt(kind: .returnStatement(body), span: body.span)
        let def = FunctionDef(name: "<lambda>", parameters: params, body: [ret], decorators: [], isLambda: true, span: start.through(body.span))
        return Expr(kind: .lambda(def), span: start.through(body.span))
    }

    private mutating func parseOr() throws -> Expr {
        var e = try parseAnd()
        while isKeyword("or") {
            next()
            let r = try parseAnd()
            e = Expr(kind: .or(e, r), span: e.span.through(r.span))
        }
        return e
    }

    private mutating func parseAnd() throws -> Expr {
        var e = try parseNot()
        while isKeyword("and") {
            next()
            let r = try parseNot()
            e = Expr(kind: .and(e, r), span: e.span.through(r.span))
        }
        return e
    }

    private mutating func parseNot() throws -> Expr {
        if isKeyword("not") {
            let t = next()
            try enter()
            defer { depth -= 1 }
            let e = try parseNot()
            return Expr(kind: .unary(.not, e), span: t.span.through(e.span))
        }
        return try parseComparison()
    }

    private mutating func compareOperator() -> CompareOperator? {
        if let op = current.op {
            switch op {
            case "==": next(); return .eq
            case "!=": next(); return .ne
            case "<": next(); return .lt
            case "<=": next(); return .le
            case ">": next(); return .gt
            case ">=": next(); return .ge
            default: return nil
            }
        }
        if isKeyword("in") { next(); return .in }
        if isKeyword("not") && peekToken().name == "in" { next(); next(); return .notIn }
        if isKeyword("is") {
            next()
            if accept("not") { return .isNot }
            return .is
        }
        return nil
    }

    private mutating func parseComparison() throws -> Expr {
        let first = try parseBitOr()
        var rest: [(CompareOperator, Expr)] = []
        while let op = compareOperator() {
            rest.append((op, try parseBitOr()))
        }
        if rest.isEmpty { return first }
        return Expr(kind: .compare(first, rest), span: first.span.through(rest[rest.count - 1].1.span))
    }

    private mutating func parseBinaryLevel(_ ops: [String: BinaryOperator], _ operand: (inout Parser) throws -> Expr) throws -> Expr {
        var e = try operand(&self)
        while let s = current.op, let op = ops[s] {
            next()
            let r = try operand(&self)
            e = Expr(kind: .binary(op, e, r), span: e.span.through(r.span))
        }
        return e
    }

    mutating func parseBitOr() throws -> Expr {
        try parseBinaryLevel(["|": .bitOr]) { try $0.parseBitXor() }
    }

    private mutating func parseBitXor() throws -> Expr {
        try parseBinaryLevel(["^": .bitXor]) { try $0.parseBitAnd() }
    }

    private mutating func parseBitAnd() throws -> Expr {
        try parseBinaryLevel(["&": .bitAnd]) { try $0.parseShift() }
    }

    private mutating func parseShift() throws -> Expr {
        try parseBinaryLevel(["<<": .lshift, ">>": .rshift]) { try $0.parseArith() }
    }

    private mutating func parseArith() throws -> Expr {
        try parseBinaryLevel(["+": .add, "-": .sub]) { try $0.parseTerm() }
    }

    private mutating func parseTerm() throws -> Expr {
        try parseBinaryLevel(["*": .mul, "/": .div, "//": .floorDiv, "%": .mod, "@": .matmul]) { try $0.parseFactor() }
    }

    private mutating func parseFactor() throws -> Expr {
        if let s = current.op, s == "+" || s == "-" || s == "~" {
            let t = next()
            try enter()
            defer { depth -= 1 }
            let e = try parseFactor()
            let op: UnaryOperator = s == "+" ? .plus : (s == "-" ? .minus : .invert)
            return Expr(kind: .unary(op, e), span: t.span.through(e.span))
        }
        return try parsePower()
    }

    private mutating func parsePower() throws -> Expr {
        if isKeyword("await") { throw error("'await' is not supported in mlus") }
        let base = try parsePrimary()
        if accept("**") {
            let exp = try parseFactor()
            return Expr(kind: .binary(.pow, base, exp), span: base.span.through(exp.span))
        }
        return base
    }

    private mutating func parsePrimary() throws -> Expr {
        var e = try parseAtom()
        while true {
            if isOp(".") {
                next()
                let (name, sp) = try expectName("an attribute name")
                e = Expr(kind: .attribute(e, name), span: e.span.through(sp))
            } else if isOp("(") {
                next()
                let args = try parseCallArguments()
                let close = try expect(")")
                e = Expr(kind: .call(e, args), span: e.span.through(close.span))
            } else if isOp("[") {
                next()
                let index = try parseSubscriptList()
                let close = try expect("]")
                e = Expr(kind: .subscript(e, index), span: e.span.through(close.span))
            } else {
                return e
            }
        }
    }

    private mutating func parseCallArguments() throws -> [Argument] {
        var args: [Argument] = []
        var sawKeyword = false
        while !isOp(")") {
            if accept("**") {
                args.append(.doubleStar(try parseTest()))
                sawKeyword = true
            } else if accept("*") {
                args.append(.star(try parseTest()))
            } else if let n = current.name, !pythonKeywords.contains(n), peekToken().op == "=" {
                next(); next()
                args.append(.keyword(n, try parseTest()))
                sawKeyword = true
            } else {
                let e = try parseTest()
                if isOp(":=") { throw error("the walrus operator ':=' is not supported in mlus") }
                if isOp("=") { throw error("expression cannot contain assignment, perhaps you meant \"==\"?") }
                if isKeyword("for") {
                    let comps = try parseComprehensionClauses()
                    args.append(.positional(Expr(kind: .generator(e, comps), span: e.span)))
                } else {
                    if sawKeyword { throw ParseError("positional argument follows keyword argument", at: e.span) }
                    args.append(.positional(e))
                }
            }
            if !accept(",") { break }
        }
        return args
    }

    private mutating func parseSubscriptList() throws -> Expr {
        let first = try parseSubscriptItem()
        guard isOp(",") else { return first }
        var items = [first]
        while accept(",") {
            if isOp("]") { break }
            items.append(try parseSubscriptItem())
        }
        return Expr(kind: .tuple(items), span: first.span.through(items[items.count - 1].span))
    }

    private mutating func parseSubscriptItem() throws -> Expr {
        let start = current.span
        var lower: Expr? = nil
        if !isOp(":") {
            if isOp("*") {
                let t = next()
                let inner = try parseBitOr()
                return Expr(kind: .starred(inner), span: t.span.through(inner.span))
            }
            lower = try parseTest()
            if !isOp(":") { return lower! }
        }
        next()
        var upper: Expr? = nil
        var step: Expr? = nil
        if !isOp("]") && !isOp(",") && !isOp(":") { upper = try parseTest() }
        if accept(":") {
            if !isOp("]") && !isOp(",") { step = try parseTest() }
        }
        let endSpan = step?.span ?? upper?.span ?? lower?.span ?? start
        return Expr(kind: .slice(lower, upper, step), span: start.through(endSpan))
    }

    private mutating func parseComprehensionClauses() throws -> [Comprehension] {
        var comps: [Comprehension] = []
        while isKeyword("for") || isKeyword("async") {
            if isKeyword("async") { throw error("'async' is not supported in mlus") }
            next()
            let target = try parseTargetList()
            try checkTarget(target, verb: "assign to")
            try expect("in", "in comprehension")
            let iter = try parseOr()
            var conds: [Expr] = []
            while isKeyword("if") {
                next()
                conds.append(try parseTestNoCond())
            }
            comps.append(Comprehension(target: target, iter: iter, conditions: conds))
        }
        return comps
    }

    private mutating func parseAtom() throws -> Expr {
        try enter()
        defer { depth -= 1 }
        let t = current
        switch t.kind {
        case .int(let v): next(); return Expr(kind: .constant(.int(v)), span: t.span)
        case .float(let v): next(); return Expr(kind: .constant(.float(v)), span: t.span)
        case .string, .fstring: return try parseStrings()
        case .name(let n):
            switch n {
            case "None": next(); return Expr(kind: .constant(.none), span: t.span)
            case "True": next(); return Expr(kind: .constant(.bool(true)), span: t.span)
            case "False": next(); return Expr(kind: .constant(.bool(false)), span: t.span)
            case "yield": throw error("'yield' (generators) is not supported in mlus")
            case "await": throw error("'await' is not supported in mlus")
            case "lambda": return try parseLambda()
            default:
                if pythonKeywords.contains(n) { throw error("invalid syntax: unexpected keyword '\(n)'") }
                next()
                return Expr(kind: .name(n), span: t.span)
            }
        case .op(let s):
            switch s {
            case "...": next(); return Expr(kind: .constant(.ellipsis), span: t.span)
            case "(": return try parseParen()
            case "[": return try parseListDisplay()
            case "{": return try parseBraceDisplay()
            default: throw error("invalid syntax: unexpected '\(s)'")
            }
        case .newline, .eof: throw error("invalid syntax: expected an expression")
        case .indent: throw ParseError("unexpected indent", at: t.span, kind: .indentation)
        case .dedent: throw error("invalid syntax: expected an expression")
        }
    }

    private mutating func parseStrings() throws -> Expr {
        let start = current.span
        var end = start
        var parts: [FormattedPart] = []
        var isFormatted = false
        var plain = ""
        while true {
            let t = current
            if case .string(let s) = t.kind {
                plain += s
                parts.append(.literal(s))
            } else if case .fstring(let fparts) = t.kind {
                isFormatted = true
                parts += try convertFString(fparts)
            } else {
                break
            }
            end = t.span
            next()
        }
        let span = start.through(end)
        if !isFormatted { return Expr(kind: .constant(.str(plain)), span: span) }
        return Expr(kind: .formatted(parts), span: span)
    }

    private func convertFString(_ parts: [FStringPart]) throws -> [FormattedPart] {
        var out: [FormattedPart] = []
        for p in parts {
            switch p {
            case .literal(let s): out.append(.literal(s))
            case .field(let source, let line, let column, let conversion, let spec, let selfDoc):
                if let d = selfDoc { out.append(.literal(d)) }
                var lexer = Lexer(text: "(" + source + ")", file: file, line: line, column: column - 1)
                let toks = try lexer.run()
                var sub = Parser(tokens: toks, file: file)
                sub.depth = depth
                let e = try sub.parseExpressionList(allowStar: false)
                guard case .newline = sub.current.kind else {
                    throw ParseError("f-string: invalid syntax", at: sub.current.span)
                }
                out.append(.field(e, conversion: conversion, spec: try spec.map { try convertFString($0) }))
            }
        }
        return out
    }

    private mutating func parseParen() throws -> Expr {
        let open = next()
        if isOp(")") {
            let close = next()
            return Expr(kind: .tuple([]), span: open.span.through(close.span))
        }
        if isKeyword("yield") { throw error("'yield' (generators) is not supported in mlus") }
        let first = try parseStarOrTest(allowStar: true)
        if isOp(":=") { throw error("the walrus operator ':=' is not supported in mlus") }
        if isKeyword("for") {
            let comps = try parseComprehensionClauses()
            let close = try expect(")")
            return Expr(kind: .generator(first, comps), span: open.span.through(close.span))
        }
        if isOp(")") {
            let close = next()
            if case .starred = first.kind { throw ParseError("can't use starred expression here", at: first.span) }
            // Parentheses keep the inner node but widen its span for carets.
            return Expr(kind: first.kind, span: open.span.through(close.span))
        }
        var items = [first]
        while accept(",") {
            if isOp(")") { break }
            items.append(try parseStarOrTest(allowStar: true))
        }
        let close = try expect(")")
        return Expr(kind: .tuple(items), span: open.span.through(close.span))
    }

    private mutating func parseListDisplay() throws -> Expr {
        let open = next()
        if isOp("]") {
            let close = next()
            return Expr(kind: .list([]), span: open.span.through(close.span))
        }
        let first = try parseStarOrTest(allowStar: true)
        if isKeyword("for") {
            let comps = try parseComprehensionClauses()
            let close = try expect("]")
            return Expr(kind: .listComprehension(first, comps), span: open.span.through(close.span))
        }
        var items = [first]
        while accept(",") {
            if isOp("]") { break }
            items.append(try parseStarOrTest(allowStar: true))
        }
        let close = try expect("]")
        return Expr(kind: .list(items), span: open.span.through(close.span))
    }

    private mutating func parseBraceDisplay() throws -> Expr {
        let open = next()
        if isOp("}") {
            let close = next()
            return Expr(kind: .dict([]), span: open.span.through(close.span))
        }
        if accept("**") {
            var items: [DictItem] = [.unpack(try parseBitOr())]
            return try finishDict(open: open, items: &items)
        }
        let first = try parseStarOrTest(allowStar: true)
        if accept(":") {
            let value = try parseTest()
            if isKeyword("for") {
                let comps = try parseComprehensionClauses()
                let close = try expect("}")
                return Expr(kind: .dictComprehension(first, value, comps), span: open.span.through(close.span))
            }
            var items: [DictItem] = [.pair(first, value)]
            return try finishDict(open: open, items: &items)
        }
        if isKeyword("for") {
            let comps = try parseComprehensionClauses()
            let close = try expect("}")
            return Expr(kind: .setComprehension(first, comps), span: open.span.through(close.span))
        }
        var items = [first]
        while accept(",") {
            if isOp("}") { break }
            items.append(try parseStarOrTest(allowStar: true))
        }
        let close = try expect("}")
        return Expr(kind: .set(items), span: open.span.through(close.span))
    }

    private mutating func finishDict(open: Token, items: inout [DictItem]) throws -> Expr {
        while accept(",") {
            if isOp("}") { break }
            if accept("**") {
                items.append(.unpack(try parseBitOr()))
                continue
            }
            let k = try parseTest()
            try expect(":", "in dict literal")
            items.append(.pair(k, try parseTest()))
        }
        let close = try expect("}")
        return Expr(kind: .dict(items), span: open.span.through(close.span))
    }
}
