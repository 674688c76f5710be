import XCTest
@testable import Notebook

/// An engine that answers from a table of sources, records what it was asked, and prints through the
/// display sink like a session would.
final class ScriptedEngine: ScriptEngine {
    var display: DisplaySink?
    var ran: [(source: String, filename: String)] = []
    var bound: [String] = []
    let answers: [String: RunOutcome]
    let prints: [String: String]
    let images: [String: String]

    init(answers: [String: RunOutcome], prints: [String: String] = [:], images: [String: String] = [:]) {
        self.answers = answers
        self.prints = prints
        self.images = images
    }

    func run(_ source: String, filename: String) -> RunOutcome {
        ran.append((source, filename))
        let code = source.drop(while: { $0 == "\n" })
        let key = String(code)
        if let text = prints[key] { display?.write(text, to: .stdout) }
        if let image = images[key] { display?.showImage(pngPath: image) }
        return answers[key] ?? .noValue
    }

    func isIncomplete(_ source: String) -> Bool { false }
    func requestInterrupt() {}
    func bindLastResult(to name: String) { bound.append(name) }
    func userVariables() -> [VariableSummary] { [] }
    func reset() {}
    func globalNames() -> [String] { [] }
    func attributeNames(ofDottedName name: String) -> [String]? { nil }
}

final class NotebookRunnerTests: XCTestCase {
    let script = """
    # %% [markdown]
    # Intro

    # %%
    print('hi')

    # %%
    total
    # %%
    show()
    # %%
    boom()
    # %%
    never()
    """

    func engine() -> ScriptedEngine {
        ScriptedEngine(
            answers: ["total": .value("12"), "boom()": .error(name: "NameError", message: "name 'boom' is not defined",
                                                              traceback: "NameError: name 'boom' is not defined")],
            prints: ["print('hi')": "hi\n"], images: ["show()": "/tmp/a.png"])
    }

    func testStopsAtFirstErrorAndRecordsOutputs() {
        let engine = engine()
        let transcript = NotebookRunner(engine: engine).run(script: script, path: "nb.mlus")
        XCTAssertEqual(transcript.cells.map(\.executionCount), [nil, 1, 2, 3, 4, nil])
        XCTAssertEqual(transcript.cells[1].outputs, [.stream(.stdout, "hi\n")])
        XCTAssertEqual(transcript.cells[2].outputs, [.result("12")])
        XCTAssertEqual(transcript.cells[3].outputs, [.image(pngPath: "/tmp/a.png")])
        XCTAssertEqual(transcript.cells[4].outputs, [.error(name: "NameError", message: "name 'boom' is not defined",
                                                             traceback: "NameError: name 'boom' is not defined")])
        XCTAssertEqual(transcript.cells[5].outputs, [])
        XCTAssertTrue(transcript.hasError)
        XCTAssertFalse(engine.ran.contains { $0.source.hasSuffix("never()") })
        XCTAssertEqual(engine.bound, ["_2"])
        // Cells run under the script's name, with their source on the script's own lines.
        let printCell = engine.ran.first { $0.source.hasSuffix("print('hi')") }
        XCTAssertEqual(printCell?.filename, "nb.mlus")
        XCTAssertEqual(printCell?.source, String(repeating: "\n", count: 4) + "print('hi')")
    }

    func testAllowErrorsRunsEveryCell() {
        let engine = engine()
        let transcript = NotebookRunner(engine: engine).run(script: script, path: "nb.mlus", allowErrors: true)
        XCTAssertEqual(transcript.cells.map(\.executionCount), [nil, 1, 2, 3, 4, 5])
        XCTAssertTrue(engine.ran.contains { $0.source.hasSuffix("never()") })
    }
}
