import Foundation

/// Writes files so a reader never sees half of one: the bytes go to a temporary file beside the target,
/// which is then renamed over it (rename is atomic within one file system).
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, target.path) != 0 {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw NotebookReportError.writeFailed(path: path, reason: reason)
            }
        } catch let error as NotebookReportError {
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw NotebookReportError.writeFailed(path: path, reason: error.localizedDescription)
        }
    }
}
