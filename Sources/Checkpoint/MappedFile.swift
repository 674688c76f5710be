import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The bytes of a file, memory-mapped copy-on-write, or of an in-memory buffer.
///
/// Storages borrow slices of the mapping (they keep this object alive as their `owner`), so a
/// 500 MB checkpoint is paged in by the kernel on demand and never copied into the heap. The
/// mapping is private and writable: writing into a loaded tensor copies that page, never the file.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int
    let name: String
    private let mappedLength: Int   // 0 when `base` was allocated, not mapped

    init(url: URL) throws {
        name = url.path
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw CheckpointError.io(file: url.path, detail: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CheckpointError.io(file: url.path, detail: "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CheckpointError.io(file: url.path, detail: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 {
            base = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64)
            count = 0
            mappedLength = 0
            return
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw CheckpointError.io(file: url.path, detail: "cannot map \(size) bytes: \(String(cString: strerror(errno)))")
        }
        base = p
        count = size
        mappedLength = size
    }

    /// Copies `data` into 64-byte aligned memory (tests and in-memory loads).
    init(data: Data, name: String) {
        self.name = name
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(data.count, 1), alignment: 64)
        data.withUnsafeBytes { raw in
            if let src = raw.baseAddress { memory.copyMemory(from: src, byteCount: data.count) }
        }
        base = memory
        count = data.count
        mappedLength = 0
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit {
        if mappedLength > 0 { munmap(base, mappedLength) } else { base.deallocate() }
    }
}
