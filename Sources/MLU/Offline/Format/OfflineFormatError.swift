/// Every way a `.cambricon` file can be rejected; one case per reader check (docs/offline-format.md).
///
/// Cases carry the section, field and byte offset where they apply, so a message says where the
/// file is wrong. Cases are stable: tests match on them.
public enum OfflineFormatError: Error, Equatable, CustomStringConvertible {
    case io(path: String, reason: String)
    case truncatedHeader(needed: Int, actual: Int)
    case badMagic(found: [UInt8])
    case unsupportedContainerVersion(found: UInt16, supported: UInt16)
    case unsupportedOpsVersion(found: UInt16, supported: UInt16)
    case unsupportedQuantizationVersion(found: UInt16, supported: UInt16)
    case invalidSectionCount(found: Int, maximum: Int)
    case invalidHeaderLength(found: Int, expected: Int)
    case headerChecksumMismatch(stored: UInt32, computed: UInt32)
    case fileLengthMismatch(declared: UInt64, actual: Int)
    case nonZeroReserved(offset: Int)
    case unknownSection(tag: String, entry: Int)
    case duplicateSection(OfflineSection)
    case missingSection(OfflineSection)
    case sectionSizeOverflow(OfflineSection, offset: UInt64, length: UInt64)
    case misalignedSection(OfflineSection, offset: UInt64)
    case sectionOutOfBounds(OfflineSection, offset: UInt64, length: UInt64, fileLength: Int)
    case sectionLayoutGap(OfflineSection, expectedOffset: Int, found: UInt64)
    case nonZeroPadding(offset: Int)
    case sectionsDoNotCoverFile(end: Int, fileLength: Int)
    case sectionChecksumMismatch(OfflineSection, stored: UInt32, computed: UInt32)
    case truncatedPayload(OfflineSection, field: String, offset: Int, needed: Int, remaining: Int)
    case countTooLarge(OfflineSection, field: String, count: UInt64, remaining: Int)
    case stringTooLong(OfflineSection, field: String, length: UInt32)
    case invalidUTF8(OfflineSection, field: String, offset: Int)
    case trailingBytes(OfflineSection, count: Int)
    case unknownDType(OfflineSection, field: String, code: UInt8)
    case rankTooLarge(OfflineSection, field: String, rank: Int)
    case negativeDimension(OfflineSection, field: String, shape: [Int64])
    case elementCountOverflow(OfflineSection, field: String, shape: [Int64])
    case unknownAttributeType(node: Int, key: String, tag: UInt8)
    case invalidBool(node: Int, key: String, value: UInt8)
    case unsortedKeys(OfflineSection, field: String, key: String)
    case unknownOp(name: String, node: Int, opsVersion: UInt16)
    case valueIdOutOfRange(OfflineSection, field: String, id: UInt32, valueCount: Int)
    case duplicateValueName(String)
    case emptyValueName(id: Int)
    case valueDefinedTwice(id: Int, name: String)
    case undefinedValue(id: Int, name: String, usedBy: String)
    case invalidConstantDType(value: String, dtype: String)
    case constantValueMismatch(value: String, reason: String)
    case invalidValueDType(value: String, dtype: String)
    case invalidSourceChecksum(byteCount: Int)
    case unknownQuantizationKind(value: String, kind: UInt8)
    case invalidQuantization(value: String, reason: String)
    case tensorDataMisaligned(value: String, offset: UInt64)
    case tensorDataOutOfBounds(value: String, offset: UInt64, length: UInt64, payloadLength: Int)
    case tensorDataSizeMismatch(value: String, expected: Int, found: UInt64)
    case invalidIODataType(name: String, dtype: String)
    case unknownDimOrder(name: String, code: UInt8)
    case invalidIOShape(name: String, shape: [Int])
    case missingIO(kind: String)
    case unknownCoreVersion(String)
    case invalidCoreNumber(Int, coreVersion: String, valid: [Int])
    case invalidBatch(Int)
    case invalidInputFormat(UInt8)

    public var description: String {
        switch self {
        case let .io(path, reason): return "cannot read offline model \(path): \(reason)"
        case let .truncatedHeader(needed, actual):
            return "offline model truncated: header needs \(needed) bytes, file has \(actual)"
        case let .badMagic(found):
            return "not an mlus offline model: magic is \(hex(found)), expected \(hex(OfflineFormat.magic))"
        case let .unsupportedContainerVersion(found, supported):
            return "offline model container version \(found) is not supported (this mlus reads version \(supported))"
        case let .unsupportedOpsVersion(found, supported):
            return "offline model ops version \(found) is not supported (this mlus reads version \(supported))"
        case let .unsupportedQuantizationVersion(found, supported):
            return "offline model quantization version \(found) is not supported (this mlus reads version \(supported))"
        case let .invalidSectionCount(found, maximum):
            return "offline model declares \(found) sections; expected 1...\(maximum)"
        case let .invalidHeaderLength(found, expected):
            return "offline model header length is \(found), expected \(expected)"
        case let .headerChecksumMismatch(stored, computed):
            return "offline model header is corrupt: CRC-32 stored \(hex32(stored)), computed \(hex32(computed))"
        case let .fileLengthMismatch(declared, actual):
            return "offline model is \(actual) bytes but its header declares \(declared) (truncated or extended)"
        case let .nonZeroReserved(offset): return "offline model: reserved bytes at offset \(offset) are not zero"
        case let .unknownSection(tag, entry): return "offline model: unknown section '\(tag)' (table entry \(entry))"
        case let .duplicateSection(s): return "offline model: section \(s) appears twice"
        case let .missingSection(s): return "offline model: section \(s) is missing"
        case let .sectionSizeOverflow(s, offset, length):
            return "offline model: section \(s) offset \(offset) + length \(length) overflows"
        case let .misalignedSection(s, offset):
            return "offline model: section \(s) offset \(offset) is not a multiple of \(OfflineFormat.alignment)"
        case let .sectionOutOfBounds(s, offset, length, fileLength):
            return "offline model: section \(s) [\(offset), +\(length)) lies outside the \(fileLength)-byte file"
        case let .sectionLayoutGap(s, expectedOffset, found):
            return "offline model: section \(s) starts at \(found), expected \(expectedOffset) (sections must be contiguous)"
        case let .nonZeroPadding(offset): return "offline model: padding byte at offset \(offset) is not zero"
        case let .sectionsDoNotCoverFile(end, fileLength):
            return "offline model: sections end at \(end) but the file is \(fileLength) bytes"
        case let .sectionChecksumMismatch(s, stored, computed):
            return "offline model: section \(s) is corrupt: CRC-32 stored \(hex32(stored)), computed \(hex32(computed))"
        case let .truncatedPayload(s, field, offset, needed, remaining):
            return "offline model: section \(s) ends inside \(field) at payload offset \(offset) (needs \(needed) bytes, \(remaining) left)"
        case let .countTooLarge(s, field, count, remaining):
            return "offline model: section \(s) claims \(count) \(field), more than its remaining \(remaining) bytes can hold"
        case let .stringTooLong(s, field, length):
            return "offline model: section \(s) \(field) is \(length) bytes long (maximum \(OfflineFormat.maxStringLength))"
        case let .invalidUTF8(s, field, offset):
            return "offline model: section \(s) \(field) at payload offset \(offset) is not valid UTF-8"
        case let .trailingBytes(s, count): return "offline model: section \(s) has \(count) unread bytes at its end"
        case let .unknownDType(s, field, code): return "offline model: section \(s) \(field) has unknown dtype code \(code)"
        case let .rankTooLarge(s, field, rank):
            return "offline model: section \(s) \(field) has rank \(rank) (maximum \(OfflineFormat.maxRank))"
        case let .negativeDimension(s, field, shape): return "offline model: section \(s) \(field) has a negative dimension in \(shape)"
        case let .elementCountOverflow(s, field, shape): return "offline model: section \(s) \(field) shape \(shape) overflows"
        case let .unknownAttributeType(node, key, tag):
            return "offline model: node \(node) attribute '\(key)' has unknown type tag \(tag)"
        case let .invalidBool(node, key, value):
            return "offline model: node \(node) attribute '\(key)' is a bool stored as \(value) (expected 0 or 1)"
        case let .unsortedKeys(s, field, key):
            return "offline model: section \(s) \(field) key '\(key)' is out of order or repeated"
        case let .unknownOp(name, node, opsVersion):
            return "offline model: node \(node) has unknown op '\(name)' (not in ops version \(opsVersion))"
        case let .valueIdOutOfRange(s, field, id, valueCount):
            return "offline model: section \(s) \(field) refers to value \(id), but there are \(valueCount) values"
        case let .duplicateValueName(name): return "offline model: value name '\(name)' is used twice"
        case let .emptyValueName(id): return "offline model: value \(id) has an empty name"
        case let .valueDefinedTwice(id, name): return "offline model: value \(id) '\(name)' is defined twice"
        case let .undefinedValue(id, name, usedBy):
            return "offline model: \(usedBy) uses value \(id) '\(name)' before it is defined (graph not in topological order?)"
        case let .invalidConstantDType(value, dtype):
            return "offline model: constant '\(value)' has dtype \(dtype); constants are float32, float16, int8 or int16"
        case let .constantValueMismatch(value, reason): return "offline model: constant '\(value)' does not match its value: \(reason)"
        case let .invalidValueDType(value, dtype): return "offline model: value '\(value)' has dtype \(dtype), which the format cannot store"
        case let .invalidSourceChecksum(n): return "offline model: source checksum has \(n) bytes; SHA-256 has 32"
        case let .unknownQuantizationKind(value, kind):
            return "offline model: constant '\(value)' has unknown quantization kind \(kind)"
        case let .invalidQuantization(value, reason): return "offline model: constant '\(value)': \(reason)"
        case let .tensorDataMisaligned(value, offset):
            return "offline model: data of constant '\(value)' at \(offset) is not \(OfflineFormat.alignment)-byte aligned"
        case let .tensorDataOutOfBounds(value, offset, length, payloadLength):
            return "offline model: data of constant '\(value)' [\(offset), +\(length)) lies outside the \(payloadLength)-byte section or overlaps the previous one"
        case let .tensorDataSizeMismatch(value, expected, found):
            return "offline model: constant '\(value)' has \(found) data bytes, its shape and dtype need \(expected)"
        case let .invalidIODataType(name, dtype):
            return "offline model: I/O tensor '\(name)' has dtype \(dtype); expected CNRT_FLOAT32, CNRT_FLOAT16 or CNRT_UINT8"
        case let .unknownDimOrder(name, code): return "offline model: I/O tensor '\(name)' has unknown dim order code \(code)"
        case let .invalidIOShape(name, shape): return "offline model: I/O tensor '\(name)' has shape \(shape); it needs rank 1 or more"
        case let .missingIO(kind): return "offline model has no \(kind)"
        case let .unknownCoreVersion(v): return "offline model: unknown core version '\(v)' (expected MLU220 or MLU270)"
        case let .invalidCoreNumber(n, v, valid):
            return "offline model: core number \(n) is not valid for \(v) (valid: \(valid.map(String.init).joined(separator: ", ")))"
        case let .invalidBatch(b): return "offline model: batch \(b) is not positive"
        case let .invalidInputFormat(f): return "offline model: input format \(f) is not 0...3 (rgba, argb, bgra, abgr) or 255 (none)"
        }
    }
}

private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { byte in
        let s = String(byte, radix: 16)
        return s.count == 1 ? "0" + s : s
    }.joined(separator: " ")
}

private func hex32(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
