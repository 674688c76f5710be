import FuzzDriver
@testable import Checkpoint

/// The legacy (PyTorch ≤ 1.5) container, entered directly so mutations never detour into the zip reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLegacy(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let file = MappedFile(data: fuzzData(bytes, size), name: "fuzz.pth")
    if let loaded = try? CheckpointReader.readLegacy(file, options: PickleReadOptions()) { exerciseLoaded(loaded.value) }
    return 0
}

@_cdecl("FuzzLegacy_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzLegacy)
}
