@testable import MLU

/// Byte surgery on encoded `.cambricon` files, for the reader-error tests. Offsets follow
/// docs/offline-format.md; checksums are refreshed with `CRC32`, itself checked against the
/// standard test vector.
struct FileBytes {
    var bytes: [UInt8]

    struct Entry {
        var tag: String
        var entryOffset: Int
        var offset: Int
        var length: Int
    }

    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u64(_ at: Int) -> UInt64 { (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }

    mutating func setU16(_ v: UInt16, at: Int) { for k in 0..<2 { bytes[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt16(k))) } }
    mutating func setU32(_ v: UInt32, at: Int) { for k in 0..<4 { bytes[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) } }
    mutating func setU64(_ v: UInt64, at: Int) { for k in 0..<8 { bytes[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }

    var sectionCount: Int { u16(14) }

    var entries: [Entry] {
        (0..<sectionCount).map { i in
            let at = 64 + 32 * i
            return Entry(tag: String(decoding: bytes[at..<(at + 4)], as: UTF8.self), entryOffset: at,
                         offset: Int(u64(at + 8)), length: Int(u64(at + 16)))
        }
    }

    func entry(_ tag: String) -> Entry? { entries.first { $0.tag == tag } }

    /// Recomputes the CRC of the header (bytes [0, H) with the CRC field zeroed).
    mutating func refreshHeaderCRC() {
        let h = (64 + 32 * sectionCount + 63) & ~63
        var copy = Array(bytes[0..<min(h, bytes.count)])
        for k in 20..<24 { copy[k] = 0 }
        setU32(CRC32.checksum(copy), at: 20)
    }

    /// Recomputes the CRC of section `tag`, then the header's.
    mutating func refreshSectionCRC(_ tag: String) {
        guard let e = entry(tag) else { return }
        setU32(CRC32.checksum(Array(bytes[e.offset..<(e.offset + e.length)])), at: e.entryOffset + 24)
        refreshHeaderCRC()
    }
}

extension FileBytes {
    /// A container assembled by the test from raw payloads, following docs/offline-format.md
    /// independently of `OfflineModelWriter`.
    static func assemble(_ sections: [(String, [UInt8])]) -> FileBytes {
        let h = (64 + 32 * sections.count + 63) & ~63
        var offsets = [Int]()
        var position = h
        for (_, payload) in sections {
            offsets.append(position)
            position = (position + payload.count + 63) & ~63
        }
        var f = FileBytes(bytes: [UInt8](repeating: 0, count: position))
        for (k, b) in [0x89, 0x4D, 0x4C, 0x55, 0x53, 0x0D, 0x0A, 0x1A].enumerated() { f.bytes[k] = UInt8(b) }
        f.setU16(1, at: 8)
        f.setU16(1, at: 10)
        f.setU16(1, at: 12)
        f.setU16(UInt16(sections.count), at: 14)
        f.setU32(UInt32(h), at: 16)
        f.setU64(UInt64(position), at: 24)
        for (i, ((tag, payload), offset)) in zip(sections, offsets).enumerated() {
            let at = 64 + 32 * i
            for (k, b) in tag.utf8.enumerated() { f.bytes[at + k] = b }
            f.setU64(UInt64(offset), at: at + 8)
            f.setU64(UInt64(payload.count), at: at + 16)
            f.setU32(CRC32.checksum(payload), at: at + 24)
            for (k, b) in payload.enumerated() { f.bytes[offset + k] = b }
        }
        f.refreshHeaderCRC()
        return f
    }

    func payload(_ tag: String) -> [UInt8] {
        guard let e = entry(tag) else { return [] }
        return Array(bytes[e.offset..<(e.offset + e.length)])
    }
}
