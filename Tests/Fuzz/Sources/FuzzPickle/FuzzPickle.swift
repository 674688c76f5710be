import FuzzDriver
@testable import Checkpoint
import Tensors

/// Storages for the bare pickle target: zero-filled, at most 1 MiB, so shape/stride checks against the
/// storage size still run without a container around the pickle.
final class ZeroStorages: StorageProvider {
    func storage(for spec: StorageSpec) throws -> Storage {
        let (bytes, overflow) = spec.numel.multipliedReportingOverflow(by: spec.element.itemSize)
        guard !overflow, bytes >= 0, bytes <= 1 << 20 else {
            throw CheckpointError.malformed(file: "", detail: "fuzz storage too large")
        }
        return HeapBuffer(byteCount: bytes).storage(byteCount: bytes)
    }
}

/// One pickle, run by the machine and converted to values (the allow-list, memo, stack and depth limits).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPickle(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let data = fuzzData(bytes, size)
    data.withUnsafeBytes { raw in
        let machine = PickleMachine(bytes: raw, origin: 0, options: PickleReadOptions())
        guard let root = try? machine.run() else { return }
        let value = try? withExtendedLifetime(machine) {
            try withLargeStack { try ValueConverter(storages: ZeroStorages(), maxDepth: 256).convert(root) }
        }
        if let value { exerciseLoaded(value) }
    }
    return 0
}

@_cdecl("FuzzPickle_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzPickle)
}
