import Foundation
import XCTest
import Tensors
@testable import Imaging

final class ImageCodecTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/carseg")

    /// PyTorch preprocessed street_00.png into `street_00_input.npy` as (rgb/255 - mean)/std; undoing that
    /// must give back exactly the pixels we decode.
    func testPNGDecodeMatchesPyTorchPreprocessedInput() throws {
        let image = try ImageCodec.read(contentsOf: fixtures.appendingPathComponent("images/street_00.png"))
        XCTAssertEqual(image.shape, [480, 480, 3])
        XCTAssertEqual(image.dtype, .uint8)
        let reference = try readFloat32Npy(fixtures.appendingPathComponent("reference/street_00_input.npy"))
        XCTAssertEqual(reference.count, 3 * 480 * 480)
        let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
        let pixels = image.integers()
        var worst: Float = 0
        for c in 0..<3 {
            for i in 0..<(480 * 480) {
                let recovered = (reference[c * 480 * 480 + i] * std[c] + mean[c]) * 255
                worst = max(worst, abs(recovered - Float(pixels[i * 3 + c])))
            }
        }
        XCTAssertLessThan(worst, 0.01)
    }

    /// Pillow (libjpeg-turbo) decoded the same file; see scripts/fixtures/gen_image_oracle.py.
    func testJPEGDecodeMatchesPillow() throws {
        let oracleURL = fixtures.deletingLastPathComponent().appendingPathComponent("imaging/jpeg_oracle.json")
        let oracle = try JSONSerialization.jsonObject(with: Data(contentsOf: oracleURL)) as? [String: Any] ?? [:]
        let jpg = try ImageCodec.read(contentsOf: fixtures.appendingPathComponent("images/street_00.jpg"))
        XCTAssertEqual(jpg.shape, oracle["shape"] as? [Int])
        let values = jpg.integers()
        XCTAssertEqual(values.reduce(0, +), (oracle["sum"] as? NSNumber)?.int64Value)
        for case let point as [String: Any] in oracle["pixels"] as? [Any] ?? [] {
            let (y, x) = (point["y"] as? Int ?? -1, point["x"] as? Int ?? -1)
            let base = (y * 480 + x) * 3
            XCTAssertEqual(Array(values[base..<(base + 3)]), (point["rgb"] as? [Int])?.map(Int64.init))
        }
    }

    func testMaskIsSingleChannelBinary() throws {
        let mask = try ImageCodec.read(contentsOf: fixtures.appendingPathComponent("images/street_00_mask.png"))
        XCTAssertEqual(mask.shape, [480, 480, 1])
        XCTAssertEqual(Set(mask.integers()), [0, 255])
    }

    func testPNGRoundTripIsLossless() throws {
        var t = Tensor(zeros: [5, 7, 3], dtype: .uint8)
        let p = t.baseAddress.assumingMemoryBound(to: UInt8.self)
        for i in 0..<(5 * 7 * 3) { p[i] = UInt8((i * 37) % 256) }
        t.device = .cpu
        let back = try ImageCodec.decode(try ImageCodec.encodePNG(t))
        XCTAssertEqual(back.shape, [5, 7, 3])
        XCTAssertEqual(back.integers(), t.integers())
    }

    func testCorruptAndTruncatedFilesAreErrors() throws {
        let data = try Data(contentsOf: fixtures.appendingPathComponent("images/street_01.png"))
        for cut in stride(from: 0, to: data.count, by: max(1, data.count / 40)) {
            XCTAssertThrowsError(try ImageCodec.decode(data.prefix(cut)), "truncated at \(cut)")
        }
        let jpeg = try Data(contentsOf: fixtures.appendingPathComponent("images/street_00.jpg"))
        for cut in stride(from: 0, to: 600, by: 50) {
            XCTAssertThrowsError(try ImageCodec.decode(jpeg.prefix(cut)), "truncated at \(cut)")
        }
        XCTAssertThrowsError(try ImageCodec.decode(Data("hello".utf8))) { error in
            XCTAssertEqual(error as? ImageError, .unknownFormat(path: "<memory>"))
        }
    }

    /// A minimal reader for little-endian float32 `.npy` files, independent of the product's reader.
    private func readFloat32Npy(_ url: URL) throws -> [Float] {
        let data = try Data(contentsOf: url)
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let header = String(decoding: data[10..<(10 + headerLength)], as: UTF8.self)
        XCTAssertTrue(header.contains("'<f4'"))
        let body = data.subdata(in: (10 + headerLength)..<data.count)
        return body.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}
