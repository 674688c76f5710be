/// Encodes and decodes the `PROV` payload: checksum, tool version, time, settings.
enum ProvenanceSectionCodec {
    static func encode(_ p: OfflineProvenance) -> [UInt8] {
        var w = ByteWriter()
        w.raw(p.sourceSHA256)
        w.string(p.toolVersion)
        w.i64(p.creationTime)
        w.u32(UInt32(p.quantizationSettings.count))
        for key in p.quantizationSettings.keys.sorted() {
            w.string(key)
            w.string(p.quantizationSettings[key] ?? "")
        }
        return w.bytes
    }

    static func decode(_ r: inout ByteReader) throws -> OfflineProvenance {
        var sha = [UInt8]()
        for _ in 0..<32 { sha.append(try r.u8("source SHA-256")) }
        let tool = try r.string("tool version")
        let time = try r.i64("creation time")
        // A setting is at least two string lengths.
        let n = try r.count("quantization settings", minimumElementSize: 8)
        var settings = [String: String]()
        var previous: String?
        for _ in 0..<n {
            let key = try r.string("setting key")
            if let p = previous, !(p < key) {
                throw OfflineFormatError.unsortedKeys(.provenance, field: "quantization settings", key: key)
            }
            previous = key
            settings[key] = try r.string("setting '\(key)'")
        }
        return OfflineProvenance(sourceSHA256: sha, toolVersion: tool, creationTime: time, quantizationSettings: settings)
    }
}
