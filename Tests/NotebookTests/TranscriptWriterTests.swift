import Foundation
import XCTest
@testable import Notebook

final class TranscriptWriterTests: XCTestCase {
    let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

    var transcript: NotebookTranscript {
        NotebookTranscript(sourcePath: "port.mlus", cells: [
            TranscriptCell(cell: NotebookCell(kind: .markdown, source: "# Title", firstLine: 2)),
            TranscriptCell(cell: NotebookCell(kind: .code, source: "print('a')\n1 + 1", firstLine: 4),
                           executionCount: 1,
                           outputs: [.stream(.stdout, "a\n"), .result("2")]),
            TranscriptCell(cell: NotebookCell(kind: .code, source: "show()", firstLine: 7), executionCount: 2,
                           outputs: [.image(pngPath: "/tmp/report/mask.png"),
                                     .error(name: "ValueError", message: "bad", traceback: "Traceback:\nValueError: bad\n")]),
            TranscriptCell(cell: NotebookCell(kind: .code, source: "later()", firstLine: 9)),
        ])
    }

    func testMarkdownReport() {
        let text = MarkdownTranscriptWriter.render(transcript, reportDirectory: "/tmp/report")
        let expected = """
        # Title

        **In [1]:**

        ```python
        print('a')
        1 + 1
        ```

        ```text
        a
        ```

        **Out[1]:**

        ```text
        2
        ```

        **In [2]:**

        ```python
        show()
        ```

        ![mask.png](mask.png)

        **Error:**

        ```text
        Traceback:
        ValueError: bad
        ```

        ```python
        later()
        ```

        """
        XCTAssertEqual(text, expected)
    }

    func testFenceOutgrowsBackticksInText() {
        XCTAssertEqual(MarkdownTranscriptWriter.fenced("a ```` b", info: ""), "`````\na ```` b\n`````")
    }

    func testNotebookJSONFollowsNbformat4() throws {
        let data = try IPythonNotebookWriter.render(transcript) { $0 == "/tmp/report/mask.png" ? self.png : nil }
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["nbformat"] as? Int, 4)
        XCTAssertEqual(json["nbformat_minor"] as? Int, 5)
        let cells = try XCTUnwrap(json["cells"] as? [[String: Any]])
        XCTAssertEqual(cells.map { $0["cell_type"] as? String }, ["markdown", "code", "code", "code"])
        XCTAssertEqual(cells.map { $0["id"] as? String }, ["cell-1", "cell-2", "cell-3", "cell-4"])
        XCTAssertEqual(cells[1]["source"] as? [String], ["print('a')\n", "1 + 1"])
        XCTAssertEqual(cells[1]["execution_count"] as? Int, 1)
        XCTAssertTrue(cells[3]["execution_count"] is NSNull)
        let outputs = try XCTUnwrap(cells[1]["outputs"] as? [[String: Any]])
        XCTAssertEqual(outputs[0]["output_type"] as? String, "stream")
        XCTAssertEqual(outputs[0]["name"] as? String, "stdout")
        XCTAssertEqual(outputs[0]["text"] as? [String], ["a\n"])
        XCTAssertEqual(outputs[1]["output_type"] as? String, "execute_result")
        XCTAssertEqual((outputs[1]["data"] as? [String: Any])?["text/plain"] as? [String], ["2"])
        let shown = try XCTUnwrap(cells[2]["outputs"] as? [[String: Any]])
        XCTAssertEqual(shown[0]["output_type"] as? String, "display_data")
        // base64 of the 8 PNG signature bytes, computed by hand: 89 50 4E 47 0D 0A 1A 0A -> iVBORw0KGgo=
        XCTAssertEqual((shown[0]["data"] as? [String: Any])?["image/png"] as? String, "iVBORw0KGgo=")
        XCTAssertEqual(shown[1]["output_type"] as? String, "error")
        XCTAssertEqual(shown[1]["ename"] as? String, "ValueError")
        XCTAssertEqual(shown[1]["traceback"] as? [String], ["Traceback:", "ValueError: bad", ""])
    }

    func testMissingImageIsAnError() {
        XCTAssertThrowsError(try IPythonNotebookWriter.render(transcript) { _ in nil }) { error in
            XCTAssertEqual(error as? NotebookReportError, .unreadableImage(path: "/tmp/report/mask.png"))
        }
    }

    func testReportWriteCopiesOutsideImagesAndRejectsUnknownFormat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-report-\(getpid())")
        let images = folder.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: images, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let image = images.appendingPathComponent("mask.png")
        try png.write(to: image)
        let report = folder.appendingPathComponent("out/report.md")
        try FileManager.default.createDirectory(at: report.deletingLastPathComponent(), withIntermediateDirectories: true)
        var run = transcript
        run.cells[2].outputs[0] = .image(pngPath: image.path)
        try NotebookReport.write(run, to: report.path)
        let text = try String(contentsOf: report, encoding: .utf8)
        XCTAssertTrue(text.contains("![mask.png](report_files/mask.png)"), text)
        let copied = folder.appendingPathComponent("out/report_files/mask.png")
        XCTAssertEqual(FileManager.default.contents(atPath: copied.path), png)
        XCTAssertThrowsError(try NotebookReport.write(run, to: folder.appendingPathComponent("r.txt").path))
    }

    func testStreamsMerge() {
        var cell = TranscriptCell(cell: NotebookCell(kind: .code, source: "", firstLine: 1))
        cell.appendStream(.stdout, "a")
        cell.appendStream(.stdout, "b\n")
        cell.appendStream(.stderr, "warn\n")
        cell.appendStream(.stdout, "c")
        XCTAssertEqual(cell.outputs, [.stream(.stdout, "ab\n"), .stream(.stderr, "warn\n"), .stream(.stdout, "c")])
    }
}
