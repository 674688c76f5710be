import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file written atomically: bytes go to a temporary file beside the target, which is fsync'ed
/// and renamed over the target only when everything was written. A failed save leaves the old file.
final class AtomicFileOutput {
    let target: URL
    private let tempPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var offset = 0
    private var finished = false

    init(target: URL) throws {
        self.target = target
        let dir = target.deletingLastPathComponent().path
        tempPath = (dir.isEmpty ? "." : dir) + "/.\(target.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw CheckpointError.io(file: target.path, detail: "cannot create \(tempPath): \(String(cString: strerror(errno)))")
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !finished {
            if fd >= 0 { close(fd) }
            unlink(tempPath)
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        offset += bytes.count
        if buffer.count + bytes.count <= 1 << 20 {
            buffer.append(contentsOf: bytes)
            return
        }
        try flush()
        if bytes.count >= 1 << 20 { try writeAll(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        guard var p = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let n = systemWrite(fd, p, min(left, 1 << 30))
            if n < 0 {
                if errno == EINTR { continue }
                throw CheckpointError.io(file: target.path, detail: "write failed: \(String(cString: strerror(errno)))")
            }
            p += n
            left -= n
        }
    }

    /// Flushes, fsyncs and renames the temporary file over the target.
    func commit() throws {
        try flush()
        guard fsync(fd) == 0 else { throw CheckpointError.io(file: target.path, detail: "fsync failed: \(String(cString: strerror(errno)))") }
        close(fd)
        fd = -1
        guard rename(tempPath, target.path) == 0 else {
            throw CheckpointError.io(file: target.path, detail: "rename failed: \(String(cString: strerror(errno)))")
        }
        finished = true
        let dir = open(target.deletingLastPathComponent().path, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}

#if canImport(Glibc)
private let systemWrite = Glibc.write
#else
private let systemWrite = Darwin.write
#endif
