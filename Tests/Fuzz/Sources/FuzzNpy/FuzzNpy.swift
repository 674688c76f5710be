import FuzzDriver
@testable import Checkpoint

/// A NumPy `.npy` header and payload (all versions, byte orders, C/Fortran order).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNpy(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let file = MappedFile(data: fuzzData(bytes, size), name: "fuzz.npy")
    if let tensor = try? NpyFormat.read(file) { touch(tensor) }
    return 0
}

@_cdecl("FuzzNpy_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzNpy)
}
