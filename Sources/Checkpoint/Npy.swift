import Foundation
import Tensors

/// Loads a NumPy `.npy` file (format 1.0, 2.0 or 3.0; little or big endian; C or Fortran order).
///
/// Little-endian data is memory-mapped, not copied; a Fortran-order array becomes a tensor with
/// column-major strides. Throws `CheckpointError.malformed` naming the file for a bad header.
public func loadNpy(contentsOf url: URL) throws -> Tensor {
    let file = try MappedFile(url: url)
    defer { file.closeDescriptor() }
    do {
        return try NpyFormat.read(file)
    } catch let e as CheckpointError {
        throw e.naming(url.path)
    }
}

/// Writes `t` as a NumPy `.npy` file (format 1.0, C order, little endian), atomically.
/// bfloat16 has no NumPy dtype and is refused.
public func saveNpy(_ t: Tensor, to url: URL) throws {
    do {
        try NpyFormat.write(t, to: url)
    } catch let e as CheckpointError {
        throw e.naming(url.path)
    }
}

enum NpyFormat {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    static func dtype(fromDescr descr: String) throws -> (DType, bigEndian: Bool) {
        guard descr.count >= 2, let order = descr.first else { throw CheckpointError.malformed(file: "", detail: ".npy dtype '\(descr)' is not understood") }
        let code = String(descr.dropFirst())
        let big = order == ">"
        guard "<>|=".contains(order) else { throw CheckpointError.malformed(file: "", detail: ".npy dtype '\(descr)' has no byte order") }
        switch code {
        case "f4": return (.float32, big)
        case "f8": return (.float64, big)
        case "f2": return (.float16, big)
        case "i8": return (.int64, big)
        case "i4": return (.int32, big)
        case "i2": return (.int16, big)
        case "i1": return (.int8, false)
        case "u1": return (.uint8, false)
        case "b1": return (.bool, false)
        default: throw CheckpointError.unsupportedFeature(file: "", feature: ".npy dtype '\(descr)'")
        }
    }

    static func descr(for dtype: DType) throws -> String {
        switch dtype {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .float16: return "<f2"
        case .int64: return "<i8"
        case .int32: return "<i4"
        case .int16: return "<i2"
        case .int8: return "|i1"
        case .uint8: return "|u1"
        case .bool: return "|b1"
        case .bfloat16: throw CheckpointError.cannotWrite(file: "", detail: "NumPy has no bfloat16 dtype; convert the tensor to float32 first")
        }
    }

    static func read(_ file: MappedFile) throws -> Tensor {
        let b = file.buffer
        guard b.count >= 10, Array(b[0..<6]) == magic else { throw CheckpointError.malformed(file: "", detail: "not a .npy file (bad magic)") }
        let major = b[6]
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: b[8...]), origin: 8)
        let headerLength: Int
        switch major {
        case 1: headerLength = try r.u16("header length")
        case 2, 3: headerLength = try r.u32("header length")
        default: throw CheckpointError.unsupportedFeature(file: "", feature: ".npy format version \(major).\(b[7])")
        }
        let headerBytes = try r.take(headerLength, ".npy header")
        let header = major == 3 ? String(decoding: headerBytes, as: UTF8.self) : String(headerBytes.map { Character(Unicode.Scalar($0)) })
        guard let descr = field(header, "descr").flatMap(quoted) else { throw CheckpointError.malformed(file: "", detail: ".npy header has no 'descr': \(header)") }
        guard let fortranText = field(header, "fortran_order") else { throw CheckpointError.malformed(file: "", detail: ".npy header has no 'fortran_order'") }
        guard let shapeText = field(header, "shape") else { throw CheckpointError.malformed(file: "", detail: ".npy header has no 'shape'") }
        let fortran = fortranText.hasPrefix("True")
        let shape = try parseShape(shapeText)
        let (dtype, bigEndian) = try dtype(fromDescr: descr)
        // The tensors' own check: the element count, and the product of the non-zero dimensions (an empty
        // array's strides), must fit in Int.
        guard let count = try? Tensor.checkShape(shape, op: ".npy") else {
            throw CheckpointError.malformed(file: "", detail: ".npy shape \(shape) overflows")
        }
        let (byteCount, o) = count.multipliedReportingOverflow(by: dtype.itemSize)
        let dataOffset = r.fileOffset
        guard !o, byteCount <= b.count - dataOffset else {
            throw CheckpointError.truncated(file: "", detail: ".npy shape \(shape) needs \(byteCount) data bytes, \(b.count - dataOffset) remain", offset: dataOffset)
        }
        let storage = StorageSlicer.storage(file: file, offset: dataOffset, byteCount: byteCount, itemSize: dtype.itemSize,
                                            swapUnit: bigEndian ? dtype.itemSize : nil)
        let strides = fortran ? fortranStrides(shape) : Tensor.contiguousStrides(for: shape)
        return Tensor(storage: storage, shape: shape, strides: strides, dtype: dtype)
    }

    static func fortranStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in 0..<shape.count {
            strides[axis] = step
            step *= max(shape[axis], 1)
        }
        return strides
    }

    /// The text after `'key':` up to the next top-level comma or closing brace.
    static func field(_ header: String, _ key: String) -> String? {
        guard let r = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\"") else { return nil }
        var rest = header[r.upperBound...].drop(while: { $0 == " " })
        guard rest.first == ":" else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " })
        var depth = 0
        var out = ""
        for c in rest {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if depth == 0 && (c == "," || c == "}") { break }
            out.append(c)
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    static func quoted(_ s: String) -> String? {
        guard s.count >= 2, let q = s.first, q == "'" || q == "\"", s.last == q else { return nil }
        return String(s.dropFirst().dropLast())
    }

    static func parseShape(_ text: String) throws -> [Int] {
        guard text.hasPrefix("("), text.hasSuffix(")") else { throw CheckpointError.malformed(file: "", detail: ".npy shape '\(text)' is not a tuple") }
        let inner = text.dropFirst().dropLast()
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "L", with: "")
            if t.isEmpty { continue }
            guard let n = Int(t), n >= 0 else { throw CheckpointError.malformed(file: "", detail: ".npy shape '\(text)' holds '\(t)'") }
            shape.append(n)
        }
        return shape
    }

    static func write(_ t: Tensor, to url: URL) throws {
        let descr = try descr(for: t.dtype)
        let shapeText: String
        switch t.shape.count {
        case 0: shapeText = "()"
        case 1: shapeText = "(\(t.shape[0]),)"
        default: shapeText = "(" + t.shape.map(String.init).joined(separator: ", ") + ")"
        }
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }"
        var major: UInt8 = 1
        var prefix = 10
        if header.utf8.count + 1 + 10 > 65535 { major = 2; prefix = 12 }
        let pad = (64 - (prefix + header.utf8.count + 1) % 64) % 64
        header += String(repeating: " ", count: pad) + "\n"
        let n = header.utf8.count
        var bytes = magic + [major, 0]
        if major == 1 { bytes += [UInt8(n & 0xFF), UInt8(n >> 8)] } else { bytes += (0..<4).map { UInt8((n >> (8 * $0)) & 0xFF) } }
        bytes += Array(header.utf8)
        let output = try AtomicFileOutput(target: url)
        try output.write(bytes)
        let c = t.contiguous()
        try output.write(UnsafeRawBufferPointer(start: c.baseAddress, count: c.count * c.dtype.itemSize))
        try output.commit()
    }
}
