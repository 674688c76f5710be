import Foundation

/// Decoding of pickle argument encodings (two's complement integers, protocol-0 text forms).
extension PickleMachine {
    // MARK: static decoding helpers

    /// Python's `decode_long`: little-endian two's complement; `.int` when it fits 64 bits.
    static func integer(fromLittleEndian bytes: [UInt8]) -> PickleValue {
        if bytes.isEmpty { return .int(0) }
        if bytes.count <= 8 {
            var v: UInt64 = 0
            for b in bytes.reversed() { v = (v << 8) | UInt64(b) }
            let bits = bytes.count * 8
            if bits < 64, bytes.last.map({ $0 & 0x80 != 0 }) == true { v |= ~UInt64(0) << UInt64(bits) }
            return .int(Int(Int64(bitPattern: v)))
        }
        // Drop redundant sign-extension bytes; keep it big only when it really is.
        var trimmed = bytes
        while trimmed.count > 8 {
            let last = trimmed[trimmed.count - 1], prev = trimmed[trimmed.count - 2]
            if (last == 0 && prev & 0x80 == 0) || (last == 0xFF && prev & 0x80 != 0) { trimmed.removeLast() } else { break }
        }
        if trimmed.count <= 8 { return integer(fromLittleEndian: trimmed) }
        return .bigInt(trimmed)
    }

    /// A protocol-0 `STRING` argument: a Python repr in single or double quotes.
    static func unquote(_ text: String) throws -> String {
        var s = Substring(text)
        guard s.count >= 2, let q = s.first, (q == "'" || q == "\""), s.last == q else {
            throw CheckpointError.invalidPickle(file: "", detail: "STRING argument is not quoted", offset: 0)
        }
        s = s.dropFirst().dropLast()
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\" else { out.append(c); continue }
            guard let e = it.next() else { break }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "x":
                let h = String([it.next(), it.next()].compactMap { $0 })
                if let v = UInt8(h, radix: 16) { out.unicodeScalars.append(Unicode.Scalar(v)) }
            default: out.append(e)
            }
        }
        return out
    }

    /// A protocol-0 `UNICODE` argument (`raw-unicode-escape`: `\uXXXX` escapes).
    static func rawUnicodeEscape(_ text: String) -> String {
        var out = ""
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\", i + 5 < scalars.count + 0, scalars[i + 1] == "u",
               let v = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)..<min(i + 6, scalars.count)])), radix: 16),
               let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                i += 6
            } else {
                out.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        return out
    }
}

extension String {
    /// Decodes UTF-8, or `nil` when the bytes are not valid UTF-8.
    init?(validatingUTF8Bytes raw: UnsafeRawBufferPointer) {
        var it = raw.makeIterator()
        var out = String.UnicodeScalarView()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(out)
    }
}
