/// Appends little-endian primitives to a growing byte buffer; the writer side of every payload.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { append(v.littleEndian) }
    mutating func u32(_ v: UInt32) { append(v.littleEndian) }
    mutating func u64(_ v: UInt64) { append(v.littleEndian) }
    mutating func i32(_ v: Int32) { append(v.littleEndian) }
    mutating func i64(_ v: Int64) { append(v.littleEndian) }
    mutating func f32(_ v: Float) { u32(v.bitPattern) }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }

    /// A u32 length then the UTF-8 bytes.
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// A u8 rank then i64 dimensions.
    mutating func shape(_ dims: [Int]) {
        u8(UInt8(dims.count))
        for d in dims { i64(Int64(d)) }
    }

    mutating func raw(_ other: [UInt8]) { bytes.append(contentsOf: other) }

    mutating func raw(_ buffer: UnsafeRawBufferPointer) { bytes.append(contentsOf: buffer) }

    /// Zero bytes up to the next multiple of `alignment`.
    mutating func pad(to alignment: Int) {
        let target = OfflineFormat.align(count, to: alignment)
        bytes.append(contentsOf: repeatElement(0, count: target - count))
    }

    /// Overwrites a u64 written earlier at `offset`.
    mutating func patchU64(_ v: UInt64, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { src in
            for (k, b) in src.enumerated() { bytes[offset + k] = b }
        }
    }

    /// Overwrites a u32 written earlier at `offset`.
    mutating func patchU32(_ v: UInt32, at offset: Int) {
        withUnsafeBytes(of: v.littleEndian) { src in
            for (k, b) in src.enumerated() { bytes[offset + k] = b }
        }
    }

    private mutating func append<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) }
    }
}
