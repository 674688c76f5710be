/// A bounded little-endian cursor over one section payload.
///
/// Every read checks the bytes left first and throws a named `OfflineFormatError` naming the
/// section and field, so a truncated or lying payload can never read past its end.
struct ByteReader {
    let section: OfflineSection
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(section: OfflineSection, bytes: UnsafeRawBufferPointer) {
        self.section = section
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - offset }

    private mutating func take(_ n: Int, _ field: String) throws -> Int {
        guard n <= remaining else {
            throw OfflineFormatError.truncatedPayload(section, field: field, offset: offset, needed: n, remaining: remaining)
        }
        let start = offset
        offset += n
        return start
    }

    private mutating func load<T: FixedWidthInteger>(_ type: T.Type, _ field: String) throws -> T {
        let start = try take(MemoryLayout<T>.size, field)
        guard let base = bytes.baseAddress else { return 0 }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: start, as: T.self))
    }

    mutating func u8(_ field: String) throws -> UInt8 { try load(UInt8.self, field) }
    mutating func u16(_ field: String) throws -> UInt16 { try load(UInt16.self, field) }
    mutating func u32(_ field: String) throws -> UInt32 { try load(UInt32.self, field) }
    mutating func u64(_ field: String) throws -> UInt64 { try load(UInt64.self, field) }
    mutating func i64(_ field: String) throws -> Int64 { try load(Int64.self, field) }
    mutating func f32(_ field: String) throws -> Float { Float(bitPattern: try u32(field)) }
    mutating func f64(_ field: String) throws -> Double { Double(bitPattern: try u64(field)) }

    /// A u32 count whose elements take at least `minimumElementSize` bytes each; checked against
    /// the bytes left before the caller allocates anything.
    mutating func count(_ field: String, minimumElementSize: Int) throws -> Int {
        let n = try u32(field)
        let (needed, overflow) = UInt64(n).multipliedReportingOverflow(by: UInt64(max(minimumElementSize, 1)))
        guard !overflow, needed <= UInt64(remaining) else {
            throw OfflineFormatError.countTooLarge(section, field: field, count: UInt64(n), remaining: remaining)
        }
        return Int(n)
    }

    mutating func string(_ field: String) throws -> String {
        let length = try u32(field + " length")
        guard length <= UInt32(OfflineFormat.maxStringLength) else {
            throw OfflineFormatError.stringTooLong(section, field: field, length: length)
        }
        let start = try take(Int(length), field)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + Int(length))])
        guard let text = String(validating: slice.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw OfflineFormatError.invalidUTF8(section, field: field, offset: start)
        }
        return text
    }

    /// A u8 rank then i64 dimensions, each non-negative, with an element count that fits in Int.
    mutating func shape(_ field: String) throws -> [Int] {
        let rank = Int(try u8(field + " rank"))
        guard rank <= OfflineFormat.maxRank else {
            throw OfflineFormatError.rankTooLarge(section, field: field, rank: rank)
        }
        var raw = [Int64]()
        for _ in 0..<rank { raw.append(try i64(field)) }
        guard raw.allSatisfy({ $0 >= 0 }) else {
            throw OfflineFormatError.negativeDimension(section, field: field, shape: raw)
        }
        var product: Int64 = 1
        for d in raw {
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            // 8 bytes per element at most: keep count × itemSize representable too.
            guard !overflow, p <= Int64.max / 8 else {
                throw OfflineFormatError.elementCountOverflow(section, field: field, shape: raw)
            }
            product = p
        }
        return raw.map { Int($0) }
    }

    /// Throws unless the whole payload was consumed.
    func expectEnd() throws {
        guard remaining == 0 else { throw OfflineFormatError.trailingBytes(section, count: remaining) }
    }
}
