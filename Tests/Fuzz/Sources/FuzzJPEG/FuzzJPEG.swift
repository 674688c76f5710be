import FuzzDriver
import Imaging

/// JPEG decoding through ImageCodec (libpng/libjpeg behind the C wrapper), in every channel mode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    // The last byte picks the channel mode (the first ones are the magic, which mutations must keep).
    let channels = size > 0 ? [0, 1, 3, 4][Int(data[data.index(before: data.endIndex)] & 3)] : 0
    if let image = try? ImageCodec.decode(data, channels: channels, source: "fuzz") { touch(image) }
    return 0
}

@_cdecl("FuzzJPEG_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzJPEG)
}
