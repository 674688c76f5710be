/// Constants of the `.cambricon` container (docs/offline-format.md): magic, versions, limits.
///
/// The three versions change independently: `containerVersion` with the byte layout,
/// `opsVersion` with the op names or attribute meanings, `quantizationVersion` with the meaning
/// of stored scales.
public enum OfflineFormat {
    /// `\x89MLUS\r\n\x1a`: a high-bit byte, the name, CR LF and ^Z catch text-mode damage.
    public static let magic: [UInt8] = [0x89, 0x4D, 0x4C, 0x55, 0x53, 0x0D, 0x0A, 0x1A]
    public static let containerVersion: UInt16 = 1
    public static let opsVersion: UInt16 = 1
    public static let quantizationVersion: UInt16 = 1

    /// Payload and header alignment, chosen for memory-mapping and SIMD loads.
    public static let alignment = 64
    static let fixedHeaderLength = 64
    static let sectionEntryLength = 32
    static let maxSectionCount = 16
    static let maxHeaderLength = 4096
    static let maxStringLength = 65_535
    static let maxRank = 8

    /// Byte offsets of header fields.
    enum HeaderField {
        static let containerVersion = 8
        static let opsVersion = 10
        static let quantizationVersion = 12
        static let sectionCount = 14
        static let headerLength = 16
        static let headerCRC = 20
        static let fileLength = 24
    }

    /// The header length for `sectionCount` sections.
    static func headerLength(sectionCount: Int) -> Int {
        align(fixedHeaderLength + sectionEntryLength * sectionCount, to: alignment)
    }

    /// `value` rounded up to a multiple of `alignment` (a power of two).
    static func align(_ value: Int, to alignment: Int) -> Int {
        (value + alignment - 1) & ~(alignment - 1)
    }
}
