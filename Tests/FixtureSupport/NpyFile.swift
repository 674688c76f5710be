import Foundation
import Tensors

/// A minimal `.npy` (format 1.0/2.0) reader for test fixtures: little-endian, C order, the dtypes the
/// fixtures use. The project's real reader lives in the Checkpoint module; tests do not depend on it, so
/// that the fixtures PyTorch/NumPy wrote are read by independent code (shared by the test targets).
public enum NpyFile {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    public static func read(_ url: URL) throws -> Tensor {
        let data = try Data(contentsOf: url)
        guard data.count >= 10, data.prefix(6) == Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]) else {
            throw Failure(description: "\(url.lastPathComponent): not an .npy file")
        }
        let major = data[6]
        let headerLength: Int
        let headerStart: Int
        if major == 1 {
            headerLength = Int(data[8]) | Int(data[9]) << 8
            headerStart = 10
        } else {
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        }
        guard let header = String(data: data[headerStart..<(headerStart + headerLength)], encoding: .ascii) else {
            throw Failure(description: "\(url.lastPathComponent): unreadable header")
        }
        guard let descr = field(header, "descr"), let shapeText = field(header, "shape") else {
            throw Failure(description: "\(url.lastPathComponent): header lacks descr/shape: \(header)")
        }
        guard header.contains("'fortran_order': False") else { throw Failure(description: "Fortran order unsupported") }
        let dims = shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "()"))
            .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let dtype: DType
        switch descr.trimmingCharacters(in: CharacterSet(charactersIn: "'")) {
        case "<f4": dtype = .float32
        case "<f8": dtype = .float64
        case "<f2": dtype = .float16
        case "<i8": dtype = .int64
        case "<i4": dtype = .int32
        case "<i2": dtype = .int16
        case "|i1": dtype = .int8
        case "|u1": dtype = .uint8
        case "|b1": dtype = .bool
        default: throw Failure(description: "\(url.lastPathComponent): unsupported dtype \(descr)")
        }
        let body = data[(headerStart + headerLength)...]
        let t = Tensor(zeros: dims, dtype: dtype)
        guard body.count == t.count * dtype.itemSize else {
            throw Failure(description: "\(url.lastPathComponent): \(body.count) bytes for shape \(dims) \(dtype)")
        }
        body.withUnsafeBytes { raw in
            if let base = raw.baseAddress, raw.count > 0 { t.baseAddress.copyMemory(from: base, byteCount: raw.count) }
        }
        return t
    }

    private static func field(_ header: String, _ key: String) -> String? {
        guard let range = header.range(of: "'\(key)': ") else { return nil }
        let rest = header[range.upperBound...]
        if rest.first == "(" {
            guard let end = rest.firstIndex(of: ")") else { return nil }
            return String(rest[...end])
        }
        guard let end = rest.firstIndex(of: ",") else { return nil }
        return String(rest[..<end])
    }
}

/// Where the committed fixtures live (`Tests/Fixtures`).
public enum Fixtures {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    public static let ops = root.appendingPathComponent("ops")
    public static let zoo = root.appendingPathComponent("zoo")
    public static let carseg = root.appendingPathComponent("carseg")

    public static func npy(_ url: URL) throws -> Tensor { try NpyFile.read(url) }
    /// An op fixture by stem (`Tests/Fixtures/ops/<stem>.npy`).
    public static func op(_ stem: String) throws -> Tensor { try NpyFile.read(ops.appendingPathComponent(stem + ".npy")) }
}
