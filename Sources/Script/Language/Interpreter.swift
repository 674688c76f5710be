import Synchronization

/// A thread-safe flag set by `Interpreter.requestInterrupt()` (e.g. from a SIGINT handler).
final class InterruptFlag: @unchecked Sendable {
    private let flag = Atomic<Bool>(false)
    func set() { flag.store(true, ordering: .relaxed) }
    func clear() { flag.store(false, ordering: .relaxed) }
    var isSet: Bool { flag.load(ordering: .relaxed) }
}

/// Result of executing a statement: how control leaves it.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
    case returned(Value)
}

/// The tree-walking interpreter. One instance holds the global state of a program or REPL session:
/// loaded modules, the native module registry, output sinks, limits and the interrupt flag.
/// It is not thread-safe except for `requestInterrupt()`; run it on one thread (see `LargeStack`).
public final class Interpreter {
    /// Where `print` and `sys.stdout` write.
    public var stdout: OutputSink
    /// Where `sys.stderr` writes.
    public var stderr: OutputSink
    /// Native modules, consulted first on `import`.
    public let modules = ModuleRegistry()
    /// Maximum number of steps (statements, loop iterations, calls) before a fatal StepBudgetExceeded; nil = unlimited.
    public var stepBudget: Int?
    /// Maximum depth of script calls before RecursionError.
    public var recursionLimit = 1000
    /// `sys.argv`.
    public var argv: [String] = [""]
    /// Folders searched for script modules after the native registry (script folder, MLUS_PATH, stdlib).
    public var searchPath: [String] = []
    /// The `__main__` module whose globals a session keeps.
    public let mainModule: Module

    var steps = 0
    let interruptFlag = InterruptFlag()
    var callDepth = 0
    var builtins: [String: Value] = [:]
    var loadedModules: [String: Module] = [:]
    /// Exceptions being handled (innermost last), for bare `raise`.
    var handling: [ScriptError] = []
    /// Script functions currently executing with their scopes (for zero-argument `super()`).
    var frames: [(Function, Scope)] = []
    /// Objects whose repr is in progress (to print `[...]` for self-containing lists).
    var reprInProgress: Set<ObjectIdentifier> = []
    /// The module whose top-level code is running (for `dir()`/`globals()` outside functions).
    var currentModule: Module
    var randomState = RandomState(seed: 0x9E3779B97F4A7C15)

    /// Largest list/str a single operation may create, so hostile input cannot exhaust memory.
    public var maxSequenceLength = 20_000_000

    public init(stdout: OutputSink = StandardStream.out, stderr: OutputSink = StandardStream.err) {
        self.stdout = stdout
        self.stderr = stderr
        self.mainModule = Module(name: "__main__")
        self.currentModule = mainModule
        installBuiltins()
        installStandardModules()
        loadedModules["__main__"] = mainModule
    }

    /// Asks the running program to stop with KeyboardInterrupt at the next loop iteration or call.
    /// Safe to call from any thread or a signal handler's dispatch.
    public func requestInterrupt() { interruptFlag.set() }

    /// Counts one step; raises on interrupt or exhausted budget.
    @inline(__always)
    func tick() throws {
        steps &+= 1
        if let b = stepBudget, steps > b {
            var e = ScriptError(type: ExceptionTypes.stepBudgetExceeded, "step budget of \(b) steps exceeded")
            e.isFatal = true
            throw e
        }
        if interruptFlag.isSet {
            interruptFlag.clear()
            throw ScriptError.keyboardInterrupt()
        }
    }

    /// Resets the step counter (the budget applies per top-level execution).
    public func resetSteps() { steps = 0 }

    /// Runs `body`, attributing any error without a location to `span`.
    @inline(__always)
    func at<T>(_ span: SourceSpan, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var e as ScriptError {
            if e.pendingSpan == nil { e.pendingSpan = span }
            throw e
        }
    }

    // MARK: running code

    /// Parses `source`, converting lexer/parser errors to SyntaxError.
    public func parse(_ source: SourceFile) throws -> [Stmt] {
        do {
            return try Parser.parse(source)
        } catch let p as ParseError {
            throw ScriptError.from(p)
        }
    }

    /// Executes statements in a module's global scope. Returns the value of the last statement when it is
    /// a bare expression (for `Out[n]`), else nil.
    @discardableResult
    func execute(_ body: [Stmt], in module: Module, frameName: String = "<module>") throws -> Value? {
        do {
            var last: Value? = nil
            for (k, s) in body.enumerated() {
                if k == body.count - 1, case .expression(let e) = s.kind {
                    try tick()
                    last = try at(s.span) { try evaluate(e, module.scope) }
                } else {
                    _ = try exec(s, module.scope)
                }
            }
            return last
        } catch var e as ScriptError {
            if let span = e.pendingSpan {
                e.traceback.append(TraceFrame(span: span, function: frameName))
                e.pendingSpan = nil
            }
            throw e
        }
    }

    /// Calls any callable script value from Swift (native code calling back into scripts).
    public func call(_ callee: Value, _ args: [Value], _ kwargs: [(String, Value)] = []) throws -> Value {
        try callValue(callee, args, kwargs)
    }

    /// Calls `receiver.name(args...)`.
    public func callMethod(_ receiver: Value, _ name: String, _ args: [Value], _ kwargs: [(String, Value)] = []) throws -> Value {
        let m = try getAttribute(receiver, name)
        return try callValue(m, args, kwargs)
    }

    /// A context for calling native hooks on `object` as seen from `receiver`.
    func context(_ receiver: Value) -> NativeContext { NativeContext(interpreter: self, receiver: receiver) }
}
