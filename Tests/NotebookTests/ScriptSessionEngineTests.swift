import XCTest
@testable import Notebook

/// The adapter over the real interpreter: values, errors, exit, completion names, `%who`, reset, and the
/// session builtins `progress` and `display_image` as a notebook sees them.
final class ScriptSessionEngineTests: XCTestCase {
    final class Collector: DisplaySink {
        var text: [CellOutput.Stream: String] = [:]
        var images: [String] = []
        func write(_ text: String, to stream: CellOutput.Stream) { self.text[stream, default: ""] += text }
        func showImage(pngPath: String) { images.append(pngPath) }
    }

    func testValuesErrorsAndExit() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        XCTAssertEqual(engine.run("x = 6 * 7", filename: "<t>"), .noValue)
        XCTAssertEqual(engine.run("x", filename: "<t>"), .value("42"))
        XCTAssertEqual(engine.run("'a' + 'b'", filename: "<t>"), .value("'ab'"))
        XCTAssertEqual(engine.run("None", filename: "<t>"), .noValue)
        guard case .error(let name, let message, let traceback) = engine.run("1 / 0", filename: "<t>") else {
            return XCTFail("1 / 0 did not fail")
        }
        XCTAssertEqual(name, "ZeroDivisionError")
        XCTAssertEqual(message, "division by zero")
        XCTAssertTrue(traceback.contains("ZeroDivisionError: division by zero"), traceback)
        XCTAssertEqual(engine.run("import sys\nsys.exit(4)", filename: "<t>"), .exit(4))
        XCTAssertEqual(engine.run("x + 1", filename: "<t>"), .value("43"), "state survives errors")
    }

    func testLastResultBindingAndIncompleteInput() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        _ = engine.run("[1, 2]", filename: "<t>")
        engine.bindLastResult(to: "_1")
        XCTAssertEqual(engine.run("_1 + [3]", filename: "<t>"), .value("[1, 2, 3]"))
        XCTAssertTrue(engine.isIncomplete("def f():"))
        XCTAssertTrue(engine.isIncomplete("x = (1,"))
        XCTAssertFalse(engine.isIncomplete("x = 1"))
        XCTAssertFalse(engine.isIncomplete("x = )"))
    }

    func testCompletionNamesFromTheInterpreter() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        _ = engine.run("import math\nmodel_size = 3", filename: "<t>")
        let completer = Completer(source: engine)
        XCTAssertEqual(completer.complete(line: "math.sq", cursor: 7).candidates, ["math.sqrt"])
        XCTAssertTrue(completer.complete(line: "math.", cursor: 5).candidates.contains("math.pi"))
        XCTAssertEqual(completer.complete(line: "model_s", cursor: 7).candidates, ["model_size"])
        XCTAssertTrue(completer.complete(line: "le", cursor: 2).candidates.contains("len"))
        _ = engine.run("import os", filename: "<t>")
        XCTAssertTrue(completer.complete(line: "os.path.jo", cursor: 10).candidates.contains("os.path.join"))
    }

    func testImportCompletesModuleNames() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        let completer = Completer(source: engine)
        XCTAssertEqual(completer.complete(line: "import ma", cursor: 9).candidates, ["math"])
        XCTAssertTrue(completer.complete(line: "from o", cursor: 6).candidates.contains("os"))
        XCTAssertTrue(completer.complete(line: "import os.", cursor: 10).candidates.contains("os.path"))
    }

    func testInstanceAttributesComplete() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        let setup = "class Net:\n    def __init__(self):\n        self.conv1 = 1\n        self.conv2 = 2\n"
            + "    def forward(self, x):\n        return x\nmodel = Net()"
        XCTAssertEqual(engine.run(setup, filename: "<t>"), .noValue)
        let completer = Completer(source: engine)
        XCTAssertEqual(completer.complete(line: "model.con", cursor: 9).candidates, ["model.conv1", "model.conv2"])
        XCTAssertEqual(completer.complete(line: "model.fo", cursor: 8).candidates, ["model.forward"])
    }

    func testWhoAndReset() {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        _ = engine.run("a = 1\nb = 'two'\n_hidden = 3\nIn = []", filename: "<t>")
        XCTAssertEqual(engine.userVariables(), [
            VariableSummary(name: "a", typeName: "int", summary: "1"),
            VariableSummary(name: "b", typeName: "str", summary: "'two'"),
        ])
        engine.reset()
        XCTAssertEqual(engine.userVariables(), [])
        guard case .error(let name, _, _) = engine.run("a", filename: "<t>") else { return XCTFail("a survived reset") }
        XCTAssertEqual(name, "NameError")
        XCTAssertEqual(engine.run("callable(progress)", filename: "<t>"), .value("True"), "builtins come back")
    }

    func testProgressAndImagesInANotebookCell() throws {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: [""])
        let collector = Collector()
        engine.display = collector
        XCTAssertEqual(engine.run("t = 0\nfor i in progress([1, 2, 3], 'adding'):\n    t += i\nprint(t)", filename: "<t>"),
                       .noValue)
        XCTAssertEqual(collector.text[.stdout], "6\n")
        // Not a terminal: one plain final line on the cell's stderr.
        let bar = try XCTUnwrap(collector.text[.stderr])
        XCTAssertTrue(bar.hasPrefix("adding 100% 3/3 ["), bar)
        XCTAssertFalse(bar.contains("\r"))
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-show-\(getpid()).png")
        try Data([0x89]).write(to: png)
        defer { try? FileManager.default.removeItem(at: png) }
        XCTAssertEqual(engine.run("display_image('\(png.path)')", filename: "<t>"), .noValue)
        XCTAssertEqual(collector.images, [png.path])
        guard case .error(let name, _, _) = engine.run("display_image('/no/such.png')", filename: "<t>") else {
            return XCTFail("a missing image was accepted")
        }
        XCTAssertEqual(name, "FileNotFoundError")
        XCTAssertEqual(engine.run("len(progress(range(5)))", filename: "<t>"), .value("5"))
    }
}
