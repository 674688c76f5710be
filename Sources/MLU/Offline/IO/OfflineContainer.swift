/// The container layer of the reader: header, section table, layout and checksums.
///
/// Returns where each section's payload lies, after proving that the header is intact, the
/// sections are known, aligned, in bounds, contiguous, zero-padded, cover the file, and match
/// their CRC-32.
enum OfflineContainer {
    static func sections(of file: UnsafeRawBufferPointer, opSet: OfflineOpSet) throws -> [OfflineSection: Range<Int>] {
        let fixed = OfflineFormat.fixedHeaderLength
        guard file.count >= fixed else { throw OfflineFormatError.truncatedHeader(needed: fixed, actual: file.count) }
        let magic = Array(file[0..<8])
        guard magic == OfflineFormat.magic else { throw OfflineFormatError.badMagic(found: magic) }

        func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u64(_ at: Int) -> UInt64 { UInt64(littleEndian: file.loadUnaligned(fromByteOffset: at, as: UInt64.self)) }
        typealias F = OfflineFormat.HeaderField

        let container = u16(F.containerVersion)
        guard container == OfflineFormat.containerVersion else {
            throw OfflineFormatError.unsupportedContainerVersion(found: container, supported: OfflineFormat.containerVersion)
        }
        let ops = u16(F.opsVersion)
        guard ops == opSet.version else {
            throw OfflineFormatError.unsupportedOpsVersion(found: ops, supported: opSet.version)
        }
        let quantization = u16(F.quantizationVersion)
        guard quantization == OfflineFormat.quantizationVersion else {
            throw OfflineFormatError.unsupportedQuantizationVersion(found: quantization, supported: OfflineFormat.quantizationVersion)
        }
        let count = Int(u16(F.sectionCount))
        guard count >= 1, count <= OfflineFormat.maxSectionCount else {
            throw OfflineFormatError.invalidSectionCount(found: count, maximum: OfflineFormat.maxSectionCount)
        }
        let headerLength = OfflineFormat.headerLength(sectionCount: count)
        let declaredHeader = Int(u32(F.headerLength))
        guard declaredHeader == headerLength, headerLength <= OfflineFormat.maxHeaderLength else {
            throw OfflineFormatError.invalidHeaderLength(found: declaredHeader, expected: headerLength)
        }
        guard file.count >= headerLength else {
            throw OfflineFormatError.truncatedHeader(needed: headerLength, actual: file.count)
        }
        let storedCRC = u32(F.headerCRC)
        var crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: file[0..<F.headerCRC]))
        crc = [UInt8](repeating: 0, count: 4).withUnsafeBytes { CRC32.checksum($0, continuing: crc) }
        crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: file[(F.headerCRC + 4)..<headerLength]), continuing: crc)
        guard crc == storedCRC else { throw OfflineFormatError.headerChecksumMismatch(stored: storedCRC, computed: crc) }
        let declaredLength = u64(F.fileLength)
        guard declaredLength == UInt64(file.count) else {
            throw OfflineFormatError.fileLengthMismatch(declared: declaredLength, actual: file.count)
        }
        for p in 32..<fixed where file[p] != 0 { throw OfflineFormatError.nonZeroReserved(offset: p) }
        let tableEnd = fixed + count * OfflineFormat.sectionEntryLength
        for p in tableEnd..<headerLength where file[p] != 0 { throw OfflineFormatError.nonZeroPadding(offset: p) }

        var result = [OfflineSection: Range<Int>]()
        var crcs = [(OfflineSection, UInt32)]()
        var expectedOffset = headerLength
        var end = headerLength
        for entry in 0..<count {
            let at = fixed + entry * OfflineFormat.sectionEntryLength
            let tagBytes = Array(file[at..<(at + 4)])
            guard let section = OfflineSection.allCases.first(where: { $0.tag == tagBytes }) else {
                let printable = String(decoding: tagBytes.map { (32...126).contains($0) ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
                throw OfflineFormatError.unknownSection(tag: printable, entry: entry)
            }
            guard result[section] == nil else { throw OfflineFormatError.duplicateSection(section) }
            guard u32(at + 4) == 0 else { throw OfflineFormatError.nonZeroReserved(offset: at + 4) }
            guard u32(at + 28) == 0 else { throw OfflineFormatError.nonZeroReserved(offset: at + 28) }
            let offset = u64(at + 8)
            let length = u64(at + 16)
            let (sectionEnd, overflow) = offset.addingReportingOverflow(length)
            guard !overflow, sectionEnd <= UInt64(Int.max) else {
                throw OfflineFormatError.sectionSizeOverflow(section, offset: offset, length: length)
            }
            guard offset % UInt64(OfflineFormat.alignment) == 0 else {
                throw OfflineFormatError.misalignedSection(section, offset: offset)
            }
            guard sectionEnd <= UInt64(file.count) else {
                throw OfflineFormatError.sectionOutOfBounds(section, offset: offset, length: length, fileLength: file.count)
            }
            guard offset == UInt64(expectedOffset) else {
                throw OfflineFormatError.sectionLayoutGap(section, expectedOffset: expectedOffset, found: offset)
            }
            for p in end..<Int(offset) where file[p] != 0 { throw OfflineFormatError.nonZeroPadding(offset: p) }
            result[section] = Int(offset)..<Int(sectionEnd)
            crcs.append((section, u32(at + 24)))
            end = Int(sectionEnd)
            expectedOffset = OfflineFormat.align(end, to: OfflineFormat.alignment)
        }
        guard expectedOffset == file.count else {
            throw OfflineFormatError.sectionsDoNotCoverFile(end: expectedOffset, fileLength: file.count)
        }
        for p in end..<file.count where file[p] != 0 { throw OfflineFormatError.nonZeroPadding(offset: p) }
        for section in OfflineSection.allCases where result[section] == nil {
            throw OfflineFormatError.missingSection(section)
        }
        for (section, stored) in crcs {
            guard let range = result[section] else { continue }
            let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: file[range]))
            guard computed == stored else {
                throw OfflineFormatError.sectionChecksumMismatch(section, stored: stored, computed: computed)
            }
        }
        return result
    }
}
