/// The interpreter session as the REPL and the notebook runner drive it. `ScriptSessionEngine` adapts the
/// `Script` module's session to it; keeping the REPL behind this protocol keeps language logic out of
/// `Notebook` (DESIGN §2) and lets the REPL's own logic be tested with a table-driven engine.
public protocol ScriptEngine: CompletionSource {
    /// Runs `source` as if it were the file `filename`, in the session's globals (which persist).
    func run(_ source: String, filename: String) -> RunOutcome
    /// Whether `source` is valid so far but unfinished (an open bracket, string or block): the parser's
    /// "incomplete" as opposed to "invalid".
    func isIncomplete(_ source: String) -> Bool
    /// Asks the running code to raise KeyboardInterrupt at its next step. Safe to call from any thread.
    func requestInterrupt()
    /// Drops an interrupt that came too late to stop the previous run (called before the next run is armed).
    func discardPendingInterrupt()
    /// Binds the value of the last run's final expression to the global `name` (`_3`, `_`).
    func bindLastResult(to name: String)
    /// The user's variables (not built-ins, modules or the REPL's `_`, `In`, `Out`), for `%who`/`%whos`.
    func userVariables() -> [VariableSummary]
    /// Forgets every user variable (`%reset`).
    func reset()
    /// Where the session's prints and shown images go; nil sends them to the process's stdout and stderr.
    var display: DisplaySink? { get set }
}

/// How running a chunk of code ended.
public enum RunOutcome: Equatable {
    /// It ended without a value to show (statements, or an expression that is `None`).
    case noValue
    /// It ended with a bare expression: its display text (`repr`).
    case value(String)
    /// An uncaught error (including KeyboardInterrupt): its type name, message and rendered traceback.
    case error(name: String, message: String, traceback: String)
    /// `sys.exit(code)` was called.
    case exit(Int32)
}

/// A user variable as `%whos` lists it.
public struct VariableSummary: Equatable {
    public var name: String
    public var typeName: String
    /// A one-line description (a short repr, or a tensor's shape and dtype).
    public var summary: String

    public init(name: String, typeName: String, summary: String) {
        self.name = name
        self.typeName = typeName
        self.summary = summary
    }
}

/// Receives what a session prints and shows, e.g. to put it into a notebook cell's outputs.
public protocol DisplaySink: AnyObject {
    func write(_ text: String, to stream: CellOutput.Stream)
    /// A PNG file the code showed (`image.show(t)`); the sink embeds or links it.
    func showImage(pngPath: String)
}

extension ScriptEngine {
    public func discardPendingInterrupt() {}
}
