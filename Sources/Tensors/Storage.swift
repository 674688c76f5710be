import Foundation

/// A flat, typeless block of bytes shared by every tensor that views it.
///
/// A storage either owns heap memory or borrows memory kept alive by `owner`
/// (a memory-mapped checkpoint, for example), so loading a large file does not copy it.
/// Memory is 64-byte aligned when allocated here, which oneDNN and SIMD loops prefer.
public final class Storage: @unchecked Sendable {
    public let bytes: UnsafeMutableRawPointer
    public let byteCount: Int
    /// Keeps borrowed memory alive (for example a mapped file); `nil` when the storage owns `bytes`.
    public let owner: AnyObject?
    private let ownsMemory: Bool

    /// Allocates zero-filled memory.
    public init(byteCount: Int) {
        let count = max(byteCount, 1)
        self.bytes = UnsafeMutableRawPointer.allocate(byteCount: count, alignment: 64)
        self.bytes.initializeMemory(as: UInt8.self, repeating: 0, count: count)
        self.byteCount = byteCount
        self.owner = nil
        self.ownsMemory = true
    }

    /// Allocates memory without clearing it, for kernels that overwrite every byte.
    public init(uninitializedByteCount byteCount: Int) {
        self.bytes = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: 64)
        self.byteCount = byteCount
        self.owner = nil
        self.ownsMemory = true
    }

    /// Wraps memory that `owner` keeps alive; the storage never frees it.
    public init(borrowing bytes: UnsafeMutableRawPointer, byteCount: Int, owner: AnyObject) {
        self.bytes = bytes
        self.byteCount = byteCount
        self.owner = owner
        self.ownsMemory = false
    }

    /// Copies `data` into a new storage.
    public convenience init(copying data: Data) {
        self.init(uninitializedByteCount: data.count)
        data.withUnsafeBytes { raw in
            if let base = raw.baseAddress { bytes.copyMemory(from: base, byteCount: data.count) }
        }
    }

    deinit {
        if ownsMemory { bytes.deallocate() }
    }
}
