#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file mapped into memory; tensors borrowing from it keep it alive.
///
/// Mapped copy-on-write (`MAP_PRIVATE`, read-write protection) so that a kernel writing into a
/// borrowed tensor by mistake changes its private copy of the page, never the file, and never faults.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeMutableRawPointer?
    let count: Int

    /// Maps the whole file at `path`.
    /// - Throws: `OfflineFormatError.io` when it cannot be opened, sized or mapped.
    init(path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw OfflineFormatError.io(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw OfflineFormatError.io(path: path, reason: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw OfflineFormatError.io(path: path, reason: "not a regular file") }
        let size = Int(info.st_size)
        count = size
        if size == 0 {
            base = nil
            return
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p = p, p != MAP_FAILED else {
            throw OfflineFormatError.io(path: path, reason: "mmap: " + String(cString: strerror(errno)))
        }
        base = p
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit {
        if let base = base { munmap(base, count) }
    }
}
