/// A bounds-checked cursor over bytes: every read checks the remaining length first,
/// so a size claimed by a hostile file is compared with the file before anything is allocated.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    /// Offset of `bytes[0]` in the whole file, so errors report file offsets.
    let origin: Int
    private(set) var position: Int = 0

    init(_ bytes: UnsafeRawBufferPointer, origin: Int = 0) {
        self.bytes = bytes
        self.origin = origin
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }
    var fileOffset: Int { origin + position }

    private func need(_ n: Int, _ what: String) throws {
        guard n >= 0, n <= remaining else {
            throw CheckpointError.truncated(file: "", detail: "\(what) needs \(n) bytes, \(remaining) remain", offset: fileOffset)
        }
    }

    mutating func u8(_ what: String = "byte") throws -> UInt8 {
        try need(1, what)
        defer { position += 1 }
        return bytes[position]
    }

    mutating func take(_ n: Int, _ what: String) throws -> UnsafeRawBufferPointer {
        try need(n, what)
        defer { position += n }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + n)])
    }

    mutating func skip(_ n: Int, _ what: String) throws {
        try need(n, what)
        position += n
    }

    /// Unsigned little-endian integer of `n` bytes (n ≤ 8).
    mutating func uintLE(_ n: Int, _ what: String) throws -> UInt64 {
        let raw = try take(n, what)
        var v: UInt64 = 0
        for i in stride(from: n - 1, through: 0, by: -1) { v = (v << 8) | UInt64(raw[i]) }
        return v
    }

    mutating func u16(_ what: String) throws -> Int { Int(try uintLE(2, what)) }
    mutating func u32(_ what: String) throws -> Int { Int(try uintLE(4, what)) }
    mutating func i32(_ what: String) throws -> Int { Int(Int32(truncatingIfNeeded: try uintLE(4, what))) }
    mutating func u64(_ what: String) throws -> UInt64 { try uintLE(8, what) }

    /// Bytes up to (not including) the next `\n`, which is consumed.
    mutating func line(_ what: String) throws -> UnsafeRawBufferPointer {
        var end = position
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        guard end < bytes.count else {
            throw CheckpointError.truncated(file: "", detail: "\(what) has no terminating newline", offset: fileOffset)
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<end])
        position = end + 1
        return slice
    }
}
