/// Encodes and decodes the `TRGT` payload: core version, core number, batch, input format.
enum TargetSectionCodec {
    static let noInputFormat: UInt8 = 255

    static func encode(_ t: OfflineTarget) -> [UInt8] {
        var w = ByteWriter()
        w.string(t.coreVersion.rawValue)
        w.u32(UInt32(t.coreNumber))
        w.u32(UInt32(t.batch))
        w.u8(t.inputFormat.map { UInt8($0) } ?? noInputFormat)
        return w.bytes
    }

    static func decode(_ r: inout ByteReader) throws -> OfflineTarget {
        let name = try r.string("core version")
        guard let version = CoreVersion(rawValue: name) else { throw OfflineFormatError.unknownCoreVersion(name) }
        let coreNumber = Int(try r.u32("core number"))
        let batch = Int(try r.u32("batch"))
        let format = try r.u8("input format")
        return OfflineTarget(coreVersion: version, coreNumber: coreNumber, batch: batch,
                             inputFormat: format == noInputFormat ? nil : Int(format))
    }
}
