/// An owned, 64-byte aligned copy of bytes, for reading a model from memory with the same
/// borrowing rules as a mapped file.
final class AlignedBytes: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    let count: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        count = bytes.count
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: OfflineFormat.alignment)
        if let src = bytes.baseAddress, count > 0 { base.copyMemory(from: src, byteCount: count) }
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    deinit { base.deallocate() }
}
