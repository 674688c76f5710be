import Foundation

extension REPL {
    /// The history file: `MLUS_HISTORY` when set, else `~/.mlus_history`.
    public static func historyPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["MLUS_HISTORY"], !path.isEmpty { return (path as NSString).expandingTildeInPath }
        return (NSHomeDirectory() as NSString).appendingPathComponent(".mlus_history")
    }

    /// Starts the interactive session on this process's terminal: libedit with history and completion
    /// when standard input is a terminal, plain lines otherwise. Returns the exit status.
    public static func runInteractive(engine: ScriptEngine, banner: String? = nil) -> Int32 {
        let isTerminal = isatty(STDIN_FILENO) == 1
        let reader: LineReader
        if isTerminal, let editor = EditLineReader(
            historyPath: historyPath(),
            completer: Completer(source: engine, magics: magicNames)) {
            reader = editor
        } else {
            reader = PlainLineReader()
        }
        if let banner, isTerminal { print(banner + "\n") }
        return REPL(engine: engine, reader: reader).run()
    }
}
