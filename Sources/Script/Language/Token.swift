/// One piece of an f-string: literal text or a replacement field `{expr!conv:spec}`.
public enum FStringPart {
    case literal(String)
    /// `source` is the expression text; `line`/`column` locate it in the file.
    /// `selfDocumenting` holds the `expr=` prefix text for `f"{x=}"`.
    case field(source: String, line: Int, column: Int, conversion: Character?, spec: [FStringPart]?, selfDocumenting: String?)
}

/// What a token is.
public enum TokenKind {
    case name(String)
    case int(Int)
    case float(Double)
    case string(String)
    case fstring([FStringPart])
    /// Operators and delimiters, spelled as in the source (`+`, `**=`, `(`, `->`, `...`).
    case op(String)
    case newline
    case indent
    case dedent
    case eof
}

/// A token with its source span.
public struct Token {
    public let kind: TokenKind
    public let span: SourceSpan

    /// The operator spelling, or nil when this is not an operator.
    var op: String? {
        if case .op(let s) = kind { return s }
        return nil
    }

    /// The identifier or keyword spelling, or nil.
    var name: String? {
        if case .name(let s) = kind { return s }
        return nil
    }

    /// A short description for error messages.
    var describe: String {
        switch kind {
        case .name(let s): return "'\(s)'"
        case .int(let v): return "'\(v)'"
        case .float(let v): return "'\(v)'"
        case .string, .fstring: return "string literal"
        case .op(let s): return "'\(s)'"
        case .newline: return "end of line"
        case .indent: return "indent"
        case .dedent: return "dedent"
        case .eof: return "end of input"
        }
    }
}

/// A lexing or parsing failure. `isIncomplete` is true when more input could make the source valid
/// (an open bracket, a block header without a body, an unterminated triple-quoted string): the REPL
/// then asks for another line instead of reporting the error.
public struct ParseError: Error {
    public enum Kind: String { case syntax = "SyntaxError", indentation = "IndentationError" }
    public let kind: Kind
    public let message: String
    public let span: SourceSpan
    public let isIncomplete: Bool

    init(_ message: String, at span: SourceSpan, kind: Kind = .syntax, incomplete: Bool = false) {
        self.kind = kind
        self.message = message
        self.span = span
        self.isIncomplete = incomplete
    }
}

/// Words the parser treats as keywords (never valid as names).
let pythonKeywords: Set<String> = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]
