import Foundation

/// Reads `.cambricon` files (docs/offline-format.md), checking every structural claim before
/// trusting it.
///
/// Constant tensors of the result borrow their bytes from the file mapping (or the private copy
/// of in-memory input); the mapping lives as long as any of them.
public enum OfflineModelReader {
    /// Maps the file at `path` and decodes it.
    /// - Throws: `OfflineFormatError`, one named case per check.
    public static func read(contentsOf path: String, opSet: OfflineOpSet = .current) throws -> OfflineModel {
        let file = try MappedFile(path: path)
        return try decode(file.buffer, owner: file, opSet: opSet)
    }

    /// Decodes a model from bytes in memory (copied once into an aligned buffer).
    public static func read(bytes: [UInt8], opSet: OfflineOpSet = .current) throws -> OfflineModel {
        let copy = bytes.withUnsafeBytes { AlignedBytes($0) }
        return try decode(copy.buffer, owner: copy, opSet: opSet)
    }

    /// Decodes a model from `Data` (copied once into an aligned buffer).
    public static func read(data: Data, opSet: OfflineOpSet = .current) throws -> OfflineModel {
        let copy = data.withUnsafeBytes { AlignedBytes($0) }
        return try decode(copy.buffer, owner: copy, opSet: opSet)
    }

    static func decode(_ file: UnsafeRawBufferPointer, owner: AnyObject, opSet: OfflineOpSet) throws -> OfflineModel {
        let sections = try OfflineContainer.sections(of: file, opSet: opSet)
        func reader(_ s: OfflineSection) throws -> ByteReader {
            guard let range = sections[s] else { throw OfflineFormatError.missingSection(s) }
            return ByteReader(section: s, bytes: UnsafeRawBufferPointer(rebasing: file[range]))
        }
        var r = try reader(.graph)
        let graph = try GraphSectionCodec.decode(&r)
        try r.expectEnd()
        r = try reader(.tensors)
        let constants = try TensorSectionCodec.decode(&r, values: graph.values,
                                                      payloadFileOffset: sections[.tensors]?.lowerBound ?? 0, owner: owner)
        r = try reader(.io)
        let io = try IOSectionCodec.decode(&r)
        try r.expectEnd()
        r = try reader(.target)
        let target = try TargetSectionCodec.decode(&r)
        try r.expectEnd()
        r = try reader(.provenance)
        let provenance = try ProvenanceSectionCodec.decode(&r)
        try r.expectEnd()
        let model = OfflineModel(graph: graph, constants: constants, inputs: io.inputs, outputs: io.outputs,
                                 target: target, provenance: provenance)
        try model.validate(opSet: opSet)
        return model
    }
}
