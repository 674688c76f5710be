import Foundation

/// Writes a value tree as a zip or legacy `.pt` file (reference §1 and §2), atomically.
enum CheckpointWriter {
    static func write(_ value: PickleValue, to url: URL, format: CheckpointFormat) throws {
        var pickler = try withLargeStack { () throws -> PickleWriter in
            var p = PickleWriter(legacy: format == .legacy)
            try p.value(value)
            return p
        }
        let pickle = pickler.finish()
        let output = try AtomicFileOutput(target: url)
        switch format {
        case .zip: try writeZip(pickle: pickle, storages: pickler.storages, archive: archiveName(for: url), to: output)
        case .legacy: try writeLegacy(pickle: pickle, storages: pickler.storages, to: output)
        }
        try output.commit()
    }

    /// torch's record prefix: the file name without directory and last extension; `archive` otherwise.
    static func archiveName(for url: URL) -> String {
        let base = url.deletingPathExtension().lastPathComponent
        guard !base.isEmpty, base.unicodeScalars.allSatisfy({ $0.isASCII && $0 != "/" }) else { return "archive" }
        return base
    }

    static func writeZip(pickle: [UInt8], storages: [WrittenStorage], archive: String, to output: AtomicFileOutput) throws {
        var zip = ZipWriter(output: output)
        try zip.add(name: "\(archive)/data.pkl", bytes: pickle)
        try zip.add(name: "\(archive)/.format_version", bytes: Array("1".utf8))
        try zip.add(name: "\(archive)/.storage_alignment", bytes: Array("64".utf8))
        try zip.add(name: "\(archive)/byteorder", bytes: Array("little".utf8))
        for s in storages {
            try zip.add(name: "\(archive)/data/\(s.key)", payload: UnsafeRawBufferPointer(start: s.storage.bytes, count: s.byteCount))
        }
        try zip.add(name: "\(archive)/version", bytes: Array("3\n".utf8))
        try zip.finish()
    }

    /// Pickles #0–#2 exactly as CPython 3 writes them with protocol 2 (reference §1.1).
    static let legacyPreamble: [UInt8] = {
        var b: [UInt8] = [0x80, 0x02, 0x8A, 0x0A] + CheckpointReader.legacyMagic + [0x2E]
        b += [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]
        func s(_ text: String) -> [UInt8] {
            let u = Array(text.utf8)
            return [0x58, UInt8(u.count), 0, 0, 0] + u
        }
        b += [0x80, 0x02, 0x7D, 0x71, 0x00, 0x28] + s("protocol_version") + [0x71, 0x01, 0x4D, 0xE9, 0x03]
        b += s("little_endian") + [0x71, 0x02, 0x88] + s("type_sizes") + [0x71, 0x03, 0x7D, 0x71, 0x04, 0x28]
        b += s("short") + [0x71, 0x05, 0x4B, 0x02] + s("int") + [0x71, 0x06, 0x4B, 0x04]
        b += s("long") + [0x71, 0x07, 0x4B, 0x04] + [0x75, 0x75, 0x2E]
        return b
    }()

    static func writeLegacy(pickle: [UInt8], storages: [WrittenStorage], to output: AtomicFileOutput) throws {
        try output.write(legacyPreamble)
        try output.write(pickle)
        var keys = PickleWriter(legacy: true)
        try keys.value(.list(storages.map { .string($0.key) }))
        try output.write(keys.finish())
        for s in storages {
            var count = Int64(s.numel).littleEndian
            try withUnsafeBytes(of: &count) { try output.write($0) }
            try output.write(UnsafeRawBufferPointer(start: s.storage.bytes, count: s.byteCount))
        }
    }
}
