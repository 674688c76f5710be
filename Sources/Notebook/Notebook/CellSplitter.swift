/// Splits a script written in Jupytext's percent format into cells.
///
/// A line starting with `# %%` (or `#%%`) opens a cell; `[markdown]` or `[md]` after it makes a prose cell,
/// whose lines are `#`-commented (`# ` is removed, a lone `#` becomes an empty line). Text before the first
/// marker is a code cell of its own when it is not blank. Cells whose source is blank are dropped, because
/// a notebook report has nothing to show for them.
public enum CellSplitter {
    public static func split(_ script: String) -> [NotebookCell] {
        var cells: [NotebookCell] = []
        var kind = NotebookCell.Kind.code
        var title = ""
        var lines: [Substring] = []
        var bodyStart = 1

        func flush() {
            let body = kind == .markdown ? lines.map(uncomment) : lines.map(String.init)
            guard let first = body.firstIndex(where: { !isBlank($0) }),
                  let last = body.lastIndex(where: { !isBlank($0) }) else { return }
            let text = body[first...last].joined(separator: "\n")
            cells.append(NotebookCell(kind: kind, source: text, firstLine: bodyStart + first, title: title))
        }

        let all = script.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(stripCarriageReturn)
        for (index, line) in all.enumerated() {
            if let marker = parseMarker(line) {
                flush()
                kind = marker.kind
                title = marker.title
                lines = []
                bodyStart = index + 2
            } else {
                lines.append(line)
            }
        }
        // A file ending in a newline has an empty last element that is not a line.
        if let last = lines.last, last.isEmpty { lines.removeLast() }
        flush()
        return cells
    }

    /// Recognises `# %%`, `#%%`, `# %% title`, `# %% [markdown]`, `# %% title [md]`.
    static func parseMarker(_ line: Substring) -> (kind: NotebookCell.Kind, title: String)? {
        var rest = line.drop(while: { $0 == " " || $0 == "\t" })
        guard rest.hasPrefix("#") else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " })
        guard rest.hasPrefix("%%") else { return nil }
        rest = rest.dropFirst(2)
        if let next = rest.first, next != " ", next != "\t" { return nil }  // `# %%timeit` is not a marker
        var words = rest.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        var kind = NotebookCell.Kind.code
        if let tag = words.firstIndex(where: { $0 == "[markdown]" || $0 == "[md]" }) {
            kind = .markdown
            words.remove(at: tag)
        }
        words.removeAll { $0.hasPrefix("[") && $0.hasSuffix("]") }  // other cell types: treated as code
        return (kind, words.joined(separator: " "))
    }

    static func uncomment(_ line: Substring) -> String {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        guard trimmed.hasPrefix("#") else { return String(line) }
        let rest = trimmed.dropFirst()
        return String(rest.hasPrefix(" ") ? rest.dropFirst() : rest)
    }

    static func isBlank<S: StringProtocol>(_ line: S) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    static func stripCarriageReturn(_ line: Substring) -> Substring {
        line.hasSuffix("\r") ? line.dropLast() : line
    }
}
