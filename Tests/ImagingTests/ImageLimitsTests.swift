import Foundation
import XCTest
import Tensors
@testable import Imaging

/// Size claims in image headers are checked before the decoder allocates (docs/security.md), and PNGs are
/// written atomically.
final class ImageLimitsTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/carseg")

    /// CRC-32 (ISO 3309, as PNG chunks use), written out here so the test does not lean on the codec.
    private func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
        }
        return ~c
    }

    private func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    private func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + body
        return be32(UInt32(body.count)) + typed + be32(crc32(typed))
    }

    /// A PNG whose header claims `width` × `height` RGB pixels, followed by a few bytes of image data.
    private func pngClaiming(width: UInt32, height: UInt32) -> Data {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = be32(width) + be32(height) + [8, 2, 0, 0, 0]
        // zlib stream of a stored empty block: not enough data, but the header check must come first.
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
        return Data(signature + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", []))
    }

    private func message(_ body: () throws -> Tensor) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testPNGClaimingTooManyPixelsIsRefused() {
        // 16000 × 16000 = 256 000 000 pixels: each side is within 16384, the area is over 2^26 = 67 108 864.
        let text = message { try ImageCodec.decode(pngClaiming(width: 16000, height: 16000)) }
        XCTAssertTrue(text.contains("PNG size 16000x16000 is more than 67108864 pixels"), text)
    }

    func testPNGClaimingMorePixelsThanItsBytesCanHoldIsRefused() {
        // 8000 × 8000 = 64 000 000 pixels is under the area limit, but a 68-byte file (8 signature + 25 IHDR + 23 IDAT + 12 IEND) inflates to at most
        // 68 × 1032 bytes × 8 pixels per byte = 561 408 pixels.
        let png = pngClaiming(width: 8000, height: 8000)
        XCTAssertEqual(png.count, 68)
        let text = message { try ImageCodec.decode(png) }
        XCTAssertTrue(text.contains("PNG size 8000x8000 cannot be encoded in a 68-byte file"), text)
    }

    func testJPEGClaimingTooManyPixelsIsRefused() throws {
        var jpeg = [UInt8](try Data(contentsOf: fixtures.appendingPathComponent("images/street_00.jpg")))
        // Start-of-frame (baseline C0 or progressive C2): length(2) precision(1) height(2) width(2).
        guard let sof = (0..<(jpeg.count - 1)).first(where: { jpeg[$0] == 0xFF && (jpeg[$0 + 1] == 0xC0 || jpeg[$0 + 1] == 0xC2) }) else {
            return XCTFail("no SOF marker in the fixture")
        }
        jpeg[sof + 5] = 0x27; jpeg[sof + 6] = 0x10   // height 10000
        jpeg[sof + 7] = 0x27; jpeg[sof + 8] = 0x10   // width 10000
        let text = message { try ImageCodec.decode(Data(jpeg)) }
        XCTAssertTrue(text.contains("JPEG size 10000x10000 is more than 67108864 pixels"), text)
    }

    func testWritePNGReplacesTheTargetAndLeavesNoTemporaryFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-imaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("out.png")
        try Data("old".utf8).write(to: target)
        var t = Tensor(uninitialized: [2, 3, 1], dtype: .uint8)
        let p = t.baseAddress.assumingMemoryBound(to: UInt8.self)
        for i in 0..<6 { p[i] = UInt8(i * 40) }
        t.device = .cpu
        try ImageCodec.writePNG(t, to: target)
        XCTAssertEqual(try ImageCodec.read(contentsOf: target).integers(), [0, 40, 80, 120, 160, 200])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["out.png"])
    }

    func testFailedWritePNGKeepsTheOldTargetAndNamesThePath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-imaging-\(UUID().uuidString)")
        // The target is a non-empty directory: the rename over it fails after the temporary file was written.
        let target = dir.appendingPathComponent("busy.png")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside"))
        defer { try? FileManager.default.removeItem(at: dir) }
        var t = Tensor(uninitialized: [1, 1, 1], dtype: .uint8)
        t.device = .cpu
        XCTAssertThrowsError(try ImageCodec.writePNG(t, to: target)) { error in
            guard case .unwritable(let path, let reason)? = error as? ImageError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, target.path)
            XCTAssertTrue(reason.contains("rename failed"), reason)
        }
        XCTAssertEqual(try String(contentsOf: target.appendingPathComponent("inside"), encoding: .utf8), "keep")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["busy.png"])
    }
}
