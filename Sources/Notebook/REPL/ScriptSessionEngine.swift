import Foundation
import Script

/// Adapts the `Script` module's `Session` to the `ScriptEngine` the REPL and the notebook runner drive.
/// It also adds the session's display functions to the globals: `progress(iterable, label)` and
/// `display_image(path)` (see `SessionBuiltins`).
public final class ScriptSessionEngine: ScriptEngine {
    public let session: Session
    public var display: DisplaySink?
    var lastValue: Value?

    /// - Parameters:
    ///   - scriptPath: the script being run (its folder is searched first on import); nil for the REPL.
    ///   - arguments: `sys.argv`.
    public init(scriptPath: String?, arguments: [String]) {
        let stdout = ForwardingSink(stream: .stdout)
        let stderr = ForwardingSink(stream: .stderr)
        let interpreter = Interpreter(stdout: stdout, stderr: stderr)
        interpreter.argv = arguments.isEmpty ? [""] : arguments
        installBindings(into: interpreter)
        session = Session(interpreter: interpreter, scriptPath: scriptPath)
        stdout.engine = self
        stderr.engine = self
        SessionBuiltins.install(in: session.interpreter) { [weak self] in self?.display }
    }

    public func run(_ source: String, filename: String) -> RunOutcome {
        defer { flushOutput() }
        do {
            let value = try session.execute(source, filename: filename)
            guard let value else { return .noValue }
            if case .none = value { return .noValue }
            lastValue = value
            return .value(session.repr(value))
        } catch let error as ScriptError {
            flushOutput()
            if error.exception.cls.isSubclass(of: ExceptionTypes.systemExit) {
                return .exit(exitStatus(error.exception))
            }
            let message = (try? session.interpreter.exceptionMessage(error.exception)) ?? ""
            return .error(name: error.typeName, message: message, traceback: session.render(error))
        } catch {
            return .error(name: "RuntimeError", message: "\(error)", traceback: "RuntimeError: internal error: \(error)\n")
        }
    }

    func flushOutput() {
        session.interpreter.stdout.flush()
        session.interpreter.stderr.flush()
    }

    /// The status `sys.exit(code)` asks for, as CPython computes it: None is 0, an int is itself,
    /// anything else is printed and gives 1.
    func exitStatus(_ exception: Instance) -> Int32 {
        guard let code = exception.exceptionArgs.first else { return 0 }
        switch code {
        case .none: return 0
        case .int(let value): return Int32(truncatingIfNeeded: value)
        case .bool(let value): return value ? 1 : 0
        default:
            session.interpreter.stderr.write(((try? session.interpreter.str(code)) ?? "") + "\n")
            return 1
        }
    }

    public func isIncomplete(_ source: String) -> Bool { Parser.isIncomplete(source) }

    public func requestInterrupt() { session.requestInterrupt() }

    public func discardPendingInterrupt() { session.discardPendingInterrupt() }

    public func bindLastResult(to name: String) {
        if let lastValue { session.setGlobal(name, lastValue) }
    }

    /// Names the REPL itself defines, which `%who` leaves out.
    static let sessionNames: Set<String> = ["In", "Out", "exit", "quit"]

    public func userVariables() -> [VariableSummary] {
        session.globalNames.compactMap { name in
            guard !name.hasPrefix("_"), !Self.sessionNames.contains(name),
                  !SessionBuiltins.names.contains(name), let value = session.global(name) else { return nil }
            var summary = session.repr(value).replacingOccurrences(of: "\n", with: " ")
            if summary.count > 60 { summary = String(summary.prefix(57)) + "..." }
            return VariableSummary(name: name, typeName: session.typeName(of: value), summary: summary)
        }
    }

    public func reset() {
        session.reset()
        lastValue = nil
        SessionBuiltins.install(in: session.interpreter) { [weak self] in self?.display }
    }

    public func globalNames() -> [String] {
        session.globalNames + session.builtinNames
    }

    public func attributeNames(ofDottedName name: String) -> [String]? {
        session.resolve(name).map { session.attributeNames(of: $0) }
    }

    /// Built-in modules and the `.mlus` files (and folders) in the import path, as `import` would find them.
    public func moduleNames() -> [String] {
        var names = session.interpreter.modules.names
        for folder in session.interpreter.searchPath {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for entry in entries where !entry.hasPrefix(".") {
                if entry.hasSuffix(".mlus") {
                    names.append(String(entry.dropLast(5)))
                } else {
                    var isFolder: ObjCBool = false
                    let path = (folder as NSString).appendingPathComponent(entry)
                    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
                       entry.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) {
                        names.append(entry)
                    }
                }
            }
        }
        return names
    }
}

/// The interpreter's stdout/stderr: to the display sink when one is set (a notebook cell), else to the
/// process's streams.
final class ForwardingSink: OutputSink {
    weak var engine: ScriptSessionEngine?
    let stream: CellOutput.Stream

    init(stream: CellOutput.Stream) {
        self.stream = stream
    }

    func write(_ text: String) {
        if let display = engine?.display {
            display.write(text, to: stream)
        } else {
            (stream == .stdout ? StandardStream.out : StandardStream.err).write(text)
        }
    }

    func flush() {
        (stream == .stdout ? StandardStream.out : StandardStream.err).flush()
    }
}
