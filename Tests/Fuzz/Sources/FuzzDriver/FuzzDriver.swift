import Foundation

/// libFuzzer's entry point for programs that own `main` (compiler-rt, FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer with the process arguments, calling `callback` for every input.
///
/// Fuzz targets call this from their `<Target>_main`, because SwiftPM points `main` there.
public func runFuzzer(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector, callback)
}

/// The fuzzer's input as `Data` (an empty input has a nil pointer).
public func fuzzData(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Data {
    guard let bytes, size > 0 else { return Data() }
    return Data(bytes: bytes, count: size)
}

/// The largest tensor whose elements a target reads back (bigger ones are still loaded, not read).
public let maxElementsToTouch = 1 << 20
