import Foundation
import Tensors

/// The two container formats `torch.save` writes.
public enum CheckpointFormat: String, Sendable {
    /// The zip archive every PyTorch since 1.6 writes by default.
    case zip
    /// Five pickles and raw storages: the only format PyTorch ≤ 1.5 (Cambricon's 1.3) reads.
    case legacy
}

/// A loaded checkpoint with what `mlus inspect` reports about its container.
public struct LoadedCheckpoint {
    public var value: PickleValue
    public var format: CheckpointFormat
    /// The protocol of the main pickle (2 for everything `torch.save` writes by default).
    public var pickleProtocol: Int
}

/// Reads `.pt`/`.pth` bytes of either format.
enum CheckpointReader {
    static let legacyMagic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]

    static func read(_ file: MappedFile, options: PickleReadOptions) throws -> LoadedCheckpoint {
        defer { file.closeDescriptor() }
        do {
            let b = file.buffer
            if b.count >= 4, b[0] == 0x50, b[1] == 0x4B, b[2] == 0x03, b[3] == 0x04 {
                return try readZip(file, options: options)
            }
            if b.count > 262, b[257] == 0x75, b[258] == 0x73, b[259] == 0x74, b[260] == 0x61, b[261] == 0x72 {
                throw CheckpointError.unsupportedFeature(file: "", feature: "the pre-0.4 tar checkpoint format")
            }
            return try readLegacy(file, options: options)
        } catch let e as CheckpointError {
            throw e.naming(file.name)
        }
    }

    // MARK: zip

    static func readZip(_ file: MappedFile, options: PickleReadOptions) throws -> LoadedCheckpoint {
        let dir = try ZipDirectory(file.buffer)
        guard let first = dir.entries.first else { throw CheckpointError.malformed(file: "", detail: "empty zip archive") }
        guard let slash = first.name.firstIndex(of: "/") else {
            throw CheckpointError.malformed(file: "", detail: "file in archive is not in a subdirectory: \(first.name)")
        }
        let prefix = String(first.name[..<slash]) + "/"
        if dir[prefix + "constants.pkl"] != nil {
            throw CheckpointError.unsupportedFeature(file: "", feature: "TorchScript archives (constants.pkl); save a state_dict instead")
        }
        guard let pkl = dir[prefix + "data.pkl"] else { throw CheckpointError.malformed(file: "", detail: "archive has no \(prefix)data.pkl") }
        guard let versionEntry = dir[prefix + "version"] ?? dir[prefix + ".data/version"] else {
            throw CheckpointError.malformed(file: "", detail: "archive has no \(prefix)version record")
        }
        let versionText = String(decoding: try payload(file, versionEntry), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let version = Int(versionText), (1...10).contains(version) else {
            throw CheckpointError.malformed(file: "", detail: "archive version '\(versionText)' is outside 1...10")
        }
        var bigEndian = false
        if let bo = dir[prefix + "byteorder"] {
            let text = String(decoding: try payload(file, bo), as: UTF8.self)
            guard text == "little" || text == "big" else { throw CheckpointError.malformed(file: "", detail: "byteorder record says '\(text)'") }
            bigEndian = text == "big"
        }
        let machine = PickleMachine(bytes: try payload(file, pkl), origin: pkl.dataOffset, options: options)
        let root = try machine.run()
        let provider = ZipStorages(file: file, directory: dir, prefix: prefix, bigEndian: bigEndian)
        let value = try withExtendedLifetime(machine) {
            try withLargeStack { try ValueConverter(storages: provider, maxDepth: options.maxDepth, maxExpandedValues: options.maxExpandedValues).convert(root) }
        }
        return LoadedCheckpoint(value: value, format: .zip, pickleProtocol: machine.protocolVersion)
    }

    static func payload(_ file: MappedFile, _ entry: ZipDirectory.Entry) throws -> UnsafeRawBufferPointer {
        guard entry.method == 0 else {
            throw CheckpointError.unsupportedFeature(file: "", feature: "compressed zip record '\(entry.name)' (method \(entry.method)); torch writes stored records")
        }
        guard entry.size == entry.compressedSize, entry.size <= file.count - entry.dataOffset else {
            throw CheckpointError.malformed(file: "", detail: "record '\(entry.name)' claims \(entry.size) bytes (\(entry.compressedSize) stored) at \(entry.dataOffset), beyond the \(file.count)-byte file")
        }
        return UnsafeRawBufferPointer(rebasing: file.buffer[entry.dataOffset..<(entry.dataOffset + entry.size)])
    }

    // MARK: legacy

    static func readLegacy(_ file: MappedFile, options: PickleReadOptions) throws -> LoadedCheckpoint {
        let b = file.buffer
        var position = 0
        func next() throws -> (PickleMachine, VMValue) {
            let m = PickleMachine(bytes: UnsafeRawBufferPointer(rebasing: b[position...]), origin: position, options: options)
            let v = try m.run()
            position += m.consumed
            return (m, v)
        }
        let (_, magic) = try next()
        guard case .scalar(.bigInt(let bytes)) = magic, bytes == legacyMagic else {
            throw CheckpointError.malformed(file: "", detail: "not a PyTorch checkpoint: invalid magic number (neither zip nor legacy)")
        }
        let (_, protocolValue) = try next()
        guard case .scalar(.int(1001)) = protocolValue else {
            throw CheckpointError.malformed(file: "", detail: "invalid legacy protocol version \(protocolValue.typeName) (expected 1001)")
        }
        _ = try next()  // sys_info: read and discarded, as every torch loader does
        let (machine, root) = try next()
        let keysAt = position
        let (keysMachine, keyList) = try next()
        defer { withExtendedLifetime(keysMachine) {} }
        guard case .node(let keysNode) = keyList, case .list = keysNode.kind else {
            throw CheckpointError.malformed(file: "", detail: "storage key list at byte \(keysAt) is a \(keyList.typeName), not a list")
        }
        var blobs: [String: Int] = [:]
        for k in keysNode.items {
            guard case .scalar(.string(let key)) = k else { throw CheckpointError.malformed(file: "", detail: "storage key list holds a \(k.typeName)") }
            guard let spec = machine.storageSpecs[key] else {
                throw CheckpointError.malformed(file: "", detail: "storage key '\(key)' in the key list was never referenced by the pickle")
            }
            guard b.count - position >= 8 else {
                throw CheckpointError.truncated(file: "", detail: "storage '\(key)' element count missing", offset: position)
            }
            var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[position..<(position + 8)]), origin: position)
            let count = Int64(bitPattern: try r.u64("count"))
            let item = spec.element.itemSize
            let (bytes, overflow) = Int(count).multipliedReportingOverflow(by: item)
            guard count >= 0, !overflow, count == spec.numel else {
                throw CheckpointError.malformed(file: "", detail: "storage '\(key)' has wrong size: file says \(count) elements, pickle says \(spec.numel)")
            }
            guard bytes <= b.count - position - 8 else {
                throw CheckpointError.truncated(file: "", detail: "storage '\(key)' claims \(bytes) bytes, \(b.count - position - 8) remain", offset: position)
            }
            blobs[key] = position + 8
            position += 8 + bytes
        }
        let provider = LegacyStorages(file: file, blobs: blobs)
        let value = try withExtendedLifetime(machine) {
            try withLargeStack { try ValueConverter(storages: provider, maxDepth: options.maxDepth, maxExpandedValues: options.maxExpandedValues).convert(root) }
        }
        return LoadedCheckpoint(value: value, format: .legacy, pickleProtocol: machine.protocolVersion)
    }
}
