/// The syntax tree of mlus, declared in one place. Every node carries the span it was parsed from.

/// An expression node.
public struct Expr {
    public let kind: ExprKind
    public let span: SourceSpan
}

/// A statement node.
public struct Stmt {
    public let kind: StmtKind
    public let span: SourceSpan
}

public enum UnaryOperator: String { case plus = "+", minus = "-", invert = "~", not = "not" }

public enum BinaryOperator: String {
    case add = "+", sub = "-", mul = "*", div = "/", floorDiv = "//", mod = "%", pow = "**", matmul = "@"
    case lshift = "<<", rshift = ">>", bitAnd = "&", bitOr = "|", bitXor = "^"

    /// The dunder method name (`__add__`), used for user classes and native objects.
    public var dunder: String {
        switch self {
        case .add: return "__add__"
        case .sub: return "__sub__"
        case .mul: return "__mul__"
        case .div: return "__truediv__"
        case .floorDiv: return "__floordiv__"
        case .mod: return "__mod__"
        case .pow: return "__pow__"
        case .matmul: return "__matmul__"
        case .lshift: return "__lshift__"
        case .rshift: return "__rshift__"
        case .bitAnd: return "__and__"
        case .bitOr: return "__or__"
        case .bitXor: return "__xor__"
        }
    }

    /// The reflected dunder (`__radd__`).
    public var reflectedDunder: String { "__r" + dunder.dropFirst(2) }

    /// The in-place dunder (`__iadd__`).
    public var inplaceDunder: String { "__i" + dunder.dropFirst(2) }
}

public enum CompareOperator: String {
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">=", `in` = "in", notIn = "not in", `is` = "is", isNot = "is not"

    var dunder: String? {
        switch self {
        case .eq: return "__eq__"
        case .ne: return "__ne__"
        case .lt: return "__lt__"
        case .le: return "__le__"
        case .gt: return "__gt__"
        case .ge: return "__ge__"
        default: return nil
        }
    }

    /// The operator with operands swapped (`a < b` ⇔ `b > a`).
    var swapped: CompareOperator {
        switch self {
        case .lt: return .gt
        case .gt: return .lt
        case .le: return .ge
        case .ge: return .le
        default: return self
        }
    }
}

public enum Constant {
    case none, ellipsis
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
}

/// A piece of an f-string after parsing.
public enum FormattedPart {
    case literal(String)
    case field(Expr, conversion: Character?, spec: [FormattedPart]?)
}

public enum Argument {
    case positional(Expr)
    case star(Expr)
    case keyword(String, Expr)
    case doubleStar(Expr)
}

public enum DictItem {
    case pair(Expr, Expr)
    case unpack(Expr)
}

/// `for target in iter if cond...` inside a comprehension.
public struct Comprehension {
    public let target: Expr
    public let iter: Expr
    public let conditions: [Expr]
}

public indirect enum ExprKind {
    case name(String)
    case constant(Constant)
    case formatted([FormattedPart])
    case list([Expr])
    case tuple([Expr])
    case set([Expr])
    case dict([DictItem])
    case starred(Expr)
    case attribute(Expr, String)
    case `subscript`(Expr, Expr)
    case slice(Expr?, Expr?, Expr?)
    case call(Expr, [Argument])
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case compare(Expr, [(CompareOperator, Expr)])
    case conditional(condition: Expr, then: Expr, otherwise: Expr)
    case lambda(FunctionDef)
    case listComprehension(Expr, [Comprehension])
    case setComprehension(Expr, [Comprehension])
    case dictComprehension(Expr, Expr, [Comprehension])
    case generator(Expr, [Comprehension])
    /// `yield x` (value nil for a bare `yield`).
    case yield(Expr?)
    /// `yield from iterable`.
    case yieldFrom(Expr)
}

public struct Parameter {
    public enum Kind { case normal, varargs, keywordOnly, varkw }
    public let name: String
    public let kind: Kind
    public let defaultValue: Expr?
}

/// A `def` or `lambda`, with the scope facts the interpreter needs (computed once by the parser).
public final class FunctionDef {
    public let name: String
    public let parameters: [Parameter]
    public let body: [Stmt]
    public let decorators: [Expr]
    public let isLambda: Bool
    /// True when the body contains `yield`: calling it returns a generator.
    public let isGenerator: Bool
    public let span: SourceSpan
    /// Names bound in this function's own scope (parameters, assignments, imports, nested defs).
    public let localNames: Set<String>
    /// True when every parameter is a plain positional one (the fast path for argument binding).
    let onlyPositionalParameters: Bool
    public let globalNames: Set<String>
    public let nonlocalNames: Set<String>

    init(name: String, parameters: [Parameter], body: [Stmt], decorators: [Expr], isLambda: Bool, isGenerator: Bool = false, span: SourceSpan) {
        self.isGenerator = isGenerator
        self.onlyPositionalParameters = parameters.allSatisfy { $0.kind == .normal }
        self.name = name
        self.parameters = parameters
        self.body = body
        self.decorators = decorators
        self.isLambda = isLambda
        self.span = span
        var scope = ScopeNames()
        for p in parameters { scope.bound.insert(p.name) }
        scope.collect(body)
        self.globalNames = scope.globals
        self.nonlocalNames = scope.nonlocals
        self.localNames = scope.bound.subtracting(scope.globals).subtracting(scope.nonlocals)
    }
}

public final class ClassDef {
    public let name: String
    public let bases: [Expr]
    public let body: [Stmt]
    public let decorators: [Expr]
    public let span: SourceSpan

    init(name: String, bases: [Expr], body: [Stmt], decorators: [Expr], span: SourceSpan) {
        self.name = name
        self.bases = bases
        self.body = body
        self.decorators = decorators
        self.span = span
    }
}

public struct ExceptHandler {
    public let type: Expr?
    public let name: String?
    public let body: [Stmt]
    public let span: SourceSpan
}

public struct ImportName {
    public let name: String
    public let alias: String?
}

public indirect enum StmtKind {
    case expression(Expr)
    case assign(targets: [Expr], value: Expr)
    case augmentedAssign(Expr, BinaryOperator, Expr)
    case annotatedAssign(Expr, annotation: Expr, value: Expr?)
    case ifStatement(branches: [(Expr, [Stmt])], otherwise: [Stmt]?)
    case whileLoop(Expr, body: [Stmt], otherwise: [Stmt]?)
    case forLoop(target: Expr, iterable: Expr, body: [Stmt], otherwise: [Stmt]?)
    case breakStatement
    case continueStatement
    case pass
    case returnStatement(Expr?)
    case functionDef(FunctionDef)
    case classDef(ClassDef)
    case importModules([ImportName])
    case importFrom(module: String, level: Int, names: [ImportName])
    case with(items: [(Expr, Expr?)], body: [Stmt])
    case tryStatement(body: [Stmt], handlers: [ExceptHandler], otherwise: [Stmt]?, finally: [Stmt]?)
    case raise(Expr?, cause: Expr?)
    case assert(Expr, message: Expr?)
    case global([String])
    case nonlocal([String])
    case delete([Expr])
}

/// Collects the names a function body binds, without entering nested scopes.
struct ScopeNames {
    var bound: Set<String> = []
    var globals: Set<String> = []
    var nonlocals: Set<String> = []

    mutating func collect(_ body: [Stmt]) {
        for s in body { collect(s) }
    }

    mutating func target(_ e: Expr) {
        switch e.kind {
        case .name(let n): bound.insert(n)
        case .tuple(let items), .list(let items): items.forEach { target($0) }
        case .starred(let inner): target(inner)
        default: break
        }
    }

    mutating func collect(_ s: Stmt) {
        switch s.kind {
        case .assign(let targets, _): targets.forEach { target($0) }
        case .augmentedAssign(let t, _, _): target(t)
        case .annotatedAssign(let t, _, _): target(t)
        case .ifStatement(let branches, let otherwise):
            for (_, b) in branches { collect(b) }
            if let o = otherwise { collect(o) }
        case .whileLoop(_, let body, let otherwise):
            collect(body)
            if let o = otherwise { collect(o) }
        case .forLoop(let t, _, let body, let otherwise):
            target(t)
            collect(body)
            if let o = otherwise { collect(o) }
        case .functionDef(let f): bound.insert(f.name)
        case .classDef(let c): bound.insert(c.name)
        case .importModules(let names):
            for n in names { bound.insert(n.alias ?? String(n.name.split(separator: ".").first ?? "")) }
        case .importFrom(_, _, let names):
            for n in names where n.name != "*" { bound.insert(n.alias ?? n.name) }
        case .with(let items, let body):
            for (_, t) in items { if let t { target(t) } }
            collect(body)
        case .tryStatement(let body, let handlers, let otherwise, let fin):
            collect(body)
            for h in handlers {
                if let n = h.name { bound.insert(n) }
                collect(h.body)
            }
            if let o = otherwise { collect(o) }
            if let f = fin { collect(f) }
        case .global(let names): names.forEach { globals.insert($0) }
        case .nonlocal(let names): names.forEach { nonlocals.insert($0) }
        case .delete(let targets): targets.forEach { target($0) }
        case .expression, .breakStatement, .continueStatement, .pass, .returnStatement, .raise, .assert: break
        }
    }
}
