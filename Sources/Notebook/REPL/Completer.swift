import Foundation

/// Tab completion for the REPL: names, attributes (`model.con`), module members (`torch.`), magics (`%ti`)
/// and file paths inside string literals (`open("data/im`).
///
/// Pure logic over a line and a cursor, so it is tested without a terminal.
public struct Completer {
    /// The part of the line completion replaces, and what may replace it.
    public struct Result: Equatable {
        /// The text before the cursor that candidates extend (e.g. `con` in `model.con`).
        public var prefix: String
        /// Full replacements for `prefix`, sorted, without duplicates.
        public var candidates: [String]

        /// What every candidate shares beyond `prefix`: the text a single Tab can insert.
        public var commonExtension: String {
            guard var common = candidates.first else { return "" }
            for candidate in candidates.dropFirst() {
                while !candidate.hasPrefix(common) { common.removeLast() }
            }
            return common.count > prefix.count ? String(common.dropFirst(prefix.count)) : ""
        }
    }

    public static let keywords = [
        "False", "None", "True", "and", "as", "assert", "break", "class", "continue", "def", "del", "elif",
        "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "not", "or",
        "pass", "raise", "return", "try", "while", "with",
    ]

    let source: CompletionSource
    let magics: [String]
    let currentDirectory: () -> String

    public init(source: CompletionSource, magics: [String] = [],
                currentDirectory: @escaping () -> String = { FileManager.default.currentDirectoryPath }) {
        self.source = source
        self.magics = magics
        self.currentDirectory = currentDirectory
    }

    /// Completes the text before `cursor` (a character offset into `line`).
    public func complete(line: String, cursor: Int) -> Result {
        let before = String(line.prefix(max(0, cursor)))
        if let partial = Self.openStringContent(before) {
            return completePath(partial)
        }
        let trimmed = before.drop(while: { $0 == " " })
        if trimmed.hasPrefix("%"), !trimmed.contains(" ") {
            let word = String(trimmed)
            return Result(prefix: word, candidates: magics.map { "%" + $0 }.filter { $0.hasPrefix(word) }.sorted())
        }
        let word = Self.trailingDottedName(before)
        if Self.isImportPosition(before, word: word) {
            return Result(prefix: word, candidates: Array(Set(source.moduleNames().filter { $0.hasPrefix(word) })).sorted())
        }
        if let dot = word.lastIndex(of: ".") {
            let owner = String(word[..<dot])
            let partial = String(word[word.index(after: dot)...])
            let names = source.attributeNames(ofDottedName: owner) ?? []
            return Result(prefix: word, candidates: Self.filter(names, partial).map { owner + "." + $0 })
        }
        return Result(prefix: word, candidates: Self.filter(source.globalNames() + Self.keywords, word))
    }

    /// Whether `word` is the module name of `import word` or `from word` (the first name of the statement).
    static func isImportPosition(_ text: String, word: String) -> Bool {
        let head = text.dropLast(word.count).trimming(" \t")
        return head == "import" || head == "from"
    }

    /// Names starting with `partial`; names starting with `_` only when `partial` does.
    static func filter(_ names: [String], _ partial: String) -> [String] {
        let showPrivate = partial.hasPrefix("_")
        return Array(Set(names.filter { $0.hasPrefix(partial) && (showPrivate || !$0.hasPrefix("_")) })).sorted()
    }

    /// The dotted name ending at the end of `text` (`model.conv` in `y = model.conv`), possibly empty,
    /// possibly ending in a dot (`os.` completes members of `os`).
    static func trailingDottedName(_ text: String) -> String {
        var start = text.endIndex
        while start > text.startIndex {
            let previous = text.index(before: start)
            let character = text[previous]
            guard character == "_" || character == "." || character.isLetter || character.isNumber else { break }
            start = previous
        }
        var word = text[start...]
        // A name cannot start with a digit or a dot: `1.5` and `x[0].` are not completed as names.
        while let first = word.first, first == "." || first.isNumber { word = word.dropFirst() }
        if word.contains("..") { return "" }
        return String(word)
    }

    /// When `text` ends inside a string literal, the literal's content so far; otherwise nil.
    static func openStringContent(_ text: String) -> String? {
        var quote: Character?
        var content = ""
        var escaped = false
        var iterator = text.makeIterator()
        var inComment = false
        while let character = iterator.next() {
            if inComment { continue }
            if let open = quote {
                if escaped { escaped = false; content.append(character); continue }
                if character == "\\" { escaped = true; content.append(character); continue }
                if character == open { quote = nil; continue }
                content.append(character)
            } else if character == "\"" || character == "'" {
                quote = character
                content = ""
            } else if character == "#" {
                inComment = true
            }
        }
        return quote == nil ? nil : content
    }

    /// File names that extend `partial`, a path typed inside a string; folders get a trailing `/`.
    func completePath(_ partial: String) -> Result {
        let expanded = partial.hasPrefix("~") ? (partial as NSString).expandingTildeInPath : partial
        let slash = expanded.lastIndex(of: "/")
        let folderPart = slash.map { String(expanded[...$0]) } ?? ""
        let namePart = slash.map { String(expanded[expanded.index(after: $0)...]) } ?? expanded
        let folder: String
        if folderPart.hasPrefix("/") {
            folder = folderPart
        } else {
            folder = (currentDirectory() as NSString).appendingPathComponent(folderPart)
        }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        // Keep what the user typed (including `~`) in front of each candidate.
        let typedFolder = partial.lastIndex(of: "/").map { String(partial[...$0]) } ?? ""
        let candidates = entries
            .filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }
            .map { name -> String in
                var isDirectory: ObjCBool = false
                let full = (folder as NSString).appendingPathComponent(name)
                let isFolder = FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory) && isDirectory.boolValue
                return typedFolder + name + (isFolder ? "/" : "")
            }
            .sorted()
        return Result(prefix: partial, candidates: candidates)
    }
}
