/// Encodes and decodes the `IODS` payload: input descriptors, then output descriptors.
enum IOSectionCodec {
    static func encode(inputs: [OfflineIODescriptor], outputs: [OfflineIODescriptor]) -> [UInt8] {
        var w = ByteWriter()
        for list in [inputs, outputs] {
            w.u32(UInt32(list.count))
            for d in list {
                w.string(d.name)
                w.u32(UInt32(d.valueId))
                w.u8(DTypeCode.code(for: d.dataType))
                w.u8(DTypeCode.code(for: d.dimOrder))
                w.shape(d.shape)
            }
        }
        return w.bytes
    }

    static func decode(_ r: inout ByteReader) throws -> (inputs: [OfflineIODescriptor], outputs: [OfflineIODescriptor]) {
        let inputs = try decodeList(&r, "inputs")
        let outputs = try decodeList(&r, "outputs")
        return (inputs, outputs)
    }

    private static func decodeList(_ r: inout ByteReader, _ field: String) throws -> [OfflineIODescriptor] {
        // A descriptor is at least: name length (4) + value id (4) + dtype, order (2) + rank (1).
        let n = try r.count(field, minimumElementSize: 11)
        var list = [OfflineIODescriptor]()
        list.reserveCapacity(n)
        for index in 0..<n {
            let name = try r.string("\(field) #\(index) name")
            let label = name.isEmpty ? "\(field) #\(index)" : name
            let id = Int(try r.u32("\(label) value id"))
            let typeCode = try r.u8("\(label) dtype")
            guard let type = DTypeCode.cnrtDataType(for: typeCode) else {
                let dtypeName = DTypeCode.dtype(for: typeCode)?.rawValue ?? "code \(typeCode)"
                throw OfflineFormatError.invalidIODataType(name: label, dtype: dtypeName)
            }
            let orderCode = try r.u8("\(label) dim order")
            guard let order = DTypeCode.dimOrder(for: orderCode) else {
                throw OfflineFormatError.unknownDimOrder(name: label, code: orderCode)
            }
            let shape = try r.shape("\(label) shape")
            list.append(OfflineIODescriptor(name: name, valueId: id, dataType: type, dimOrder: order, shape: shape))
        }
        return list
    }
}
