/// Turns an `OfflineModel` into the bytes of a `.cambricon` file (docs/offline-format.md).
///
/// Deterministic: the same model always gives the same bytes (sorted keys, fixed section order,
/// zero padding, no clock read).
public enum OfflineModelWriter {
    /// The complete file contents.
    /// - Throws: `OfflineFormatError` when the model fails `validate(opSet:)`.
    public static func encode(_ model: OfflineModel, opSet: OfflineOpSet = .current) throws -> [UInt8] {
        try model.validate(opSet: opSet)
        let payloads: [(OfflineSection, [UInt8])] = [
            (.graph, GraphSectionCodec.encode(model.graph)),
            (.tensors, TensorSectionCodec.encode(model.constants)),
            (.io, IOSectionCodec.encode(inputs: model.inputs, outputs: model.outputs)),
            (.target, TargetSectionCodec.encode(model.target)),
            (.provenance, ProvenanceSectionCodec.encode(model.provenance)),
        ]
        let headerLength = OfflineFormat.headerLength(sectionCount: payloads.count)
        var offsets = [Int]()
        var position = headerLength
        for (_, payload) in payloads {
            offsets.append(position)
            position = OfflineFormat.align(position + payload.count, to: OfflineFormat.alignment)
        }
        let fileLength = position

        var w = ByteWriter()
        w.raw(OfflineFormat.magic)
        w.u16(OfflineFormat.containerVersion)
        w.u16(opSet.version)
        w.u16(OfflineFormat.quantizationVersion)
        w.u16(UInt16(payloads.count))
        w.u32(UInt32(headerLength))
        w.u32(0)  // header CRC, patched below
        w.u64(UInt64(fileLength))
        w.pad(to: OfflineFormat.fixedHeaderLength)
        for ((section, payload), offset) in zip(payloads, offsets) {
            w.raw(section.tag)
            w.u32(0)
            w.u64(UInt64(offset))
            w.u64(UInt64(payload.count))
            w.u32(CRC32.checksum(payload))
            w.u32(0)
        }
        w.pad(to: OfflineFormat.alignment)
        w.patchU32(CRC32.checksum(w.bytes), at: OfflineFormat.HeaderField.headerCRC)
        for (_, payload) in payloads {
            w.raw(payload)
            w.pad(to: OfflineFormat.alignment)
        }
        return w.bytes
    }

    /// Writes `model` to `path` atomically (temporary file, fsync, rename).
    /// - Throws: `OfflineFormatError` for an invalid model, `FileWriteError` when the write fails.
    public static func write(_ model: OfflineModel, to path: String, opSet: OfflineOpSet = .current) throws {
        try AtomicFile.write(try encode(model, opSet: opSet), to: path)
    }
}
