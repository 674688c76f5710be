import Foundation

/// Renders a run notebook as Markdown: prose cells as they are, code cells as fenced `python` blocks
/// followed by their outputs in plain fenced blocks, errors with their traceback, images as links.
public enum MarkdownTranscriptWriter {
    /// - Parameter reportDirectory: the folder the report goes to; links to images inside it are made
    ///   relative to it, so the report and its pictures can move together.
    public static func render(_ transcript: NotebookTranscript, reportDirectory: String? = nil) -> String {
        var parts: [String] = []
        for cell in transcript.cells {
            switch cell.cell.kind {
            case .markdown:
                parts.append(cell.cell.source)
            case .code:
                var block = ""
                if let count = cell.executionCount {
                    block += "**In [\(count)]:**\n\n"
                }
                block += fenced(cell.cell.source, info: "python")
                for output in cell.outputs {
                    block += "\n\n" + render(output, count: cell.executionCount, reportDirectory: reportDirectory)
                }
                parts.append(block)
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    static func render(_ output: CellOutput, count: Int?, reportDirectory: String?) -> String {
        switch output {
        case .stream(.stdout, let text):
            return fenced(trimmingFinalNewline(text), info: "text")
        case .stream(.stderr, let text):
            return "*stderr:*\n\n" + fenced(trimmingFinalNewline(text), info: "text")
        case .result(let text):
            let label = count.map { "**Out[\($0)]:**\n\n" } ?? ""
            return label + fenced(text, info: "text")
        case .error(_, _, let traceback):
            return "**Error:**\n\n" + fenced(trimmingFinalNewline(traceback), info: "text")
        case .image(let path):
            let link = relativeLink(path, to: reportDirectory)
            let name = (path as NSString).lastPathComponent
            return "![\(name)](\(link.replacingOccurrences(of: " ", with: "%20")))"
        }
    }

    /// A fence longer than any backtick run inside `text`, so the text cannot close it early.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return "\(fence)\(info)\n\(text)\n\(fence)"
    }

    static func trimmingFinalNewline(_ text: String) -> String {
        text.hasSuffix("\n") ? String(text.dropLast()) : text
    }

    static func relativeLink(_ path: String, to directory: String?) -> String {
        guard let directory else { return path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var base = URL(fileURLWithPath: directory).standardizedFileURL.path
        if !base.hasSuffix("/") { base += "/" }
        return absolute.hasPrefix(base) ? String(absolute.dropFirst(base.count)) : path
    }
}
