import Foundation

/// Reads plain lines from standard input, for when it is not a terminal: prompts are printed as text and
/// no escape codes are written, so another program can drive the REPL.
public final class PlainLineReader: LineReader {
    let showsPrompts: Bool

    public init(showsPrompts: Bool = true) {
        self.showsPrompts = showsPrompts
    }

    public func readLine(prompt: String, indent: String) -> LineReadResult {
        if showsPrompts {
            fputs(prompt, stdout)
        }
        fflush(stdout)
        let line = InterruptWatcher.shared.whileReading { Swift.readLine(strippingNewline: true) }
        if InterruptWatcher.shared.consumePending() {
            clearerr(stdin)
            if showsPrompts { fputs("\n", stdout) }
            return .interrupted
        }
        guard let line else {
            if showsPrompts { fputs("\n", stdout) }
            return .endOfInput
        }
        return .line(line)
    }

    public func addToHistory(_ line: String) {}
}
