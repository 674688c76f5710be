#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file could not be written.
public struct FileWriteError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var step: String
    public var reason: String

    public var description: String { "cannot write \(path): \(step) failed: \(reason)" }
}

/// Writes whole files so a reader never sees a half-written one: a temporary file in the same
/// directory, `fsync`, then `rename` over the destination, then `fsync` of the directory.
public enum AtomicFile {
    /// Replaces the file at `path` with `bytes`.
    /// - Throws: `FileWriteError` naming the failed step; the destination is then untouched.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory: String
        let name: String
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])
            name = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            name = path
        }
        let temporary = directory + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw failure(path, "create temporary file") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            try bytes.withUnsafeBytes { raw in
                var written = 0
                while written < raw.count {
                    guard let base = raw.baseAddress else { break }
                    let n = systemWrite(fd, base + written, raw.count - written)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure(path, "write")
                    }
                    written += n
                }
            }
            guard fsync(fd) == 0 else { throw failure(path, "fsync") }
        }
        guard rename(temporary, path) == 0 else { throw failure(path, "rename") }
        ok = true
        let dirfd = open(directory, O_RDONLY)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }

    private static func failure(_ path: String, _ step: String) -> FileWriteError {
        FileWriteError(path: path, step: step, reason: String(cString: strerror(errno)))
    }
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}
