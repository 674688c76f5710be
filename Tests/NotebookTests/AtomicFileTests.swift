import Foundation
import XCTest
@testable import Notebook

/// Notebook reports and `%save` go through AtomicFile: temporary file, fsync, rename (docs/security.md).
final class AtomicFileTests: XCTestCase {
    private func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func testReplacesTheTargetAndLeavesNothingElse() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("report.md").path
        try AtomicFile.write(Data("first".utf8), to: target)
        try AtomicFile.write(Data("second".utf8), to: target)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "second")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["report.md"])
    }

    func testFailureNamesThePathAndKeepsWhatWasThere() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A non-empty directory in the target's place: the final rename fails.
        let target = dir.appendingPathComponent("report.ipynb")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: target.appendingPathComponent("keep"))
        XCTAssertThrowsError(try AtomicFile.write(Data("new".utf8), to: target.path)) { error in
            guard case .writeFailed(let path, let reason)? = error as? NotebookReportError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, target.path)
            XCTAssertTrue(reason.contains("rename failed"), reason)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["report.ipynb"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: target.path), ["keep"])
    }
}
