import Foundation

/// The interactive session of `mlus` (DESIGN §7): IPython-style numbered prompts, `Out[n]` values and the
/// `_`, `__`, `___`, `_n`, `Out`, `In` history variables, multi-line input with auto-indent, `?obj`,
/// magics, Ctrl-C handling. Lines come from a `LineReader`, code runs in a `ScriptEngine`.
public final class REPL {
    let engine: ScriptEngine
    let reader: LineReader
    /// The number of the next `In [n]:` prompt.
    public private(set) var executionCount = 1
    /// The source of each numbered input, for `%history` and `%save`.
    public private(set) var inputs: [Int: String] = [:]
    var exitStatus: Int32?

    public init(engine: ScriptEngine, reader: LineReader) {
        self.engine = engine
        self.reader = reader
    }

    /// Reads and runs inputs until Ctrl-D, `%quit`, `exit()` or `sys.exit`. Returns the exit status.
    public func run() -> Int32 {
        InterruptWatcher.shared.install()
        _ = engine.run("_ = __ = ___ = ''\nIn = ['']\nOut = {}", filename: "<repl>")
        while exitStatus == nil {
            guard let source = readInput() else { break }
            if source.allSatisfy({ $0.isWhitespace }) { continue }
            let number = executionCount
            inputs[number] = source
            executionCount += 1
            _ = engine.run("In.append(\(Self.stringLiteral(source)))", filename: "<repl>")
            execute(source, number: number)
            fflush(stdout)
        }
        return exitStatus ?? 0
    }

    /// Reads one complete input (possibly many lines). Nil at the end of input.
    func readInput() -> String? {
        var input = CellInput(isIncomplete: engine.isIncomplete)
        var indent = ""
        while true {
            let prompt = input.isEmpty ? Self.prompt(executionCount) : Self.continuationPrompt(executionCount)
            switch reader.readLine(prompt: prompt, indent: indent) {
            case .endOfInput:
                return nil
            case .interrupted:
                input.reset()
                indent = ""
            case .line(let line):
                reader.addToHistory(line)
                if input.isEmpty, Self.isSpecial(line) { return line }
                switch input.append(line) {
                case .run(let source): return source
                case .needMore(let next): indent = next
                }
            }
        }
    }

    /// Runs one numbered input: a magic, a help request or code.
    func execute(_ source: String, number: Int) {
        let trimmed = source.trimming(" \t")
        if ["exit", "quit", "exit()", "quit()"].contains(trimmed) {
            exitStatus = 0
            return
        }
        if let topic = Self.helpTopic(trimmed) {
            runCode("help(\(topic))", number: number)
            return
        }
        if trimmed.hasPrefix("%") {
            runMagic(String(trimmed.dropFirst()), number: number)
            return
        }
        runCode(source, number: number)
    }

    /// Runs code, interruptible by Ctrl-C; shows its value as `Out[n]` or its error.
    @discardableResult
    func runCode(_ source: String, number: Int, filename: String? = nil, showValue: Bool = true) -> RunOutcome {
        let outcome = InterruptWatcher.shared.running(engine) {
            engine.run(source, filename: filename ?? "<In [\(number)]>")
        }
        report(outcome, number: number, showValue: showValue)
        return outcome
    }

    func report(_ outcome: RunOutcome, number: Int, showValue: Bool) {
        fflush(stdout)
        switch outcome {
        case .noValue:
            break
        case .value(let text):
            guard showValue else { break }
            let prompt = "Out[\(number)]: "
            print(text.contains("\n") ? prompt + "\n" + text : prompt + text)
            engine.bindLastResult(to: "_\(number)")
            _ = engine.run("___ = __\n__ = _\n_ = _\(number)\nOut[\(number)] = _\(number)", filename: "<repl>")
        case .error(_, _, let traceback):
            fputs(traceback.hasSuffix("\n") ? traceback : traceback + "\n", stderr)
        case .exit(let code):
            exitStatus = code
        }
        fflush(stdout)
    }

    // MARK: - Prompts and special inputs

    static func prompt(_ number: Int) -> String { "In [\(number)]: " }

    /// `...: ` right-aligned under the `In [n]: ` prompt, as IPython draws it.
    static func continuationPrompt(_ number: Int) -> String {
        let width = prompt(number).count
        return String(repeating: " ", count: max(0, width - 5)) + "...: "
    }

    /// Inputs handled whole, without block continuation: magics and help requests.
    static func isSpecial(_ line: String) -> Bool {
        let trimmed = line.trimming(" \t")
        return trimmed.hasPrefix("%") || helpTopic(trimmed) != nil
    }

    /// The object of `?obj`, `obj?` or `obj??` when it is a dotted name.
    static func helpTopic(_ text: String) -> String? {
        var topic = Substring(text)
        if topic.hasPrefix("?") {
            topic = topic.drop(while: { $0 == "?" })
        } else if topic.hasSuffix("?") {
            while topic.hasSuffix("?") { topic = topic.dropLast() }
        } else {
            return nil
        }
        let name = topic.trimming(" \t")
        let isDottedName = !name.isEmpty && name.allSatisfy { $0 == "_" || $0 == "." || $0.isLetter || $0.isNumber }
            && !(name.first?.isNumber ?? true)
        return isDottedName ? name : nil
    }

    /// A Python string literal for `text`.
    static func stringLiteral(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": literal += "\\\\"
            case "\"": literal += "\\\""
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            default:
                if scalar.value < 0x20 {
                    literal += String(format: "\\x%02x", scalar.value)
                } else {
                    literal.unicodeScalars.append(scalar)
                }
            }
        }
        return literal + "\""
    }
}
