import Tensors

/// Storages borrowed from (or, when misaligned or big-endian, copied out of) the mapped file.
enum StorageSlicer {
    static func storage(file: MappedFile, offset: Int, byteCount: Int, itemSize: Int, swapUnit: Int?) -> Storage {
        let p = file.base + offset
        if swapUnit == nil, Int(bitPattern: p) % max(itemSize, 1) == 0 {
            return Storage(borrowing: p, byteCount: byteCount, owner: file)
        }
        let s = HeapBuffer(byteCount: byteCount).storage(byteCount: byteCount)
        file.copy(into: s.bytes, offset: offset, count: byteCount)
        if let unit = swapUnit, unit > 1 {
            let q = s.bytes.assumingMemoryBound(to: UInt8.self)
            var i = 0
            while i + unit <= byteCount {
                var a = i, z = i + unit - 1
                while a < z { let t = q[a]; q[a] = q[z]; q[z] = t; a += 1; z -= 1 }
                i += unit
            }
        }
        return s
    }

    /// The byte-swap unit of an element type (complex numbers swap each half).
    static func swapUnit(_ e: ElementType) -> Int {
        switch e {
        case .opaque(let name, let size) where name.hasPrefix("complex"): return size / 2
        default: return e.itemSize
        }
    }
}

final class ZipStorages: StorageProvider {
    let file: MappedFile
    let directory: ZipDirectory
    let prefix: String
    let bigEndian: Bool
    private var cache: [String: Storage] = [:]

    init(file: MappedFile, directory: ZipDirectory, prefix: String, bigEndian: Bool) {
        self.file = file
        self.directory = directory
        self.prefix = prefix
        self.bigEndian = bigEndian
    }

    func storage(for spec: StorageSpec) throws -> Storage {
        if let s = cache[spec.key] { return s }
        let name = prefix + "data/" + spec.key
        guard let entry = directory[name] else { throw CheckpointError.malformed(file: "", detail: "storage record \(name) is missing") }
        let (expected, overflow) = spec.numel.multipliedReportingOverflow(by: spec.element.itemSize)
        guard !overflow, entry.size == expected else {
            throw CheckpointError.malformed(file: "", detail: "record \(name) holds \(entry.size) bytes, but its storage needs \(spec.numel) x \(spec.element.itemSize) bytes")
        }
        _ = try CheckpointReader.payload(file, entry)
        let s = StorageSlicer.storage(file: file, offset: entry.dataOffset, byteCount: expected, itemSize: spec.element.itemSize,
                                      swapUnit: bigEndian ? StorageSlicer.swapUnit(spec.element) : nil)
        cache[spec.key] = s
        return s
    }
}

final class LegacyStorages: StorageProvider {
    let file: MappedFile
    let blobs: [String: Int]
    private var cache: [String: Storage] = [:]

    init(file: MappedFile, blobs: [String: Int]) {
        self.file = file
        self.blobs = blobs
    }

    func storage(for spec: StorageSpec) throws -> Storage {
        if let s = cache[spec.key] { return s }
        guard let offset = blobs[spec.key] else {
            throw CheckpointError.malformed(file: "", detail: "storage '\(spec.key)' is not in the storage key list")
        }
        let s = StorageSlicer.storage(file: file, offset: offset, byteCount: spec.numel * spec.element.itemSize,
                                      itemSize: spec.element.itemSize, swapUnit: nil)
        cache[spec.key] = s
        return s
    }
}
