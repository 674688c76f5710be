/// What the completer asks the session: the names it can offer. The REPL's session adapter answers from
/// the interpreter's globals; tests answer from a table.
public protocol CompletionSource: AnyObject {
    /// Global names (variables, functions, classes, imported modules) and built-in names.
    func globalNames() -> [String]
    /// Attribute names of the value a dotted name such as `model.conv1` or `os.path` evaluates to,
    /// or nil when it does not name a value. Must not run arbitrary code: only look names up.
    func attributeNames(ofDottedName name: String) -> [String]?
    /// Names `import` accepts: built-in modules (dotted, e.g. `torch.nn`) and script modules on the path.
    func moduleNames() -> [String]
}

extension CompletionSource {
    public func moduleNames() -> [String] { [] }
}
