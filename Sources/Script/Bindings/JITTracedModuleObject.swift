import MLU

/// What `torch.jit.trace` returns: calling it runs the fused graph; `graph` prints the traced graph.
final class TracedModuleObject: NativeObject {
    let traced: TracedModule
    let original: Value
    let returnsTuple: Bool
    let className: String

    init(traced: TracedModule, original: Value, returnsTuple: Bool, className: String) {
        self.traced = traced
        self.original = original
        self.returnsTuple = returnsTuple
        self.className = className
    }

    var typeName: String { "TopLevelTracedModule" }
    func repr(context: NativeContext) throws -> String { "\(typeName)(original_name=\(className))" }

    func call(_ arguments: Arguments, context: NativeContext) throws -> Value {
        guard arguments.keywords.isEmpty else {
            throw ScriptError.typeError("a traced module takes positional tensor arguments only")
        }
        let inputs = try arguments.positional.map { try Convert.tensor($0, "traced \(className) input") }
        let outputs = try JITModule.traceError { try traced.run(inputs) }
        if !returnsTuple, outputs.count == 1 { return Convert.wrap(outputs[0]) }
        return Convert.wrapList(outputs)
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "graph": return .str(traced.graph.description)
        case "optimized_graph": return .str(traced.optimizedGraph.description)
        case "forward":
            return .builtin(BuiltinFunction("forward") { [self] args in try call(args, context: context) })
        case "eval", "float", "cpu":
            let receiver = context.receiver
            return .builtin(BuiltinFunction(name) { _ in receiver })
        case "fused":
            return .bool(traced.optimize)
        case "last_generated":
            guard let g = traced.lastGenerated else { return Value.none }
            return .tuple([.str(g.model), .str(g.twins)])
        default:
            return nil
        }
    }

    func attributeNames() -> [String] { ["graph", "optimized_graph", "forward", "eval", "float", "cpu", "fused", "last_generated"] }
}
