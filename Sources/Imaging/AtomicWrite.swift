import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes for images: a temporary file in the target's folder, fsync, rename over the target, fsync of
/// the folder. A crash at any point leaves either the old file or the complete new one (plus, at worst, a stray
/// `.NAME.tmp-*` file), never a truncated image.
enum AtomicWrite {
    static func write(_ data: Data, to path: String) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]).isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temporary = directory + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        func failure(_ step: String) -> ImageError {
            .unwritable(path: path, reason: "\(step) failed: \(String(cString: strerror(errno)))")
        }
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw failure("creating \(temporary)") }
        var committed = false
        defer { if !committed { unlink(temporary) } }
        do {
            defer { close(fd) }
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                var done = 0
                while done < raw.count, let base = raw.baseAddress {
                    #if canImport(Glibc)
                    let n = Glibc.write(fd, base + done, raw.count - done)
                    #else
                    let n = Darwin.write(fd, base + done, raw.count - done)
                    #endif
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw failure("write")
                    }
                    done += n
                }
            }
            guard fsync(fd) == 0 else { throw failure("fsync") }
        }
        guard rename(temporary, path) == 0 else { throw failure("rename") }
        committed = true
        let dirfd = open(directory, O_RDONLY)
        if dirfd >= 0 {
            _ = fsync(dirfd)
            close(dirfd)
        }
    }
}
