import Foundation
import XCTest
import Checkpoint
import Tensors
#if canImport(Glibc)
import Glibc
#endif

/// The Swift half of scripts/bench-checkpoint (not a unit test: skipped unless `MLUS_BENCH_FILE` is set).
///
/// Loads the file 5 times with `loadStateDict`, each time also touching one byte per page of every
/// storage (so the mapped data is really read, as `torch.load` reads it), and writes the times and
/// the process's peak RSS as JSON to `MLUS_BENCH_OUT`.
final class BenchmarkTests: XCTestCase {
    func testLoadBenchmark() throws {
        let env = ProcessInfo.processInfo.environment
        guard let path = env["MLUS_BENCH_FILE"], let out = env["MLUS_BENCH_OUT"] else {
            throw XCTSkip("MLUS_BENCH_FILE / MLUS_BENCH_OUT not set (run scripts/bench-checkpoint)")
        }
        var loadOnly: [Double] = []
        var loadAndTouch: [Double] = []
        var checksum = 0
        var keys = 0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let sd = try loadStateDict(contentsOf: URL(fileURLWithPath: path))
            let loaded = DispatchTime.now().uptimeNanoseconds
            var seen = Set<ObjectIdentifier>()
            for (_, t) in sd where seen.insert(ObjectIdentifier(t.storage)).inserted {
                let p = t.storage.bytes.assumingMemoryBound(to: UInt8.self)
                var i = 0
                while i < t.storage.byteCount { checksum &+= Int(p[i]); i += 4096 }
            }
            let touched = DispatchTime.now().uptimeNanoseconds
            keys = sd.count
            loadOnly.append(Double(loaded - start) / 1e9)
            loadAndTouch.append(Double(touched - start) / 1e9)
        }
        // Saving the loaded state dict back (both formats): CRC32 + write of every storage.
        let sd = try loadStateDict(contentsOf: URL(fileURLWithPath: path))
        let outDir = URL(fileURLWithPath: out).deletingLastPathComponent()
        var saveTimes: [String: Double] = [:]
        for format in [CheckpointFormat.zip, .legacy] {
            let target = outDir.appendingPathComponent("resaved_\(format).pt")
            let start = DispatchTime.now().uptimeNanoseconds
            try saveStateDict(sd, to: target, format: format)
            saveTimes[format.rawValue] = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            try FileManager.default.removeItem(at: target)
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let result: [String: Any] = ["load_s": loadOnly, "load_touch_s": loadAndTouch, "peak_rss_kb": usage.ru_maxrss,
                                     "keys": keys, "checksum": checksum, "save_s": saveTimes]
        try JSONSerialization.data(withJSONObject: result).write(to: URL(fileURLWithPath: out))
    }
}
