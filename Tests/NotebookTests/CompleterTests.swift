import Foundation
import XCTest
@testable import Notebook

/// Names as a session would report them, fixed by hand.
final class TableSource: CompletionSource {
    let globals: [String]
    let attributes: [String: [String]]

    init(globals: [String], attributes: [String: [String]]) {
        self.globals = globals
        self.attributes = attributes
    }

    func globalNames() -> [String] { globals }
    func attributeNames(ofDottedName name: String) -> [String]? { attributes[name] }
    func moduleNames() -> [String] { ["math", "torch", "torch.nn", "torch.nn.functional", "models"] }
}

final class CompleterTests: XCTestCase {
    let source = TableSource(
        globals: ["model", "math", "max", "min", "_hidden", "print"],
        attributes: [
            "math": ["sqrt", "sin", "pi", "floor", "__name__"],
            "model": ["conv1", "conv2", "forward", "_private"],
            "model.conv1": ["weight", "bias"],
        ])

    func testGlobalNamesAndKeywords() {
        let completer = Completer(source: source)
        let result = completer.complete(line: "y = ma", cursor: 6)
        XCTAssertEqual(result.prefix, "ma")
        XCTAssertEqual(result.candidates, ["math", "max"])
        XCTAssertEqual(result.commonExtension, "")
        XCTAssertEqual(completer.complete(line: "whi", cursor: 3).candidates, ["while"])
        XCTAssertEqual(completer.complete(line: "mo", cursor: 2).commonExtension, "del")
        XCTAssertEqual(completer.complete(line: "_h", cursor: 2).candidates, ["_hidden"])
    }

    func testAttributesAndModuleMembers() {
        let completer = Completer(source: source)
        XCTAssertEqual(completer.complete(line: "model.con", cursor: 9).candidates, ["model.conv1", "model.conv2"])
        XCTAssertEqual(completer.complete(line: "model.con", cursor: 9).commonExtension, "v")
        XCTAssertEqual(completer.complete(line: "print(math.s", cursor: 12).candidates, ["math.sin", "math.sqrt"])
        XCTAssertEqual(completer.complete(line: "math.", cursor: 5).candidates,
                       ["math.floor", "math.pi", "math.sin", "math.sqrt"])
        XCTAssertEqual(completer.complete(line: "math.__", cursor: 7).candidates, ["math.__name__"])
        XCTAssertEqual(completer.complete(line: "model.conv1.w", cursor: 13).candidates, ["model.conv1.weight"])
        XCTAssertEqual(completer.complete(line: "nothing.x", cursor: 9).candidates, [])
        // The cursor, not the end of the line, decides what is completed.
        XCTAssertEqual(completer.complete(line: "math.s + 1", cursor: 6).candidates, ["math.sin", "math.sqrt"])
    }

    func testImportPositionCompletesModules() {
        let completer = Completer(source: source)
        XCTAssertEqual(completer.complete(line: "import to", cursor: 9).candidates,
                       ["torch", "torch.nn", "torch.nn.functional"])
        XCTAssertEqual(completer.complete(line: "from torch.n", cursor: 12).candidates,
                       ["torch.nn", "torch.nn.functional"])
        XCTAssertEqual(completer.complete(line: "  import m", cursor: 10).candidates, ["math", "models"])
        // Elsewhere the same word completes as a name.
        XCTAssertEqual(completer.complete(line: "x = m", cursor: 5).candidates, ["math", "max", "min", "model"])
    }

    func testNumbersAreNotNames() {
        XCTAssertEqual(Completer.trailingDottedName("x = 1.5"), "")
        XCTAssertEqual(Completer.trailingDottedName("f(a.b"), "a.b")
        XCTAssertEqual(Completer.trailingDottedName("a..b"), "")
    }

    func testMagics() {
        let completer = Completer(source: source, magics: REPL.magicNames)
        XCTAssertEqual(completer.complete(line: "%ti", cursor: 3).candidates, ["%time", "%timeit"])
        XCTAssertEqual(completer.complete(line: "%wh", cursor: 3).commonExtension, "o")
    }

    func testPathsInsideStrings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-complete-\(getpid())")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("images"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["images/car1.png", "images/car2.png", "images/.hidden", "model.pth"] {
            FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
        }
        let completer = Completer(source: source, currentDirectory: { folder.path })
        XCTAssertEqual(completer.complete(line: "open('im", cursor: 8).candidates, ["images/"])
        XCTAssertEqual(completer.complete(line: "load(\"images/c", cursor: 14).candidates,
                       ["images/car1.png", "images/car2.png"])
        XCTAssertEqual(completer.complete(line: "load(\"images/c", cursor: 14).commonExtension, "ar")
        XCTAssertEqual(completer.complete(line: "x = 'm", cursor: 6).candidates, ["model.pth"])
        let absolute = folder.path + "/mo"
        XCTAssertEqual(completer.complete(line: "'\(absolute)", cursor: absolute.count + 1).candidates,
                       [folder.path + "/model.pth"])
        // A closed string is not completed as a path.
        XCTAssertEqual(completer.complete(line: "'im' + ma", cursor: 9).candidates, ["math", "max"])
    }
}
