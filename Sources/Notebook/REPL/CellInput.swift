/// Collects the lines of one REPL input and decides when it is ready to run, as IPython does:
/// a line that opens a block (ends in `:`, or is a decorator) starts a block that a blank line closes;
/// an unclosed bracket or string continues until the parser says the input is complete.
public struct CellInput {
    /// What to do after a line.
    public enum Decision: Equatable {
        /// Run the collected source.
        case run(String)
        /// Ask for another line, pre-filled with this indentation.
        case needMore(indent: String)
    }

    public private(set) var lines: [String] = []
    var inBlock = false
    let isIncomplete: (String) -> Bool

    /// - Parameter isIncomplete: the parser's test for "valid so far but unfinished" input.
    public init(isIncomplete: @escaping (String) -> Bool) {
        self.isIncomplete = isIncomplete
    }

    public var isEmpty: Bool { lines.isEmpty }
    public var source: String { lines.joined(separator: "\n") }

    public mutating func reset() {
        lines = []
        inBlock = false
    }

    /// Adds a line the user entered and says whether the input can run.
    public mutating func append(_ line: String) -> Decision {
        lines.append(line)
        let text = source
        let scan = LineScan(text)
        let blank = line.allSatisfy { $0 == " " || $0 == "\t" }

        if lines.count == 1 && blank { return .run("") }
        if scan.bracketDepth == 0 && !scan.inString && Self.opensBlock(line) {
            inBlock = true
        }
        let indent = scan.bracketDepth > 0 || scan.inString ? Self.currentIndent(of: lines) : Self.nextIndent(after: lines)
        if inBlock {
            // A blank line inside a docstring or an open bracket does not close the block.
            if blank && !scan.inString && scan.bracketDepth == 0 { return .run(Self.trimmingTrailingBlankLines(lines)) }
            return .needMore(indent: indent)
        }
        if blank && !isIncomplete(text) { return .run(Self.trimmingTrailingBlankLines(lines)) }
        if isIncomplete(text) { return .needMore(indent: indent) }
        return .run(text)
    }

    /// Whether `line` ends with a `:` outside strings and comments, or is a decorator line.
    static func opensBlock(_ line: String) -> Bool {
        let code = LineScan.stripComment(line).trimming(" \t")
        return code.hasSuffix(":") || code.hasPrefix("@")
    }

    /// Indentation for the line after `lines`: that of the last non-blank line, one level deeper after a
    /// block opener, one level shallower after `return`, `pass`, `break`, `continue` or `raise`.
    public static func nextIndent(after lines: [String]) -> String {
        guard let last = lines.last(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }) else { return "" }
        let indent = last.prefix(while: { $0 == " " || $0 == "\t" }).replacingOccurrences(of: "\t", with: "    ")
        var width = indent.count
        let code = LineScan.stripComment(last).trimming(" \t")
        if code.hasSuffix(":") {
            width += 4
        } else if let keyword = code.split(separator: " ").first,
                  ["return", "pass", "break", "continue", "raise"].contains(keyword) {
            width = max(0, width - 4)
        }
        return String(repeating: " ", count: width)
    }

    /// The indentation of the last non-blank line (inside brackets, where blocks do not apply).
    static func currentIndent(of lines: [String]) -> String {
        guard let last = lines.last(where: { !$0.allSatisfy { $0 == " " || $0 == "\t" } }) else { return "" }
        return String(last.prefix(while: { $0 == " " }))
    }

    static func trimmingTrailingBlankLines(_ lines: [String]) -> String {
        var kept = lines[...]
        while let last = kept.last, last.allSatisfy({ $0 == " " || $0 == "\t" }) { kept = kept.dropLast() }
        return kept.joined(separator: "\n")
    }
}

/// A light scan of source text for the REPL: bracket depth and open strings, ignoring comments.
struct LineScan {
    var bracketDepth = 0
    var inString = false

    init(_ text: String) {
        var quote: Character?
        var triple = false
        var escaped = false
        var inComment = false
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            defer { index += 1 }
            if inComment {
                if character == "\n" { inComment = false }
                continue
            }
            if let open = quote {
                if escaped { escaped = false; continue }
                if character == "\\" { escaped = true; continue }
                if triple {
                    if character == open, index + 2 < characters.count,
                       characters[index + 1] == open, characters[index + 2] == open {
                        quote = nil
                        index += 2
                    }
                } else if character == open || character == "\n" {
                    quote = nil
                }
                continue
            }
            switch character {
            case "#": inComment = true
            case "(", "[", "{": bracketDepth += 1
            case ")", "]", "}": bracketDepth = max(0, bracketDepth - 1)
            case "\"", "'":
                quote = character
                triple = index + 2 < characters.count && characters[index + 1] == character
                    && characters[index + 2] == character
                if triple { index += 2 }
            default: break
            }
        }
        inString = quote != nil
    }

    /// `line` without a trailing `# comment` (a `#` inside a string is kept).
    static func stripComment(_ line: String) -> String {
        var quote: Character?
        var escaped = false
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return String(line.prefix(offset))
            }
        }
        return line
    }
}

extension StringProtocol {
    func trimming(_ set: String) -> String {
        let characters = Set(set)
        var slice = self[...]
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
