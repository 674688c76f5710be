import XCTest
@testable import Notebook

final class CellSplitterTests: XCTestCase {
    func testPercentFormatCodeAndMarkdownCells() {
        let script = """
        import math

        # %% [markdown]
        # # Porting
        #
        # Load the model.

        # %% Load
        x = 1
        print(x)

        # %%
        x + 1
        """
        let cells = CellSplitter.split(script)
        XCTAssertEqual(cells, [
            NotebookCell(kind: .code, source: "import math", firstLine: 1),
            NotebookCell(kind: .markdown, source: "# Porting\n\nLoad the model.", firstLine: 4),
            NotebookCell(kind: .code, source: "x = 1\nprint(x)", firstLine: 9, title: "Load"),
            NotebookCell(kind: .code, source: "x + 1", firstLine: 13),
        ])
    }

    func testMarkerVariantsAndBlankCellsDropped() {
        let script = "#%%\n\n# %% [md]\n#plain\n# %% title [markdown]\n#   indented\n# %%timeit\n"
        let cells = CellSplitter.split(script)
        // `#%%` opens an empty cell (dropped); `# %%timeit` is not a marker, so it stays in the prose cell.
        XCTAssertEqual(cells.map(\.kind), [.markdown, .markdown])
        XCTAssertEqual(cells[0].source, "plain")
        XCTAssertEqual(cells[1].source, "  indented\n%%timeit")
        XCTAssertEqual(cells[1].title, "title")
        XCTAssertEqual(cells[1].firstLine, 6)
    }

    func testCarriageReturnLineEndings() {
        let cells = CellSplitter.split("# %%\r\na = 1\r\n# %%\r\nb = 2\r\n")
        XCTAssertEqual(cells.map(\.source), ["a = 1", "b = 2"])
        XCTAssertEqual(cells.map(\.firstLine), [2, 4])
    }

    func testScriptWithoutMarkersIsOneCell() {
        XCTAssertEqual(CellSplitter.split("a = 1\nb = 2\n"), [NotebookCell(kind: .code, source: "a = 1\nb = 2", firstLine: 1)])
        XCTAssertEqual(CellSplitter.split(""), [])
    }
}
