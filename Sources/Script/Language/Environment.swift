/// A namespace at run time: a module's globals, a function call's locals, a class body or a comprehension.
/// Closures keep a reference to the scope they were defined in, so later assignments are visible
/// (Python's cell semantics).
public final class Scope {
    public enum Kind { case module, function, classBody, comprehension }

    public var vars = NameTable()
    let kind: Kind
    /// The enclosing scope for name lookup (class bodies are skipped by functions defined inside them).
    let parent: Scope?
    /// For function scopes: the definition, whose scope analysis says which names are local/global/nonlocal.
    let def: FunctionDef?

    init(kind: Kind, parent: Scope?, def: FunctionDef?) {
        self.kind = kind
        self.parent = parent
        self.def = def
    }

    /// The module scope at the root of the chain.
    var globals: Scope {
        var s = self
        while let p = s.parent { s = p }
        return s
    }

    /// Looks a name up following Python's LEGB rule (builtins are handled by the caller).
    /// - Throws: UnboundLocalError when `name` is a local of this function not yet assigned.
    func lookup(_ name: String) throws -> Value? {
        if let v = vars[name] { return v }
        if let def {
            if def.globalNames.contains(name) { return globals.vars[name] }
            if def.localNames.contains(name) {
                throw ScriptError(type: ExceptionTypes.unboundLocalError,
                                  "cannot access local variable '\(name)' where it is not associated with a value")
            }
        }
        var s = parent
        while let scope = s {
            if scope.kind != .classBody || scope.parent == nil, let v = scope.vars[name] { return v }
            s = scope.parent
        }
        return nil
    }

    /// Binds a name, honouring `global` and `nonlocal` declarations.
    func assign(_ name: String, _ value: Value) {
        if let def {
            if def.globalNames.contains(name) {
                globals.vars[name] = value
                return
            }
            if def.nonlocalNames.contains(name), let owner = enclosingOwner(of: name) {
                owner.vars[name] = value
                return
            }
        }
        vars[name] = value
    }

    /// Removes a binding (`del name`); returns false when it was not bound.
    func delete(_ name: String) -> Bool {
        if let def {
            if def.globalNames.contains(name) { return globals.vars.removeValue(forKey: name) != nil }
            if def.nonlocalNames.contains(name), let owner = enclosingOwner(of: name) {
                return owner.vars.removeValue(forKey: name) != nil
            }
        }
        return vars.removeValue(forKey: name) != nil
    }

    private func enclosingOwner(of name: String) -> Scope? {
        var s = parent
        while let scope = s, scope.parent != nil {
            if scope.kind == .function, scope.vars[name] != nil || (scope.def?.localNames.contains(name) ?? false) {
                return scope
            }
            s = scope.parent
        }
        return nil
    }
}
