import FuzzDriver
import MLU

/// A `.cambricon_twins` text description (read as UTF-8, invalid sequences repaired, as the CLI does).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTwins(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzData(bytes, size), as: UTF8.self)
    _ = try? TwinsParser.parse(text)
    return 0
}

@_cdecl("FuzzTwins_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzTwins)
}
