import MLU
import NN
import Ops
import Tensors

/// `torch.jit`: `trace(module, example_inputs, check_trace=True)` returns a traced module whose calls run
/// the optimised graph (Catch's fused mode) and, when `ct.save_as_cambricon(name)` is armed, write the
/// offline model on their first run (docs/runtime.md).
enum JITModule {
    static func make(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "torch.jit")
        m.addFunction("trace") { args in try trace(args) }
        return m
    }

    /// The `torch` module with `torch.jit` attached, as `import torch` gives it in PyTorch.
    static func attach(to torch: Module, _ interpreter: Interpreter) -> Module {
        let jit = interpreter.loadedModules["torch.jit"] ?? make(interpreter)
        interpreter.loadedModules["torch.jit"] = jit
        torch.set("jit", .module(jit))
        return torch
    }

    /// Relative and absolute tolerance of `check_trace` (the fused-mode bound of docs/graph.md).
    static let checkTolerance = (relative: 1e-5, absolute: 1e-6)

    static func trace(_ args: Arguments) throws -> Value {
        let b = try BoundArguments(args, ["func", "example_inputs", "optimize", "check_trace", "check_inputs", "check_tolerance",
                                          "strict", "_force_outplace", "_module_class", "_compilation_unit"], required: 2)
        let callee = b["func"] ?? .none
        let interpreter: Interpreter? = args.interpreter
        let examples = try exampleTensors(b["example_inputs"] ?? .none)
        let module = ModuleObject.module(callee)
        var named = [(key: String, tensor: Tensor)]()
        if let module {
            named = module.stateDict()
            let keys = Set(named.map(\.key))
            for (key, t) in module.namedBuffers() where !keys.contains(key) { named.append((key, t)) }
        }
        var returnsTuple = false
        // Weak: the traced module lives in the interpreter's variables; a strong capture would be a cycle.
        let forward: TracedModule.Forward = { [weak interpreter] inputs in
            guard let interpreter else { throw ScriptError.runtimeError("the interpreter that traced this module has ended") }
            let out = try interpreter.call(callee, inputs.map(Convert.wrap))
            if let t = Convert.tensorOrNil(out) { return [t] }
            returnsTuple = true
            return try interpreter.listItems(out).map { try Convert.tensor($0, "torch.jit.trace: the traced function's output") }
        }
        let traced = try traceError {
            try TracedModule(example: examples, namedTensors: named,
                             module: module, forward: forward)
        }
        let object = TracedModuleObject(traced: traced, original: callee, returnsTuple: returnsTuple,
                                        className: module.map { ($0 as? ScriptBacked)?.scriptInstance?.cls.name ?? $0.typeName } ?? "function")
        if try b.bool("check_trace", true) {
            try check(traced, forward: forward, examples: examples, interpreter: args.interpreter)
        }
        return .native(object)
    }

    /// `check_trace=True`: the traced graph must reproduce an eager run on the example inputs.
    private static func check(_ traced: TracedModule, forward: TracedModule.Forward, examples: [Tensor], interpreter: Interpreter) throws {
        let eager = try forward(examples)
        let fused = try traceError { try traced.run(examples, generating: false) }
        for (k, (a, e)) in zip(fused, eager).enumerated() {
            let x = a.floats(), y = e.floats()
            let tol = checkTolerance
            let bad = x.count != y.count || zip(x, y).contains { abs(Double($0) - Double($1)) > tol.absolute + tol.relative * abs(Double($1)) }
            if bad {
                interpreter.stderr.write("TracerWarning: output #\(k) of the traced module differs from the Python function beyond rtol \(tol.relative), atol \(tol.absolute); data-dependent control flow is frozen by tracing\n")
            }
        }
    }

    static func exampleTensors(_ value: Value) throws -> [Tensor] {
        if let t = Convert.tensorOrNil(value) { return [t] }
        switch value {
        case .tuple(let items): return try items.map { try Convert.tensor($0, "torch.jit.trace(): example_inputs") }
        case .list(let l): return try l.items.map { try Convert.tensor($0, "torch.jit.trace(): example_inputs") }
        default: throw ScriptError.typeError("torch.jit.trace(): example_inputs must be a Tensor or a tuple of Tensors, not \(Convert.typeName(value))")
        }
    }

    /// Engine errors of tracing and fused runs as RuntimeErrors with their messages.
    static func traceError<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ScriptError {
            throw e
        } catch let e as TraceRuntimeError {
            throw ScriptError.runtimeError(e.description)
        } catch let e as GraphError {
            throw ScriptError.runtimeError(e.description)
        } catch {
            return try bridge { throw error }
        }
    }
}
