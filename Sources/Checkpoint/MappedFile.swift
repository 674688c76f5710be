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
    /// Kept open so misaligned payloads can be read with `pread` instead of through the mapping
    /// (touching mapped pages and copying them would count the data twice in the process's memory).
    private var fd: Int32

    init(url: URL) throws {
        name = url.path
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw CheckpointError.io(file: url.path, detail: "cannot open: \(String(cString: strerror(errno)))") }
        var keepOpen = false
        defer { if !keepOpen { close(fd) } }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CheckpointError.io(file: url.path, detail: "cannot stat: \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw CheckpointError.io(file: url.path, detail: "not a regular file") }
        let size = Int(info.st_size)
        if size == 0 {
            base = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 64)
            count = 0
            mappedLength = 0
            self.fd = -1
            return
        }
        let p = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else {
            throw CheckpointError.io(file: url.path, detail: "cannot map \(size) bytes: \(String(cString: strerror(errno)))")
        }
        base = p
        count = size
        mappedLength = size
        self.fd = fd
        keepOpen = true
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
        fd = -1
    }

    /// Closes the descriptor once reading is done; storages keep only the mapping (no fd per loaded file).
    func closeDescriptor() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Copies `count` bytes at `offset` into `destination` (with `pread` when the file is open).
    func copy(into destination: UnsafeMutableRawPointer, offset: Int, count n: Int) {
        if fd >= 0 {
            var done = 0
            while done < n {
                let got = pread(fd, destination + done, min(n - done, 1 << 30), off_t(offset + done))
                if got > 0 { done += got; continue }
                if got < 0 && errno == EINTR { continue }
                break  // a short read of a mapped, bounds-checked range: fall back to the mapping
            }
            if done == n { return }
            (destination + done).copyMemory(from: base + offset + done, byteCount: n - done)
            return
        }
        destination.copyMemory(from: base + offset, byteCount: n)
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit {
        if mappedLength > 0 { munmap(base, mappedLength) } else { base.deallocate() }
        if fd >= 0 { close(fd) }
    }
}
