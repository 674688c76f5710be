/// What reading one line of input gave.
public enum LineReadResult: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line is discarded.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
}

/// Where the REPL gets its lines: a line editor on a terminal, plain `stdin` lines otherwise.
public protocol LineReader: AnyObject {
    /// Shows `prompt` and reads one line (without its newline). On a terminal, `indent` is typed in for
    /// the user (auto-indent); plain readers ignore it because the driving program sends its own.
    func readLine(prompt: String, indent: String) -> LineReadResult
    /// Records an entered line in the persistent history (a no-op for plain readers).
    func addToHistory(_ line: String)
}
