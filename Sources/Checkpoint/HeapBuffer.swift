#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Tensors

/// Anonymous memory for storages that must be copied out of a file (misaligned legacy blobs,
/// big-endian data). Large buffers ask for transparent huge pages, which makes filling hundreds of
/// megabytes several times cheaper in page faults — the same trick PyTorch's CPU allocator uses.
final class HeapBuffer {
    let bytes: UnsafeMutableRawPointer
    private let length: Int
    private let mapped: Bool

    static let hugePage = 2 << 20

    init(byteCount: Int) {
        if byteCount >= HeapBuffer.hugePage {
            // Reserve 2 MiB extra, keep a 2 MiB-aligned start and a 4 KiB-rounded length, unmap the slack:
            // whole 2 MiB chunks get huge pages, the tail small ones, so nothing is wasted.
            let page = 4096
            let length = (byteCount + page - 1) / page * page
            let reserve = length + HeapBuffer.hugePage
            let p = mmap(nil, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            if let p, p != MAP_FAILED {
                let address = Int(bitPattern: p)
                let start = (address + HeapBuffer.hugePage - 1) / HeapBuffer.hugePage * HeapBuffer.hugePage
                if start > address { munmap(p, start - address) }
                let end = start + length, reserveEnd = address + reserve
                if reserveEnd > end, let tail = UnsafeMutableRawPointer(bitPattern: end) { munmap(tail, reserveEnd - end) }
                if let aligned = UnsafeMutableRawPointer(bitPattern: start) {
                    #if os(Linux)
                    _ = madvise(aligned, length, 14)  // MADV_HUGEPAGE
                    _ = madvise(aligned, length, 23)  // MADV_POPULATE_WRITE (5.14+): fault everything in one call
                    #endif
                    bytes = aligned
                    self.length = length
                    mapped = true
                    return
                }
            }
        }
        bytes = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        length = byteCount
        mapped = false
    }

    /// A storage borrowing this buffer (the storage keeps the buffer alive).
    func storage(byteCount: Int) -> Storage {
        Storage(borrowing: bytes, byteCount: byteCount, owner: self)
    }

    deinit {
        if mapped { munmap(bytes, length) } else { bytes.deallocate() }
    }
}
