import Tensors

/// Encodes and decodes the `TENS` payload: an entry table, then 64-byte aligned data blocks.
///
/// Decoded constants borrow their bytes from the buffer the payload lives in (a file mapping),
/// kept alive by `owner`; nothing is copied.
enum TensorSectionCodec {
    private enum Kind: UInt8 {
        case none = 0, perTensor = 1, perChannel = 2
    }

    /// One table entry as read, before its data block is checked.
    private struct Entry {
        var valueId: Int
        var label: String
        var dtype: DType
        var shape: [Int]
        var quantization: OfflineQuantization?
        var offset: UInt64
        var length: UInt64
    }

    static func encode(_ constants: [OfflineConstant]) -> [UInt8] {
        // Entry table first, with data offsets patched once the table size is known.
        var w = ByteWriter()
        w.u32(UInt32(constants.count))
        var offsetFields = [Int]()
        for c in constants {
            w.u32(UInt32(c.valueId))
            w.u8(DTypeCode.code(for: c.tensor.dtype))
            let kind: Kind = c.quantization == nil ? .none : (c.quantization?.axis == nil ? .perTensor : .perChannel)
            w.u8(kind.rawValue)
            w.u16(0)
            w.shape(c.tensor.shape)
            if let q = c.quantization {
                if let axis = q.axis { w.u8(UInt8(axis)) }
                w.u32(UInt32(q.scales.count))
                for s in q.scales { w.f32(s) }
            }
            offsetFields.append(w.count)
            w.u64(0)
            w.u64(0)
        }
        for (c, field) in zip(constants, offsetFields) {
            w.pad(to: OfflineFormat.alignment)
            let data = c.dataBytes
            w.patchU64(UInt64(w.count), at: field)
            w.patchU64(UInt64(data.count), at: field + 8)
            w.raw(data)
        }
        return w.bytes
    }

    /// - Parameters:
    ///   - payloadFileOffset: where the payload starts in the file, for padding error offsets.
    static func decode(_ r: inout ByteReader, values: [OfflineValue], payloadFileOffset: Int, owner: AnyObject) throws -> [OfflineConstant] {
        // An entry is at least: id (4) + dtype, kind, reserved (4) + rank (1) + offset and length (16).
        let count = try r.count("constants", minimumElementSize: 25)
        var entries = [Entry]()
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let id = Int(try r.u32("constant value id"))
            let label = id < values.count ? values[id].name : "value #\(id)"
            let code = try r.u8("constant '\(label)' dtype")
            guard let dtype = DTypeCode.dtype(for: code) else {
                throw OfflineFormatError.unknownDType(.tensors, field: "constant '\(label)'", code: code)
            }
            guard [.float32, .float16, .int8, .int16].contains(dtype) else {
                throw OfflineFormatError.invalidConstantDType(value: label, dtype: dtype.rawValue)
            }
            let kindCode = try r.u8("constant '\(label)' quantization kind")
            guard let kind = Kind(rawValue: kindCode) else {
                throw OfflineFormatError.unknownQuantizationKind(value: label, kind: kindCode)
            }
            guard try r.u16("constant '\(label)' reserved") == 0 else {
                throw OfflineFormatError.nonZeroReserved(offset: payloadFileOffset + r.offset - 2)
            }
            let shape = try r.shape("constant '\(label)' shape")
            var quantization: OfflineQuantization?
            if kind != .none {
                var axis: Int?
                if kind == .perChannel { axis = Int(try r.u8("constant '\(label)' channel axis")) }
                let n = try r.count("constant '\(label)' scales", minimumElementSize: 4)
                var scales = [Float]()
                scales.reserveCapacity(n)
                for _ in 0..<n { scales.append(try r.f32("constant '\(label)' scale")) }
                quantization = OfflineQuantization(scales: scales, axis: axis)
            }
            let offset = try r.u64("constant '\(label)' data offset")
            let length = try r.u64("constant '\(label)' data length")
            entries.append(Entry(valueId: id, label: label, dtype: dtype, shape: shape,
                                 quantization: quantization, offset: offset, length: length))
        }
        let tableEnd = r.offset
        var previousEnd = tableEnd
        let payload = r.bytes
        var constants = [OfflineConstant]()
        constants.reserveCapacity(entries.count)
        for entry in entries {
            let label = entry.label
            let offset = entry.offset, length = entry.length
            guard offset % UInt64(OfflineFormat.alignment) == 0 else {
                throw OfflineFormatError.tensorDataMisaligned(value: label, offset: offset)
            }
            let (end, overflow) = offset.addingReportingOverflow(length)
            guard !overflow, offset >= UInt64(previousEnd), end <= UInt64(payload.count) else {
                throw OfflineFormatError.tensorDataOutOfBounds(value: label, offset: offset, length: length, payloadLength: payload.count)
            }
            let start = Int(offset)
            for p in previousEnd..<start where payload[p] != 0 {
                throw OfflineFormatError.nonZeroPadding(offset: payloadFileOffset + p)
            }
            let shape = entry.shape
            let dtype = entry.dtype
            // `ByteReader.shape` bounds the element count by Int64.max / 8, so this cannot overflow.
            let expected = shape.reduce(1, *) * dtype.itemSize
            guard UInt64(expected) == length else {
                throw OfflineFormatError.tensorDataSizeMismatch(value: label, expected: expected, found: length)
            }
            let storage: Storage
            if let base = payload.baseAddress {
                storage = Storage(borrowing: UnsafeMutableRawPointer(mutating: base + start), byteCount: expected, owner: owner)
            } else {
                storage = Storage(byteCount: 0)
            }
            let tensor = Tensor(storage: storage, shape: shape, strides: Tensor.contiguousStrides(for: shape), dtype: dtype)
            constants.append(OfflineConstant(valueId: entry.valueId, tensor: tensor, quantization: entry.quantization))
            previousEnd = Int(end)
        }
        if previousEnd < payload.count {
            throw OfflineFormatError.trailingBytes(.tensors, count: payload.count - previousEnd)
        }
        return constants
    }
}
