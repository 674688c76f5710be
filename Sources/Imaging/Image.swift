import CImage
import Foundation
import Tensors

/// PNG and JPEG files as uint8 tensors of shape `[height, width, channels]` (HWC, as PIL and
/// OpenCV hand them to a preprocessing pipeline), and back.
///
/// Decoding checks the header's dimensions against a limit before allocating, and corrupt
/// files produce an `ImageError` naming the file — never a crashed process.
public enum ImageCodec {
    /// Reads a PNG or JPEG file (sniffed from its first bytes, not its name).
    /// - Parameter channels: 0 keeps the file's own (1 for gray, 3 for colour), or 1, 3, 4.
    public static func read(contentsOf url: URL, channels: Int = 0) throws -> Tensor {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw ImageError.unreadable(path: url.path, reason: error.localizedDescription)
        }
        return try decode(data, channels: channels, source: url.path)
    }

    /// Decodes PNG or JPEG bytes.
    public static func decode(_ data: Data, channels: Int = 0, source: String = "<memory>") throws -> Tensor {
        guard [0, 1, 3, 4].contains(channels) else {
            throw ImageError.invalidArgument("channels must be 0, 1, 3 or 4, got \(channels)")
        }
        let kind = ImageKind(sniffing: data)
        var image = mlus_image()
        var message = [CChar](repeating: 0, count: 256)
        let status: Int32 = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 1 }
            switch kind {
            case .png: return mlus_png_decode(base, raw.count, Int32(channels), &image, &message, message.count)
            case .jpeg:
                if channels == 4 { return mlus_jpeg_decode(base, raw.count, 3, &image, &message, message.count) }
                return mlus_jpeg_decode(base, raw.count, Int32(channels), &image, &message, message.count)
            case .unknown: return 2
            }
        }
        if status == 2 { throw ImageError.unknownFormat(path: source) }
        guard status == 0, let pixels = image.pixels else {
            throw ImageError.corrupt(path: source, reason: String(cString: message))
        }
        defer { mlus_image_free(&image) }
        let (h, w, c) = (Int(image.height), Int(image.width), Int(image.channels))
        var tensor = Tensor(uninitialized: [h, w, c], dtype: .uint8)
        tensor.baseAddress.copyMemory(from: pixels, byteCount: h * w * c)
        if channels == 4 && c == 3 { tensor = addOpaqueAlpha(tensor) }
        return tensor
    }

    /// Encodes a uint8 `[H, W]` or `[H, W, C]` (C = 1, 3, 4) tensor as PNG bytes.
    public static func encodePNG(_ tensor: Tensor) throws -> Data {
        guard tensor.dtype == .uint8 else {
            throw ImageError.invalidArgument("PNG needs a uint8 tensor, got \(tensor.dtype.torchName)")
        }
        let shape = tensor.rank == 2 ? tensor.shape + [1] : tensor.shape
        guard shape.count == 3, [1, 3, 4].contains(shape[2]), shape[0] > 0, shape[1] > 0,
              shape[0] <= Int(MLUS_IMAGE_MAX_SIDE), shape[1] <= Int(MLUS_IMAGE_MAX_SIDE) else {
            throw ImageError.invalidArgument("PNG needs shape [H, W] or [H, W, 1|3|4], got \(tensor.shape)")
        }
        let dense = tensor.contiguous()
        var buffer: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = mlus_png_encode(dense.baseAddress.assumingMemoryBound(to: UInt8.self),
                                     Int32(shape[1]), Int32(shape[0]), Int32(shape[2]),
                                     &buffer, &size, &message, message.count)
        guard status == 0, let bytes = buffer else {
            throw ImageError.invalidArgument("PNG encoding failed: \(String(cString: message))")
        }
        defer { mlus_image_buffer_free(bytes) }
        return Data(bytes: bytes, count: size)
    }

    /// Writes a PNG atomically (temporary file beside it, fsync, then rename), so a reader never sees half
    /// a file, even after a crash or power loss.
    public static func writePNG(_ tensor: Tensor, to url: URL) throws {
        try AtomicWrite.write(try encodePNG(tensor), to: url.path)
    }

    private static func addOpaqueAlpha(_ rgb: Tensor) -> Tensor {
        let (h, w) = (rgb.shape[0], rgb.shape[1])
        var rgba = Tensor(uninitialized: [h, w, 4], dtype: .uint8)
        let src = rgb.baseAddress.assumingMemoryBound(to: UInt8.self)
        let dst = rgba.baseAddress.assumingMemoryBound(to: UInt8.self)
        for i in 0..<(h * w) {
            dst[4 * i] = src[3 * i]; dst[4 * i + 1] = src[3 * i + 1]; dst[4 * i + 2] = src[3 * i + 2]; dst[4 * i + 3] = 255
        }
        rgba.device = rgb.device
        return rgba
    }
}

/// Image formats recognised by their magic bytes.
enum ImageKind {
    case png, jpeg, unknown

    init(sniffing data: Data) {
        let head = [UInt8](data.prefix(8))
        if head.count >= 8 && head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { self = .png }
        else if head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF { self = .jpeg }
        else { self = .unknown }
    }
}

/// Why an image could not be read or written; every case names the file or the argument.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case unknownFormat(path: String)
    case corrupt(path: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read image '\(path)': \(reason)"
        case .unwritable(let path, let reason): return "cannot write image '\(path)': \(reason)"
        case .unknownFormat(let path): return "'\(path)' is neither a PNG nor a JPEG file"
        case .corrupt(let path, let reason): return "corrupt image '\(path)': \(reason)"
        case .invalidArgument(let message): return message
        }
    }
}
