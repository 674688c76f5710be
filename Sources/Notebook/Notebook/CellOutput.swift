/// Something a cell produced while it ran, in the order it happened.
public enum CellOutput: Equatable, Sendable {
    /// Which stream printed text went to.
    public enum Stream: String, Equatable, Sendable {
        case stdout
        case stderr
    }

    /// Text printed to stdout or stderr (consecutive prints to one stream are merged).
    case stream(Stream, String)
    /// The display text (repr) of the cell's final bare expression: the `Out[n]` value.
    case result(String)
    /// An uncaught error: its exception name, its message and the rendered traceback.
    case error(name: String, message: String, traceback: String)
    /// A PNG file the cell showed (e.g. `image.show(t)`); embedded in `.ipynb`, linked from Markdown.
    case image(pngPath: String)
}

/// One cell of a run notebook: its input and what running it produced.
public struct TranscriptCell: Equatable, Sendable {
    public var cell: NotebookCell
    /// The `In [n]` number of a code cell that ran; nil for prose and for cells that did not run.
    public var executionCount: Int?
    public var outputs: [CellOutput]

    public init(cell: NotebookCell, executionCount: Int? = nil, outputs: [CellOutput] = []) {
        self.cell = cell
        self.executionCount = executionCount
        self.outputs = outputs
    }

    /// Appends `text` to `stream`, merging with the previous output when it went to the same stream.
    public mutating func appendStream(_ stream: CellOutput.Stream, _ text: String) {
        guard !text.isEmpty else { return }
        if case .stream(let last, let previous)? = outputs.last, last == stream {
            outputs[outputs.count - 1] = .stream(stream, previous + text)
        } else {
            outputs.append(.stream(stream, text))
        }
    }
}

/// A notebook after it ran: every cell in order, with its outputs.
public struct NotebookTranscript: Equatable, Sendable {
    /// The script the notebook came from, for the report's heading and metadata.
    public var sourcePath: String
    public var cells: [TranscriptCell]

    public init(sourcePath: String, cells: [TranscriptCell] = []) {
        self.sourcePath = sourcePath
        self.cells = cells
    }

    /// Whether any cell ended with an error.
    public var hasError: Bool {
        cells.contains { cell in
            cell.outputs.contains { if case .error = $0 { return true } else { return false } }
        }
    }
}
