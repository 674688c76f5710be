import Checkpoint
import FuzzDriver

/// A whole `torch.save` zip archive: central directory, records, data.pkl, storages, state-dict extraction.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let value = try? loadCheckpoint(data: fuzzData(bytes, size), name: "fuzz.pth") { exerciseLoaded(value) }
    return 0
}

@_cdecl("FuzzZip_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzZip)
}
