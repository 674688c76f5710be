import Foundation

/// Runs a percent-format script cell by cell in one session and records each cell's outputs, as
/// `jupyter nbconvert --execute` does: by default the first failing cell stops the run (its error is
/// recorded and the cells after it are kept, unrun); with `allowErrors` every cell runs.
public final class NotebookRunner {
    let engine: ScriptEngine
    /// Called before each code cell runs (cell index, cell), e.g. to print progress.
    public var willRunCell: ((Int, NotebookCell) -> Void)?

    public init(engine: ScriptEngine) {
        self.engine = engine
    }

    /// - Parameters:
    ///   - script: the text of the `.mlus` file.
    ///   - path: the file's path, used as the file name in tracebacks.
    public func run(script: String, path: String, allowErrors: Bool = false) -> NotebookTranscript {
        // Ctrl-C stops the running cell with KeyboardInterrupt (recorded like any error) instead of
        // killing the process, so the report of the cells so far is still written.
        InterruptWatcher.shared.install()
        let cells = CellSplitter.split(script)
        var transcript = NotebookTranscript(sourcePath: path)
        var executionCount = 0
        var stopped = false
        let previousDisplay = engine.display
        defer { engine.display = previousDisplay }
        _ = engine.run("_ = __ = ___ = ''\nOut = {}", filename: "<notebook>")

        for (index, cell) in cells.enumerated() {
            guard cell.kind == .code, !stopped else {
                transcript.cells.append(TranscriptCell(cell: cell))
                continue
            }
            willRunCell?(index, cell)
            executionCount += 1
            let recorder = CellRecorder(cell: TranscriptCell(cell: cell, executionCount: executionCount))
            engine.display = recorder
            // Blank lines in front keep line numbers in tracebacks equal to the script's.
            let padded = String(repeating: "\n", count: max(0, cell.firstLine - 1)) + cell.source
            let outcome = InterruptWatcher.shared.running(engine) {
                engine.run(padded, filename: path)
            }
            engine.display = previousDisplay
            var record = recorder.cell
            switch outcome {
            case .noValue:
                break
            case .value(let text):
                record.outputs.append(.result(text))
                engine.bindLastResult(to: "_\(executionCount)")
                let n = executionCount
                _ = engine.run("___ = __\n__ = _\n_ = _\(n)\nOut[\(n)] = _\(n)", filename: "<notebook>")
            case .error(let name, let message, let traceback):
                record.outputs.append(.error(name: name, message: message, traceback: traceback))
                if !allowErrors { stopped = true }
            case .exit:
                stopped = true
            }
            transcript.cells.append(record)
        }
        return transcript
    }
}

/// Collects one cell's prints and images while it runs.
final class CellRecorder: DisplaySink {
    var cell: TranscriptCell

    init(cell: TranscriptCell) {
        self.cell = cell
    }

    func write(_ text: String, to stream: CellOutput.Stream) {
        cell.appendStream(stream, text)
    }

    func showImage(pngPath: String) {
        cell.outputs.append(.image(pngPath: pngPath))
    }
}
