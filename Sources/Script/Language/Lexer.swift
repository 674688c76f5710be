/// Turns source text into tokens with Python's rules: INDENT/DEDENT from leading whitespace,
/// implicit line joining inside brackets, backslash continuation, every string form
/// (single/triple quoted, raw, f-strings) and every number form (hex/octal/binary, underscores, exponents).
public struct Lexer {
    private let file: SourceFile
    private let chars: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var col = 1
    private var tokens: [Token] = []
    private var indents: [Int] = [0]
    private var brackets: [(Unicode.Scalar, SourceSpan)] = []
    /// Line/column offset applied to every span (used for expressions inside f-strings).
    private let lineOffset: Int
    private let columnOffset: Int

    public init(file: SourceFile) {
        self.init(text: file.text, file: file, line: 1, column: 1)
    }

    /// Lexes `text` as if it started at `line`:`column` of `file` (for f-string fields).
    init(text: String, file: SourceFile, line: Int, column: Int) {
        self.file = file
        self.chars = Array(text.unicodeScalars)
        self.lineOffset = line - 1
        self.columnOffset = column - 1
    }

    /// Lexes the whole text.
    /// - Throws: `ParseError` (incomplete when the text ends inside a bracket, a triple-quoted string
    ///   or after a backslash continuation).
    public static func tokenize(_ file: SourceFile) throws -> [Token] {
        var lexer = Lexer(file: file)
        return try lexer.run()
    }

    mutating func run() throws -> [Token] {
        var atLineStart = true
        while true {
            if atLineStart && brackets.isEmpty {
                atLineStart = false
                if try handleIndentation() { atLineStart = true; continue }
            }
            guard i < chars.count else { break }
            let c = chars[i]
            if c == " " || c == "\t" || c == "\u{0C}" { advance(); continue }
            if c == "#" {
                while i < chars.count && chars[i] != "\n" { advance() }
                continue
            }
            if c == "\r" { advance(); continue }
            if c == "\\" {
                let start = here()
                advance()
                while i < chars.count && (chars[i] == " " || chars[i] == "\t" || chars[i] == "\r") { advance() }
                if i >= chars.count {
                    throw ParseError("unexpected end of input after line continuation", at: span(from: start), incomplete: true)
                }
                guard chars[i] == "\n" else {
                    throw ParseError("unexpected character after line continuation character", at: span(from: start))
                }
                newlineAdvance()
                continue
            }
            if c == "\n" {
                let start = here()
                newlineAdvance()
                if brackets.isEmpty {
                    if let last = tokens.last, case .newline = last.kind {} else if !tokens.isEmpty {
                        if case .indent = tokens.last?.kind {} else {
                            tokens.append(Token(kind: .newline, span: span(from: start)))
                        }
                    }
                    atLineStart = true
                }
                continue
            }
            try lexToken()
        }
        let end = here()
        if let (open, openSpan) = brackets.last {
            throw ParseError("'\(open)' was never closed", at: openSpan, incomplete: true)
        }
        if let last = tokens.last {
            switch last.kind {
            case .newline, .dedent: break
            default: tokens.append(Token(kind: .newline, span: span(from: end)))
            }
        }
        while indents.count > 1 {
            indents.removeLast()
            tokens.append(Token(kind: .dedent, span: span(from: end)))
        }
        tokens.append(Token(kind: .eof, span: span(from: end)))
        return tokens
    }

    // MARK: positions

    private typealias Pos = (line: Int, col: Int)

    private func here() -> Pos { (line, col) }

    private func span(from start: Pos) -> SourceSpan {
        let endCol = (line == start.line && col == start.col) ? col + 1 : col
        return SourceSpan(file: file, line: start.line + lineOffset,
                          column: start.col + (start.line == 1 ? columnOffset : 0),
                          endLine: line + lineOffset, endColumn: endCol + (line == 1 ? columnOffset : 0))
    }

    private mutating func advance() {
        i += 1
        col += 1
    }

    private mutating func newlineAdvance() {
        i += 1
        line += 1
        col = 1
    }

    private func peek(_ k: Int = 0) -> Unicode.Scalar? {
        i + k < chars.count ? chars[i + k] : nil
    }

    // MARK: indentation

    /// Measures the indentation of a new logical line and emits INDENT/DEDENT tokens.
    /// Returns true when the line was blank or a comment (nothing emitted, caller continues).
    private mutating func handleIndentation() throws -> Bool {
        var width = 0
        let start = here()
        while i < chars.count {
            let c = chars[i]
            if c == " " { width += 1 } else if c == "\t" { width = (width / 8 + 1) * 8 } else if c == "\u{0C}" { width = 0 } else { break }
            advance()
        }
        guard i < chars.count else { return false }
        let c = chars[i]
        if c == "\n" || c == "#" || c == "\r" {
            while i < chars.count && chars[i] != "\n" { advance() }
            if i < chars.count { newlineAdvance() }
            return true
        }
        if c == "\\" { return false }
        let current = indents.last ?? 0
        if width > current {
            indents.append(width)
            tokens.append(Token(kind: .indent, span: span(from: start)))
        } else if width < current {
            while let last = indents.last, last > width {
                indents.removeLast()
                tokens.append(Token(kind: .dedent, span: span(from: start)))
            }
            if indents.last != width {
                throw ParseError("unindent does not match any outer indentation level", at: span(from: start), kind: .indentation)
            }
        }
        return false
    }

    // MARK: tokens

    private static let threeCharOps: Set<String> = ["**=", "//=", ">>=", "<<=", "..."]
    private static let twoCharOps: Set<String> = ["->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":="]
    private static let oneCharOps: Set<Unicode.Scalar> = ["+", "-", "*", "/", "%", "@", "&", "|", "^", "~", "<", ">", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "="]

    private static func isIdentStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c.value > 127 && c.properties.isXIDStart)
    }

    private static func isIdentContinue(_ c: Unicode.Scalar) -> Bool {
        isIdentStart(c) || (c >= "0" && c <= "9") || (c.value > 127 && c.properties.isXIDContinue)
    }

    private static func isDigit(_ c: Unicode.Scalar?) -> Bool {
        guard let c else { return false }
        return c >= "0" && c <= "9"
    }

    private mutating func lexToken() throws {
        let start = here()
        let c = chars[i]
        if Lexer.isIdentStart(c) {
            var word = String.UnicodeScalarView()
            while i < chars.count && Lexer.isIdentContinue(chars[i]) {
                word.append(chars[i])
                advance()
            }
            let name = String(word)
            if i < chars.count && (chars[i] == "\"" || chars[i] == "'") && name.count <= 2 {
                let prefix = name.lowercased()
                if ["r", "u", "f", "b", "br", "rb", "fr", "rf"].contains(prefix) {
                    try lexString(prefix: prefix, start: start)
                    return
                }
            }
            tokens.append(Token(kind: .name(name), span: span(from: start)))
            return
        }
        if Lexer.isDigit(c) || (c == "." && Lexer.isDigit(peek(1))) {
            try lexNumber(start: start)
            return
        }
        if c == "\"" || c == "'" {
            try lexString(prefix: "", start: start)
            return
        }
        if i + 2 < chars.count {
            let s = String(String.UnicodeScalarView(chars[i..<i + 3]))
            if Lexer.threeCharOps.contains(s) {
                advance(); advance(); advance()
                tokens.append(Token(kind: .op(s), span: span(from: start)))
                return
            }
        }
        if i + 1 < chars.count {
            let s = String(String.UnicodeScalarView(chars[i..<i + 2]))
            if Lexer.twoCharOps.contains(s) {
                advance(); advance()
                tokens.append(Token(kind: .op(s), span: span(from: start)))
                return
            }
        }
        if Lexer.oneCharOps.contains(c) {
            advance()
            let sp = span(from: start)
            switch c {
            case "(", "[", "{":
                if brackets.count >= 200 {
                    throw ParseError("too many nested parentheses", at: sp)
                }
                brackets.append((c, sp))
            case ")", "]", "}":
                let expected: Unicode.Scalar = c == ")" ? "(" : (c == "]" ? "[" : "{")
                guard let (open, openSpan) = brackets.last else {
                    throw ParseError("unmatched '\(c)'", at: sp)
                }
                if open != expected {
                    throw ParseError("closing parenthesis '\(c)' does not match opening parenthesis '\(open)' on line \(openSpan.line)", at: sp)
                }
                brackets.removeLast()
            default: break
            }
            tokens.append(Token(kind: .op(String(c)), span: sp))
            return
        }
        advance()
        if c == "!" {
            throw ParseError("invalid syntax: '!' is only valid as part of '!='", at: span(from: start))
        }
        if c == "$" || c == "?" || c == "`" {
            throw ParseError("invalid character '\(c)'", at: span(from: start))
        }
        throw ParseError("invalid character '\(c)' (U+\(String(c.value, radix: 16, uppercase: true)))", at: span(from: start))
    }

    // MARK: numbers

    private mutating func readDigits(_ isValid: (Unicode.Scalar) -> Bool, into out: inout String, start: Pos) throws {
        var lastUnderscore = false
        while let c = peek() {
            if c == "_" {
                if lastUnderscore { throw ParseError("invalid decimal literal", at: span(from: start)) }
                lastUnderscore = true
                advance()
                continue
            }
            guard isValid(c) else { break }
            lastUnderscore = false
            out.unicodeScalars.append(c)
            advance()
        }
        if lastUnderscore { throw ParseError("invalid decimal literal", at: span(from: start)) }
    }

    private mutating func lexNumber(start: Pos) throws {
        let c = chars[i]
        if c == "0", let p = peek(1), "xXoObB".unicodeScalars.contains(p) {
            advance(); advance()
            let radix: Int
            let valid: (Unicode.Scalar) -> Bool
            switch p {
            case "x", "X": radix = 16; valid = { $0.properties.isASCIIHexDigit }
            case "o", "O": radix = 8; valid = { $0 >= "0" && $0 <= "7" }
            default: radix = 2; valid = { $0 == "0" || $0 == "1" }
            }
            if peek() == "_" { advance() }
            var digits = ""
            try readDigits(valid, into: &digits, start: start)
            if let n = peek(), Lexer.isIdentContinue(n) {
                throw ParseError("invalid \(radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary") literal", at: span(from: start))
            }
            guard !digits.isEmpty else {
                throw ParseError("invalid \(radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary") literal", at: span(from: start))
            }
            guard let v = Int(digits, radix: radix) else {
                throw ParseError("integer literal too large for a 64-bit int", at: span(from: start))
            }
            tokens.append(Token(kind: .int(v), span: span(from: start)))
            return
        }
        var text = ""
        var isFloat = false
        try readDigits({ $0 >= "0" && $0 <= "9" }, into: &text, start: start)
        if peek() == "." {
            isFloat = true
            text.append(".")
            advance()
            try readDigits({ $0 >= "0" && $0 <= "9" }, into: &text, start: start)
        }
        if let e = peek(), e == "e" || e == "E" {
            let save = (i, col)
            var exp = "e"
            advance()
            if let s = peek(), s == "+" || s == "-" {
                exp.unicodeScalars.append(s)
                advance()
            }
            if Lexer.isDigit(peek()) {
                try readDigits({ $0 >= "0" && $0 <= "9" }, into: &exp, start: start)
                text += exp
                isFloat = true
            } else {
                (i, col) = save
                throw ParseError("invalid decimal literal", at: span(from: start))
            }
        }
        if let n = peek(), n == "j" || n == "J" {
            advance()
            throw ParseError("complex numbers are not supported in mlus", at: span(from: start))
        }
        if let n = peek(), Lexer.isIdentStart(n) {
            throw ParseError("invalid decimal literal", at: span(from: start))
        }
        if isFloat {
            let t = text.hasPrefix(".") ? "0" + text : text
            guard let v = Double(t) else { throw ParseError("invalid float literal", at: span(from: start)) }
            tokens.append(Token(kind: .float(v), span: span(from: start)))
        } else {
            if text.count > 1, text.hasPrefix("0"), text.contains(where: { $0 != "0" }) {
                throw ParseError("leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers", at: span(from: start))
            }
            guard let v = Int(text) else {
                throw ParseError("integer literal too large for a 64-bit int", at: span(from: start))
            }
            tokens.append(Token(kind: .int(v), span: span(from: start)))
        }
    }

    // MARK: strings

    private mutating func lexString(prefix: String, start: Pos) throws {
        let raw = prefix.contains("r")
        let isF = prefix.contains("f")
        if prefix.contains("b") {
            throw ParseError("bytes literals are not supported in mlus", at: span(from: start))
        }
        let quote = chars[i]
        var triple = false
        if peek(1) == quote && peek(2) == quote {
            triple = true
            advance(); advance(); advance()
        } else {
            advance()
        }
        // Collect the body (raw characters, escapes untouched) and remember where it started.
        let bodyLine = line
        let bodyCol = col
        var body: [Unicode.Scalar] = []
        var bodyPositions: [Pos] = []
        while true {
            guard let c = peek() else {
                throw ParseError(triple ? "unterminated triple-quoted string literal" : "unterminated string literal",
                                 at: span(from: start), incomplete: triple)
            }
            if c == "\\" {
                body.append(c); bodyPositions.append(here())
                advance()
                guard let n = peek() else { continue }
                body.append(n); bodyPositions.append(here())
                if n == "\n" { newlineAdvance() } else { advance() }
                continue
            }
            if c == quote {
                if !triple { advance(); break }
                if peek(1) == quote && peek(2) == quote { advance(); advance(); advance(); break }
            }
            if c == "\n" {
                if !triple {
                    throw ParseError("unterminated string literal", at: span(from: start))
                }
                body.append(c); bodyPositions.append(here())
                newlineAdvance()
                continue
            }
            body.append(c); bodyPositions.append(here())
            advance()
        }
        let sp = span(from: start)
        if isF {
            let parts = try parseFString(body, positions: bodyPositions, raw: raw, fallback: (bodyLine, bodyCol), span: sp)
            tokens.append(Token(kind: .fstring(parts), span: sp))
        } else {
            let value = try Lexer.unescape(body[...], raw: raw, span: sp)
            tokens.append(Token(kind: .string(value), span: sp))
        }
    }

    /// Applies Python escape sequences to a string body.
    static func unescape(_ body: ArraySlice<Unicode.Scalar>, raw: Bool, span: SourceSpan) throws -> String {
        var out = String.UnicodeScalarView()
        if raw {
            out.append(contentsOf: body)
            return String(out)
        }
        var k = body.startIndex
        while k < body.endIndex {
            let c = body[k]
            guard c == "\\", k + 1 < body.endIndex else {
                out.append(c)
                k += 1
                continue
            }
            let n = body[k + 1]
            k += 2
            switch n {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var v = Int(n.value - 48)
                var count = 1
                while count < 3, k < body.endIndex, body[k] >= "0", body[k] <= "7" {
                    v = v * 8 + Int(body[k].value - 48)
                    k += 1
                    count += 1
                }
                if let s = Unicode.Scalar(v) { out.append(s) }
            case "x", "u", "U":
                let len = n == "x" ? 2 : (n == "u" ? 4 : 8)
                guard k + len <= body.endIndex else {
                    throw ParseError("(unicode error) truncated \\\(n) escape", at: span)
                }
                let hex = String(String.UnicodeScalarView(body[k..<k + len]))
                guard let v = UInt32(hex, radix: 16), let s = Unicode.Scalar(v) else {
                    throw ParseError("(unicode error) truncated \\\(n) escape", at: span)
                }
                out.append(s)
                k += len
            case "N":
                throw ParseError("\\N{...} escapes are not supported in mlus", at: span)
            default:
                out.append("\\")
                out.append(n)
            }
        }
        return String(out)
    }

    /// Splits an f-string body into literal text and replacement fields.
    private func parseFString(_ body: [Unicode.Scalar], positions: [Pos], raw: Bool, fallback: Pos, span sp: SourceSpan) throws -> [FStringPart] {
        var k = 0
        return try parseFStringParts(body, positions: positions, raw: raw, k: &k, inSpec: false, span: sp)
    }

    private func parseFStringParts(_ body: [Unicode.Scalar], positions: [Pos], raw: Bool, k: inout Int, inSpec: Bool, span sp: SourceSpan) throws -> [FStringPart] {
        var parts: [FStringPart] = []
        var literal: [Unicode.Scalar] = []
        func flush() throws {
            if !literal.isEmpty {
                parts.append(.literal(try Lexer.unescape(literal[...], raw: raw, span: sp)))
                literal.removeAll()
            }
        }
        while k < body.count {
            let c = body[k]
            if c == "\\" && !raw && k + 1 < body.count {
                literal.append(c)
                literal.append(body[k + 1])
                k += 2
                continue
            }
            if c == "{" {
                if !inSpec && k + 1 < body.count && body[k + 1] == "{" {
                    literal.append("{")
                    k += 2
                    continue
                }
                try flush()
                k += 1
                parts.append(try parseField(body, positions: positions, raw: raw, k: &k, span: sp))
                continue
            }
            if c == "}" {
                if inSpec { break }
                if k + 1 < body.count && body[k + 1] == "}" {
                    literal.append("}")
                    k += 2
                    continue
                }
                throw ParseError("f-string: single '}' is not allowed", at: sp)
            }
            literal.append(c)
            k += 1
        }
        try flush()
        return parts
    }

    private func parseField(_ body: [Unicode.Scalar], positions: [Pos], raw: Bool, k: inout Int, span sp: SourceSpan) throws -> FStringPart {
        let exprStart = k
        var depth = 0
        var quote: Unicode.Scalar? = nil
        while k < body.count {
            let c = body[k]
            if let q = quote {
                if c == q { quote = nil }
                k += 1
                continue
            }
            if c == "'" || c == "\"" { quote = c; k += 1; continue }
            if c == "(" || c == "[" || c == "{" { depth += 1 }
            else if c == ")" || c == "]" || c == "}" {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && c == "!" && !(k + 1 < body.count && body[k + 1] == "=") { break }
            else if depth == 0 && c == ":" { break }
            else if depth == 0 && c == "=" && k + 1 < body.count && body[k + 1] != "="
                        && k > exprStart && !"=!<>".unicodeScalars.contains(body[k - 1]) {
                break
            }
            k += 1
        }
        guard k < body.count else { throw ParseError("f-string: expecting '}'", at: sp) }
        var exprEnd = k
        var selfDoc: String? = nil
        if body[k] == "=" {
            k += 1
            selfDoc = String(String.UnicodeScalarView(body[exprStart..<k]))
            // Whitespace after '=' belongs to the displayed text.
            while k < body.count && body[k] == " " { selfDoc?.unicodeScalars.append(" "); k += 1 }
        }
        var conversion: Character? = nil
        if k < body.count && body[k] == "!" {
            guard k + 1 < body.count, "rsa".unicodeScalars.contains(body[k + 1]) else {
                throw ParseError("f-string: invalid conversion character: expected 's', 'r', or 'a'", at: sp)
            }
            conversion = Character(body[k + 1])
            k += 2
        }
        var spec: [FStringPart]? = nil
        if k < body.count && body[k] == ":" {
            k += 1
            spec = try parseFStringParts(body, positions: positions, raw: raw, k: &k, inSpec: true, span: sp)
        }
        guard k < body.count, body[k] == "}" else { throw ParseError("f-string: expecting '}'", at: sp) }
        k += 1
        while exprEnd > exprStart && body[exprEnd - 1] == " " { exprEnd -= 1 }
        let source = String(String.UnicodeScalarView(body[exprStart..<exprEnd]))
        if source.trimmingSpaces().isEmpty {
            throw ParseError("f-string: empty expression not allowed", at: sp)
        }
        let pos = exprStart < positions.count ? positions[exprStart] : (sp.line, sp.column)
        if selfDoc != nil && conversion == nil && spec == nil { conversion = "r" }
        return .field(source: source, line: pos.0 + lineOffset, column: pos.1, conversion: conversion, spec: spec, selfDocumenting: selfDoc)
    }
}

extension String {
    /// The string without leading/trailing spaces, tabs and newlines.
    func trimmingSpaces() -> String {
        let s = unicodeScalars
        guard let first = s.firstIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" && $0 != "\r" }) else { return "" }
        let last = s.lastIndex(where: { $0 != " " && $0 != "\t" && $0 != "\n" && $0 != "\r" }) ?? first
        return String(s[first...last])
    }
}
