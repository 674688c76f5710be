import FuzzDriver
import MLU

/// A `.cambricon` offline model: container, section table, CRCs, graph/tensor/IO sections, validation.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCambricon(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let buffer = size > 0 && bytes != nil ? Array(UnsafeBufferPointer(start: bytes, count: size)) : []
    _ = try? OfflineModelReader.read(bytes: buffer)
    return 0
}

@_cdecl("FuzzCambricon_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzCambricon)
}
