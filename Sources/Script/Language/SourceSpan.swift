/// A source text with its name, kept so errors can quote the failing line.
public final class SourceFile {
    /// The name shown in errors: a path, `<string>`, `<stdin>` or `<cell N>`.
    public let name: String
    /// The whole text.
    public let text: String
    /// The text split into lines (without terminators), computed once.
    public let lines: [String]

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        var lines: [String] = []
        var current = ""
        for ch in text.unicodeScalars {
            if ch == "\n" {
                lines.append(current)
                current = ""
            } else if ch != "\r" {
                current.unicodeScalars.append(ch)
            }
        }
        lines.append(current)
        self.lines = lines
    }

    /// The 1-based line `number`, or nil when out of range.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        return lines[number - 1]
    }
}

/// Where a token or AST node came from: 1-based lines, 1-based columns, end column exclusive.
public struct SourceSpan {
    public let file: SourceFile
    public let line: Int
    public let column: Int
    public let endLine: Int
    public let endColumn: Int

    public init(file: SourceFile, line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.file = file
        self.line = line
        self.column = column
        self.endLine = endLine
        self.endColumn = endColumn
    }

    /// The smallest span covering `self` and `other`.
    public func through(_ other: SourceSpan) -> SourceSpan {
        let (el, ec): (Int, Int)
        if other.endLine > endLine || (other.endLine == endLine && other.endColumn > endColumn) {
            (el, ec) = (other.endLine, other.endColumn)
        } else {
            (el, ec) = (endLine, endColumn)
        }
        return SourceSpan(file: file, line: line, column: column, endLine: el, endColumn: ec)
    }

    /// `file:line:col`, as printed in errors.
    public var location: String { "\(file.name):\(line):\(column)" }
}
