import Foundation
import MLU

/// Writes files so a reader never sees half of one: the bytes go to a temporary file beside the target,
/// which is fsync'ed and then renamed over it (rename is atomic within one file system).
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        do {
            try MLU.AtomicFile.write([UInt8](data), to: path)
        } catch let error as FileWriteError {
            throw NotebookReportError.writeFailed(path: path, reason: "\(error.step) failed: \(error.reason)")
        }
    }
}
