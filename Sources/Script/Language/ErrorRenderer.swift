/// Everything needed to print an uncaught error, as plain data (so rendering is a pure function).
public struct ErrorReport {
    public struct Frame {
        public let file: String
        public let line: Int
        public let column: Int
        public let endLine: Int
        public let endColumn: Int
        public let function: String
        /// The text of `line`, when the source is known.
        public let sourceLine: String?

        public init(file: String, line: Int, column: Int, endLine: Int, endColumn: Int, function: String, sourceLine: String?) {
            self.file = file
            self.line = line
            self.column = column
            self.endLine = endLine
            self.endColumn = endColumn
            self.function = function
            self.sourceLine = sourceLine
        }
    }

    /// Outermost first; the last frame is where the error happened.
    public var frames: [Frame]
    public var typeName: String
    public var message: String
    public var hint: String?
    /// Syntax errors have a location but no traceback.
    public var isSyntaxError: Bool

    public init(frames: [Frame], typeName: String, message: String, hint: String?, isSyntaxError: Bool) {
        self.frames = frames
        self.typeName = typeName
        self.message = message
        self.hint = hint
        self.isSyntaxError = isSyntaxError
    }
}

/// Renders errors: traceback through mlus frames, `file:line:col`, the source line with carets under
/// the failing span, `Type: message`, and a hint.
public enum ErrorRenderer {
    public static func render(_ report: ErrorReport) -> String {
        var out = ""
        let frames = report.frames
        if !report.isSyntaxError && !frames.isEmpty {
            out += "Traceback (most recent call last):\n"
            var k = 0
            while k < frames.count {
                let f = frames[k]
                var repeats = 0
                while k + repeats + 1 < frames.count - 1, sameFrame(frames[k + repeats + 1], f) { repeats += 1 }
                out += "  File \"\(f.file)\", line \(f.line), in \(f.function)\n"
                if k < frames.count - 1, let src = f.sourceLine {
                    out += "    " + src.trimmingSpaces() + "\n"
                }
                if repeats >= 3 {
                    out += "  [Previous line repeated \(repeats) more times]\n"
                    k += repeats + 1
                } else {
                    k += 1
                }
            }
        }
        if let last = frames.last {
            out += "\(last.file):\(last.line):\(last.column)\n"
            if let src = last.sourceLine {
                let scalars = Array(src.unicodeScalars)
                var indent = 0
                while indent < scalars.count, scalars[indent] == " " || scalars[indent] == "\t" { indent += 1 }
                let shown = String(String.UnicodeScalarView(scalars[indent...]))
                if !shown.isEmpty {
                    out += "    " + shown + "\n"
                    let start = max(last.column - 1 - indent, 0)
                    var end = last.endLine == last.line ? last.endColumn - 1 - indent : scalars.count - indent
                    end = min(max(end, start + 1), max(scalars.count - indent, start + 1))
                    out += "    " + String(repeating: " ", count: start) + String(repeating: "^", count: end - start) + "\n"
                }
            }
        }
        out += report.message.isEmpty ? report.typeName + "\n" : "\(report.typeName): \(report.message)\n"
        if let hint = report.hint { out += "hint: \(hint)\n" }
        return out
    }

    private static func sameFrame(_ a: ErrorReport.Frame, _ b: ErrorReport.Frame) -> Bool {
        a.file == b.file && a.line == b.line && a.function == b.function && a.column == b.column
    }
}

extension Interpreter {
    /// Turns an uncaught `ScriptError` into a report (computes the message, which may run `__str__`).
    public func report(_ error: ScriptError) -> ErrorReport {
        var frames: [ErrorReport.Frame] = []
        var trace = error.traceback
        if let pending = error.pendingSpan { trace.insert(TraceFrame(span: pending, function: "<module>"), at: 0) }
        for t in trace.reversed() {
            let s = t.span
            frames.append(ErrorReport.Frame(file: s.file.name, line: s.line, column: s.column, endLine: s.endLine,
                                            endColumn: s.endColumn, function: t.function, sourceLine: s.file.line(s.line)))
        }
        let message = (try? exceptionMessage(error.exception)) ?? "<exception str() failed>"
        let isSyntax = error.exception.cls.isSubclass(of: ExceptionTypes.syntaxError) && error.traceback.isEmpty
        return ErrorReport(frames: frames, typeName: error.exception.cls.name, message: message, hint: error.hint, isSyntaxError: isSyntax)
    }

    /// The rendered text of an uncaught error.
    public func render(_ error: ScriptError) -> String { ErrorRenderer.render(report(error)) }
}
