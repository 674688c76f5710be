/// The central directory of a zip file, read straight from the mapped bytes.
///
/// ZIPFoundation hides where an entry's payload starts; zero-copy storages need exactly that offset,
/// so the directory is parsed here (classic and ZIP64 end records, ZIP64 extra fields). Sizes and
/// offsets come from the central directory because torch writes zeros in local headers.
struct ZipDirectory {
    struct Entry {
        var name: String
        var method: Int
        var crc32: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
        /// First payload byte (after the local header's name and extra field).
        var dataOffset: Int
    }

    var entries: [Entry] = []
    var byName: [String: Int] = [:]

    subscript(name: String) -> Entry? { byName[name].map { entries[$0] } }

    init(_ file: UnsafeRawBufferPointer) throws {
        let eocd = try ZipDirectory.findEndRecord(file)
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: file[eocd...]), origin: eocd)
        try r.skip(10, "end of central directory")
        var count = try r.u16("entry count")
        var cdSize = try r.u32("central directory size")
        var cdOffset = try r.u32("central directory offset")
        // ZIP64 locator sits right before the classic end record.
        if eocd >= 20, ZipDirectory.u32(file, eocd - 20) == 0x07064B50 {
            var loc = ByteReader(UnsafeRawBufferPointer(rebasing: file[(eocd - 20)..<eocd]), origin: eocd - 20)
            try loc.skip(8, "ZIP64 locator")
            let z = try loc.u64("ZIP64 end record offset")
            guard file.count >= 56, z <= UInt64(file.count - 56), ZipDirectory.u32(file, Int(z)) == 0x06064B50 else {
                throw CheckpointError.malformed(file: "", detail: "ZIP64 locator points to \(z), where there is no ZIP64 end record")
            }
            var z64 = ByteReader(UnsafeRawBufferPointer(rebasing: file[Int(z)...]), origin: Int(z))
            try z64.skip(32, "ZIP64 end record")
            let total = try z64.u64("ZIP64 entry count")
            let size = try z64.u64("ZIP64 directory size")
            let offset = try z64.u64("ZIP64 directory offset")
            guard total <= UInt64(file.count / 46), size <= UInt64(file.count), offset <= UInt64(file.count) else {
                throw CheckpointError.malformed(file: "", detail: "ZIP64 end record claims \(total) entries / \(size) bytes at \(offset), beyond the file")
            }
            count = Int(total); cdSize = Int(size); cdOffset = Int(offset)
        }
        guard cdOffset <= file.count, cdSize <= file.count - cdOffset else {
            throw CheckpointError.malformed(file: "", detail: "central directory [\(cdOffset), +\(cdSize)) lies outside the \(file.count)-byte file")
        }
        var cd = ByteReader(UnsafeRawBufferPointer(rebasing: file[cdOffset..<(cdOffset + cdSize)]), origin: cdOffset)
        entries.reserveCapacity(min(count, cdSize / 46))
        for _ in 0..<count {
            let at = cd.fileOffset
            guard try cd.u32("central directory signature") == 0x02014B50 else {
                throw CheckpointError.malformed(file: "", detail: "bad central directory entry signature at byte \(at)")
            }
            try cd.skip(4, "versions")
            _ = try cd.u16("flags")
            let method = try cd.u16("method")
            try cd.skip(4, "time/date")
            let crc = UInt32(try cd.u32("crc32"))
            var csize = try cd.u32("compressed size")
            var usize = try cd.u32("size")
            let nlen = try cd.u16("name length")
            let xlen = try cd.u16("extra length")
            let clen = try cd.u16("comment length")
            try cd.skip(8, "disk/attributes")
            var lho = try cd.u32("local header offset")
            let nameBytes = try cd.take(nlen, "entry name")
            var extra = ByteReader(try cd.take(xlen, "extra field"), origin: cd.fileOffset - xlen)
            try cd.skip(clen, "comment")
            while extra.remaining >= 4 {
                let id = try extra.u16("extra id"), len = try extra.u16("extra length")
                var field = ByteReader(try extra.take(len, "extra field"), origin: extra.fileOffset - len)
                guard id == 1 else { continue }
                if usize == 0xFFFF_FFFF { usize = Int(clamping: try field.u64("ZIP64 size")) }
                if csize == 0xFFFF_FFFF { csize = Int(clamping: try field.u64("ZIP64 compressed size")) }
                if lho == 0xFFFF_FFFF { lho = Int(clamping: try field.u64("ZIP64 offset")) }
            }
            let name = String(decoding: nameBytes, as: UTF8.self)
            guard lho <= file.count - 30, ZipDirectory.u32(file, lho) == 0x04034B50 else {
                throw CheckpointError.malformed(file: "", detail: "entry '\(name)': local header at \(lho) missing")
            }
            let dataOffset = lho + 30 + Int(ZipDirectory.u16(file, lho + 26)) + Int(ZipDirectory.u16(file, lho + 28))
            guard dataOffset <= file.count, csize <= file.count - dataOffset else {
                throw CheckpointError.malformed(file: "", detail: "entry '\(name)' claims \(csize) bytes at \(dataOffset), beyond the \(file.count)-byte file")
            }
            byName[name] = entries.count
            entries.append(Entry(name: name, method: method, crc32: crc, compressedSize: csize, size: usize,
                                 localHeaderOffset: lho, dataOffset: dataOffset))
        }
    }

    private static func findEndRecord(_ file: UnsafeRawBufferPointer) throws -> Int {
        guard file.count >= 22 else { throw CheckpointError.malformed(file: "", detail: "zip file of \(file.count) bytes has no end record") }
        let lowest = max(0, file.count - 22 - 65535)
        var i = file.count - 22
        while i >= lowest {
            if u32(file, i) == 0x06054B50 { return i }
            i -= 1
        }
        throw CheckpointError.malformed(file: "", detail: "no zip end-of-central-directory record")
    }

    static func u16(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt16 {
        guard at >= 0, at + 2 <= b.count else { return 0 }
        return UInt16(b[at]) | UInt16(b[at + 1]) << 8
    }

    static func u32(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        guard at >= 0, at + 4 <= b.count else { return 0 }
        return UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }
}
