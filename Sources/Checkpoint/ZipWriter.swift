/// Writes a zip archive exactly the way PyTorch's `PyTorchStreamWriter` (miniz) does: stored
/// records, payloads 64-byte aligned with an `FB` padding extra field, CRC32 and sizes in data
/// descriptors and the central directory, ZIP64 records where sizes or offsets need them, and
/// always a ZIP64 end record + locator before the classic end record (reference §2.3–2.4).
struct ZipWriter {
    private struct Central {
        var name: [UInt8]
        var crc: UInt32
        var size: Int
        var headerOffset: Int
    }

    let output: AtomicFileOutput
    let alignment = 64
    private var central: [Central] = []

    init(output: AtomicFileOutput) { self.output = output }

    private static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> UInt64(8 * $0)) & 0xFF) } }
    private static func le(_ v: Int, _ n: Int) -> [UInt8] { le(UInt64(v), n) }

    mutating func add(name: String, bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try add(name: name, payload: $0) }
    }

    mutating func add(name: String, payload: UnsafeRawBufferPointer) throws {
        let nameBytes = Array(name.utf8)
        let offset = output.offset
        let size = payload.count
        let bigSize = size >= 0xFFFF_FFFF, bigOffset = offset >= 0xFFFF_FFFF
        var extra: [UInt8] = []
        if bigSize || bigOffset {
            var field: [UInt8] = []
            if bigSize { field += ZipWriter.le(size, 8) + ZipWriter.le(0, 8) }
            if bigOffset { field += ZipWriter.le(offset, 8) }
            extra += [0x01, 0x00] + ZipWriter.le(field.count, 2) + field
        }
        let start = offset + 30 + nameBytes.count + extra.count + 4
        let pad = (alignment - start % alignment) % alignment
        extra += [0x46, 0x42] + ZipWriter.le(pad, 2) + [UInt8](repeating: 0x5A, count: pad)
        let flags = size > 0 ? 0x0808 : 0x0800
        var header: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        header += ZipWriter.le(0, 2) + ZipWriter.le(flags, 2) + ZipWriter.le(0, 2) + ZipWriter.le(0, 4)
        header += ZipWriter.le(0, 4) + ZipWriter.le(0, 4) + ZipWriter.le(0, 4)
        header += ZipWriter.le(nameBytes.count, 2) + ZipWriter.le(extra.count, 2)
        try output.write(header + nameBytes + extra)
        try output.write(payload)
        let crc = CRC32.checksum(payload)
        if size > 0 {
            var descriptor: [UInt8] = [0x50, 0x4B, 0x07, 0x08] + ZipWriter.le(Int(crc), 4)
            if bigSize || bigOffset { descriptor += ZipWriter.le(size, 8) + ZipWriter.le(size, 8) }
            else { descriptor += ZipWriter.le(size, 4) + ZipWriter.le(size, 4) }
            try output.write(descriptor)
        }
        central.append(Central(name: nameBytes, crc: crc, size: size, headerOffset: offset))
    }

    mutating func finish() throws {
        let cdOffset = output.offset
        for e in central {
            let bigSize = e.size >= 0xFFFF_FFFF, bigOffset = e.headerOffset >= 0xFFFF_FFFF
            var field: [UInt8] = []
            if bigSize { field += ZipWriter.le(e.size, 8) + ZipWriter.le(e.size, 8) }
            if bigOffset { field += ZipWriter.le(e.headerOffset, 8) }
            let extra = field.isEmpty ? [] : [0x01, 0x00] + ZipWriter.le(field.count, 2) + field
            var h: [UInt8] = [0x50, 0x4B, 0x01, 0x02]
            h += ZipWriter.le(0, 2) + ZipWriter.le(0, 2) + ZipWriter.le(e.size > 0 ? 0x0808 : 0x0800, 2) + ZipWriter.le(0, 2)
            h += ZipWriter.le(0, 4) + ZipWriter.le(Int(e.crc), 4)
            h += ZipWriter.le(bigSize ? 0xFFFF_FFFF : e.size, 4) + ZipWriter.le(bigSize ? 0xFFFF_FFFF : e.size, 4)
            h += ZipWriter.le(e.name.count, 2) + ZipWriter.le(extra.count, 2) + ZipWriter.le(0, 2)
            h += ZipWriter.le(0, 2) + ZipWriter.le(0, 2) + ZipWriter.le(0, 4)
            h += ZipWriter.le(bigOffset ? 0xFFFF_FFFF : e.headerOffset, 4)
            try output.write(h + e.name + extra)
        }
        let cdSize = output.offset - cdOffset
        let zip64At = output.offset
        let n = central.count
        var tail: [UInt8] = [0x50, 0x4B, 0x06, 0x06] + ZipWriter.le(44, 8) + ZipWriter.le(0x031E, 2) + ZipWriter.le(0x002D, 2)
        tail += ZipWriter.le(0, 4) + ZipWriter.le(0, 4) + ZipWriter.le(n, 8) + ZipWriter.le(n, 8)
        tail += ZipWriter.le(cdSize, 8) + ZipWriter.le(cdOffset, 8)
        tail += [0x50, 0x4B, 0x06, 0x07] + ZipWriter.le(0, 4) + ZipWriter.le(zip64At, 8) + ZipWriter.le(1, 4)
        tail += [0x50, 0x4B, 0x05, 0x06] + ZipWriter.le(0, 2) + ZipWriter.le(0, 2)
        tail += ZipWriter.le(min(n, 0xFFFF), 2) + ZipWriter.le(min(n, 0xFFFF), 2)
        tail += ZipWriter.le(min(cdSize, 0xFFFF_FFFF), 4) + ZipWriter.le(min(cdOffset, 0xFFFF_FFFF), 4) + ZipWriter.le(0, 2)
        try output.write(tail)
    }
}
