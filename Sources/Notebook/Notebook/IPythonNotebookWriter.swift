import Foundation

/// Renders a run notebook as nbformat 4 JSON (`.ipynb`), so Jupyter and GitHub can open the report.
///
/// Prints become `stream` outputs, final expressions `execute_result` (`text/plain`), errors `error` outputs
/// whose traceback is the rendered mlus traceback, and images `display_data` with base64 `image/png`.
public enum IPythonNotebookWriter {
    /// nbformat 4.5: cells carry an `id`.
    static let formatMinor = 5

    /// - Parameter readImage: reads an image's bytes (injectable so tests need no files).
    /// - Throws: `NotebookReportError.unreadableImage` when an image cannot be read.
    public static func render(
        _ transcript: NotebookTranscript,
        readImage: (String) -> Data? = { FileManager.default.contents(atPath: $0) }
    ) throws -> Data {
        var cells: [[String: Any]] = []
        for (index, cell) in transcript.cells.enumerated() {
            let id = "cell-\(index + 1)"
            switch cell.cell.kind {
            case .markdown:
                cells.append([
                    "cell_type": "markdown", "id": id, "metadata": [String: Any](),
                    "source": multiline(cell.cell.source),
                ])
            case .code:
                cells.append([
                    "cell_type": "code", "id": id, "metadata": [String: Any](),
                    "execution_count": cell.executionCount.map { $0 as Any } ?? NSNull(),
                    "source": multiline(cell.cell.source),
                    "outputs": try cell.outputs.map { try render($0, count: cell.executionCount, readImage: readImage) },
                ])
            }
        }
        let notebook: [String: Any] = [
            "nbformat": 4,
            "nbformat_minor": formatMinor,
            "metadata": [
                "language_info": ["name": "python", "file_extension": ".mlus"],
                "mlus": ["source": transcript.sourcePath],
            ] as [String: Any],
            "cells": cells,
        ]
        var data = try JSONSerialization.data(
            withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }

    static func render(_ output: CellOutput, count: Int?, readImage: (String) -> Data?) throws -> [String: Any] {
        switch output {
        case .stream(let stream, let text):
            return ["output_type": "stream", "name": stream.rawValue, "text": multiline(text)]
        case .result(let text):
            return [
                "output_type": "execute_result",
                "execution_count": count.map { $0 as Any } ?? NSNull(),
                "data": ["text/plain": multiline(text)],
                "metadata": [String: Any](),
            ]
        case .error(let name, let message, let traceback):
            return [
                "output_type": "error", "ename": name, "evalue": message,
                "traceback": traceback.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            ]
        case .image(let path):
            guard let bytes = readImage(path) else { throw NotebookReportError.unreadableImage(path: path) }
            return [
                "output_type": "display_data",
                "data": ["image/png": bytes.base64EncodedString(), "text/plain": ["<image \(path)>"]],
                "metadata": [String: Any](),
            ]
        }
    }

    /// nbformat's multiline string: a list of lines, each but the last keeping its newline.
    static func multiline(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if character == "\n" {
                lines.append(current)
                current = ""
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
