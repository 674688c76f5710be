import Glibc

/// A persistent execution context for the CLI, the REPL and notebooks: runs source chunks in one
/// `__main__` namespace, on a large-stack thread, and answers questions for completion and `%who`.
public final class Session {
    public let interpreter: Interpreter
    private var chunkCount = 0

    /// - Parameters:
    ///   - interpreter: the interpreter (configure sinks, registry, limits before use).
    ///   - scriptPath: the script being run (its folder is searched first for imports); nil uses the cwd.
    deinit { interpreter.shutdown() }

    public init(interpreter: Interpreter = Interpreter(), scriptPath: String? = nil) {
        self.interpreter = interpreter
        if interpreter.searchPath.isEmpty || scriptPath != nil {
            interpreter.searchPath = Session.defaultSearchPath(scriptPath: scriptPath)
        }
    }

    /// Import folders: the script's folder (or cwd), `MLUS_PATH` entries, then `stdlib/`.
    public static func defaultSearchPath(scriptPath: String?) -> [String] {
        var path: [String] = []
        if let scriptPath {
            let (dir, _) = splitPath(scriptPath)
            path.append(dir.isEmpty ? "." : dir)
        } else {
            path.append(".")
        }
        if let env = getenv("MLUS_PATH") {
            path += String(cString: env).split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        if let stdlib = locateStdlib() { path.append(stdlib) }
        return path
    }

    /// `MLUS_STDLIB`, else a `stdlib/` folder next to a `Package.swift` above the executable.
    public static func locateStdlib() -> String? {
        if let env = getenv("MLUS_STDLIB") { return String(cString: env) }
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return nil }
        var dir = splitPath(String(cString: buf)).0
        for _ in 0..<8 {
            if fileExists(dir + "/Package.swift") && isDirectory(dir + "/stdlib") { return dir + "/stdlib" }
            let parent = splitPath(dir).0
            if parent == dir || parent.isEmpty { break }
            dir = parent
        }
        return nil
    }

    /// Runs a chunk of source in the session's globals.
    /// - Returns: the value of a final bare expression statement (for `Out[n]`); nil when there is none
    ///   or it is `None` (as IPython shows no `Out` for None).
    /// - Throws: `ScriptError` (including SyntaxError); render it with `render(_:)`.
    @discardableResult
    public func execute(_ source: String, filename: String? = nil) throws -> Value? {
        chunkCount += 1
        let name = filename ?? "<cell \(chunkCount)>"
        let interp = interpreter
        let result: Result<Value?, ScriptError> = LargeStack.run {
            // No interruptFlag.clear() here: a Ctrl-C that lands after the caller started this run but before
            // the first statement must still interrupt it. Callers drop stale requests first
            // (`discardPendingInterrupt`).
            interp.resetSteps()
            do {
                let body = try interp.parse(SourceFile(name: name, text: source))
                let value = try interp.execute(body, in: interp.mainModule)
                if let v = value, v.isNone { return .success(nil) }
                return .success(value)
            } catch let e as ScriptError {
                return .failure(e)
            } catch {
                return .failure(ScriptError.runtimeError("internal error: \(error)"))
            }
        }
        return try result.get()
    }

    /// The rendered traceback of an error from `execute`.
    public func render(_ error: ScriptError) -> String { interpreter.render(error) }

    /// `repr(value)`, never throwing (for `Out[n]` display).
    public func repr(_ value: Value) -> String {
        LargeStack.run { [interpreter] in (try? interpreter.repr(value)) ?? "<repr failed>" }
    }

    /// Names defined in the session's globals (for `%who` and completion), sorted.
    public var globalNames: [String] {
        interpreter.mainModule.scope.vars.keys.filter { !$0.hasPrefix("__") }.sorted()
    }

    /// Built-in names (for completion).
    public var builtinNames: [String] { interpreter.builtins.keys.filter { !$0.hasPrefix("\u{0}") }.sorted() }

    /// A global's value.
    public func global(_ name: String) -> Value? { interpreter.mainModule.scope.vars[name] }

    /// Sets a global (`_`, `_3`, `Out`).
    public func setGlobal(_ name: String, _ value: Value) { interpreter.mainModule.scope.vars[name] = value }

    /// Removes every user global (for `%reset`).
    public func reset() {
        let keep = ["__name__"]
        for k in interpreter.mainModule.scope.vars.keys where !keep.contains(k) {
            interpreter.mainModule.scope.vars[k] = nil
        }
    }

    /// Resolves `a.b.c` through globals, builtins and attributes without calling anything
    /// except properties/native attribute hooks (for tab completion of `torch.` style prefixes).
    public func resolve(_ dotted: String) -> Value? {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty else { return nil }
        var v: Value? = interpreter.mainModule.scope.vars[first] ?? interpreter.builtins[first]
        for p in parts.dropFirst() {
            guard let cur = v, !p.isEmpty else { return nil }
            v = try? interpreter.findAttribute(cur, p)
        }
        return v
    }

    /// Attribute names of a value (for tab completion).
    public func attributeNames(of value: Value) -> [String] { interpreter.attributeNames(value) }

    /// The type name of a value (for `%whos`).
    public func typeName(of value: Value) -> String { interpreter.typeName(value) }

    /// Asks the running chunk to stop with KeyboardInterrupt (thread-safe).
    public func requestInterrupt() { interpreter.requestInterrupt() }

    /// Drops an interrupt requested too late to stop the previous chunk, so it does not stop the next one.
    /// Call it before arming Ctrl-C for a new chunk, not inside the run (that would lose an early Ctrl-C).
    public func discardPendingInterrupt() { interpreter.interruptFlag.clear() }
}

/// The interpreter a SIGINT should interrupt (set while `ProgramRunner.run` executes).
nonisolated(unsafe) private var interruptTarget: Interpreter?

/// Runs whole programs for the `mlus` command.
public enum ProgramRunner {
    /// Runs `source` as `__main__` with `sys.argv = argv`, printing an uncaught error's traceback to stderr.
    /// - Returns: the process exit status (0, 1 on an uncaught error, or the `sys.exit` code).
    public static func run(source: String, filename: String, argv: [String], scriptPath: String?,
                           interpreter: Interpreter = Interpreter()) -> Int32 {
        let interp = interpreter
        interp.argv = argv
        // Ctrl-C raises KeyboardInterrupt in the script (with a traceback) instead of killing the process.
        interruptTarget = interp
        signal(SIGINT) { _ in interruptTarget?.requestInterrupt() }
        defer {
            signal(SIGINT, SIG_DFL)
            interruptTarget = nil
        }
        let session = Session(interpreter: interp, scriptPath: scriptPath)
        if let scriptPath { session.setGlobal("__file__", .str(scriptPath)) }
        defer {
            interp.stdout.flush()
            interp.stderr.flush()
        }
        do {
            try session.execute(source, filename: filename)
            return 0
        } catch let e as ScriptError {
            interp.stdout.flush()
            if e.exception.cls.isSubclass(of: ExceptionTypes.systemExit) {
                return exitStatus(e.exception, interp)
            }
            interp.stderr.write(session.render(e))
            return e.exception.cls.isSubclass(of: ExceptionTypes.keyboardInterrupt) ? 130 : 1
        } catch {
            interp.stderr.write("mlus: internal error: \(error)\n")
            return 1
        }
    }

    private static func exitStatus(_ inst: Instance, _ interp: Interpreter) -> Int32 {
        guard let code = inst.exceptionArgs.first else { return 0 }
        switch code {
        case .none: return 0
        case .int(let i): return Int32(truncatingIfNeeded: i)
        case .bool(let b): return b ? 1 : 0
        default:
            interp.stderr.write(((try? interp.str(code)) ?? "") + "\n")
            return 1
        }
    }
}
