import ArgumentParser
import Foundation
import Notebook

/// `mlus notebook FILE.mlus --to report.ipynb|report.md`: runs a `# %%` cell script and writes a report.
struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notebook",
        abstract: "Run a script's # %% cells in one session and write a report (.ipynb or .md).",
        discussion: """
            Cells follow Jupytext's percent format: '# %%' starts a code cell, '# %% [markdown]' a prose cell \
            of '#' comments. The first failing cell stops the run (exit status 1) unless --allow-errors.
            """)

    @Argument(help: "The .mlus script with # %% cell markers.")
    var file: String

    @Option(name: .customLong("to"), help: "The report to write: a name ending in .ipynb or .md.")
    var report: String

    @Flag(name: .customLong("allow-errors"), help: "Run every cell even after one fails, as nbconvert --allow-errors.")
    var allowErrors = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors while running.")
    var quiet = false

    func run() throws {
        let code = NotebookCommand.execute(file: file, report: report, allowErrors: allowErrors, quiet: quiet)
        if code != 0 { throw ExitCode(code) }
    }

    static func execute(file: String, report: String, allowErrors: Bool, quiet: Bool) -> Int32 {
        guard let data = FileManager.default.contents(atPath: file) else {
            fputs("mlus notebook: cannot read '\(file)'\n", stderr)
            return 2
        }
        let engine = ScriptSessionEngine(scriptPath: file, arguments: [file])
        let runner = NotebookRunner(engine: engine)
        if !quiet {
            runner.willRunCell = { index, cell in
                let title = cell.title.isEmpty ? "" : " \(cell.title)"
                fputs("[cell \(index + 1), line \(cell.firstLine)]\(title)\n", stderr)
            }
        }
        let transcript = runner.run(script: String(decoding: data, as: UTF8.self), path: file, allowErrors: allowErrors)
        do {
            try NotebookReport.write(transcript, to: report)
        } catch {
            fputs("mlus \(error)\n", stderr)
            return 2
        }
        if !quiet { fputs("wrote \(report)\n", stderr) }
        if transcript.hasError {
            for cell in transcript.cells {
                for case .error(_, _, let traceback) in cell.outputs { fputs(traceback + "\n", stderr) }
            }
            return allowErrors ? 0 : 1
        }
        return 0
    }
}
