import FuzzDriver
import MLU

/// A `.cambricon` offline model: container, section table, CRCs, graph/tensor/IO sections, validation.
///
/// Every input is read twice: as it is (the container checks, CRCs included), and with its file length, section
/// CRCs and header CRC recomputed, so mutations inside sections reach the section decoders and the model
/// validation instead of stopping at a checksum (docs/offline-format.md has the layout).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCambricon(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var buffer = size > 0 && bytes != nil ? Array(UnsafeBufferPointer(start: bytes, count: size)) : []
    _ = try? OfflineModelReader.read(bytes: buffer)
    if repairChecksums(&buffer) { _ = try? OfflineModelReader.read(bytes: buffer) }
    return 0
}

private func u16(_ b: [UInt8], _ at: Int) -> Int { Int(b[at]) | Int(b[at + 1]) << 8 }
private func u64(_ b: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(b[at + $1]) << (8 * UInt64($1)) } }
private func put32(_ b: inout [UInt8], _ at: Int, _ v: UInt32) { for i in 0..<4 { b[at + i] = UInt8((v >> (8 * UInt32(i))) & 0xFF) } }
private func put64(_ b: inout [UInt8], _ at: Int, _ v: UInt64) { for i in 0..<8 { b[at + i] = UInt8((v >> (8 * UInt64(i))) & 0xFF) } }

/// Rewrites the declared file length and every checksum the container holds; false when the header is too
/// damaged to say where they are.
private func repairChecksums(_ b: inout [UInt8]) -> Bool {
    guard b.count >= 64 else { return false }
    let count = u16(b, 14)
    let headerLength = Int(b[16]) | Int(b[17]) << 8 | Int(b[18]) << 16 | Int(b[19]) << 24
    guard (1...16).contains(count), headerLength >= 64 + 32 * count, headerLength <= min(4096, b.count) else { return false }
    put64(&b, 24, UInt64(b.count))
    for entry in 0..<count {
        let at = 64 + entry * 32
        let offset = u64(b, at + 8), length = u64(b, at + 16)
        guard offset <= UInt64(b.count), length <= UInt64(b.count) - offset else { continue }
        let crc = b[Int(offset)..<Int(offset + length)].withUnsafeBytes { CRC32.checksum($0) }
        put32(&b, at + 24, crc)
    }
    put32(&b, 20, 0)
    put32(&b, 20, b[0..<headerLength].withUnsafeBytes { CRC32.checksum($0) })
    return true
}

@_cdecl("FuzzCambricon_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzCambricon)
}
