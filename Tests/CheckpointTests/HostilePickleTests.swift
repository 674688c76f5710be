import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// Hostile pickles: each must end in a `CheckpointError` that names the problem. Nothing runs.
final class HostilePickleTests: XCTestCase {
    /// Wraps a main pickle in the legacy framing (magic, 1001, sys_info, pickle, empty key list).
    private func legacyFile(_ pickle: [UInt8]) -> Data {
        var d = CheckpointWriter.legacyPreamble
        d += pickle
        d += [0x80, 0x02, 0x5D, 0x2E]
        return Data(d)
    }

    private func load(_ pickle: [UInt8]) throws -> PickleValue {
        try loadCheckpoint(data: legacyFile(pickle), name: "hostile.pt")
    }

    private func global(_ module: String, _ name: String) -> [UInt8] { [0x63] + Array("\(module)\n\(name)\n".utf8) }
    private func str(_ s: String) -> [UInt8] { let u = Array(s.utf8); return [0x58] + le32(u.count) + u }
    private func le32(_ n: Int) -> [UInt8] { (0..<4).map { UInt8((n >> (8 * $0)) & 0xFF) } }

    func testForbiddenGlobalsAreNamed() {
        let cases: [([UInt8], String)] = [
            (global("os", "system") + str("echo pwned") + [0x85, 0x52, 0x2E], "os.system"),
            (global("posix", "system") + str("id") + [0x85, 0x52, 0x2E], "posix.system"),
            (global("__builtin__", "eval") + str("1+1") + [0x85, 0x52, 0x2E], "__builtin__.eval"),
            (global("builtins", "exec") + str("1") + [0x85, 0x52, 0x2E], "builtins.exec"),
            (global("subprocess", "Popen") + str("ls") + [0x85, 0x52, 0x2E], "subprocess.Popen"),
            (global("nt", "system") + [0x29, 0x52, 0x2E], "nt.system"),
            (global("builtins", "getattr") + [0x29, 0x52, 0x2E], "builtins.getattr"),
            (global("torch", "load") + [0x29, 0x52, 0x2E], "torch.load"),
            (global("numpy.core.multiarray", "_reconstruct") + [0x29, 0x52, 0x2E], "numpy.core.multiarray._reconstruct"),
            (global("mymodule", "evil_function") + [0x29, 0x52, 0x2E], "mymodule.evil_function"),
            // Protocol 4 STACK_GLOBAL spelling of os.system.
            ([0x80, 0x04] + [0x8C, 2] + Array("os".utf8) + [0x8C, 6] + Array("system".utf8) + [0x93, 0x29, 0x52, 0x2E], "os.system"),
        ]
        for (pickle, name) in cases {
            assertCheckpointError(name) { _ = try load([0x80, 0x02] + pickle) }
            do { _ = try load([0x80, 0x02] + pickle) } catch let e as CheckpointError {
                guard case .forbiddenGlobal(let file, let g, let offset) = e else { return XCTFail("\(e) is not forbiddenGlobal") }
                XCTAssertEqual(file, "hostile.pt")
                XCTAssertEqual(g, name)
                XCTAssertGreaterThan(offset, CheckpointWriter.legacyPreamble.count, "offset is a file offset inside pickle #3")
            } catch { XCTFail("\(error)") }
        }
    }

    func testReduceOnlyOnAllowedCallables() {
        // REDUCE on an allowed but non-callable global (a storage class), on a string, on a dtype.
        assertCheckpointError("REDUCE on torch.FloatStorage") { _ = try load([0x80, 0x02] + global("torch", "FloatStorage") + [0x29, 0x52, 0x2E]) }
        assertCheckpointError("REDUCE on str") { _ = try load([0x80, 0x02] + str("os.system") + [0x29, 0x52, 0x2E]) }
        assertCheckpointError("REDUCE on torch.nn.functional.relu") { _ = try load([0x80, 0x02] + global("torch.nn.functional", "relu") + [0x29, 0x52, 0x2E]) }
        assertCheckpointError("REDUCE on torch.float32") { _ = try load([0x80, 0x02] + global("torch", "float32") + [0x29, 0x52, 0x2E]) }
        assertCheckpointError("not a tuple") { _ = try load([0x80, 0x02] + global("collections", "OrderedDict") + [0x5D, 0x52, 0x2E]) }
        assertCheckpointError("NEWOBJ on torch._utils._rebuild_tensor_v2") {
            _ = try load([0x80, 0x02] + global("torch._utils", "_rebuild_tensor_v2") + [0x29, 0x81, 0x2E])
        }
        assertCheckpointError("_codecs.encode with encoding 'rot13'") {
            _ = try load([0x80, 0x02] + global("_codecs", "encode") + str("x") + str("rot13") + [0x86, 0x52, 0x2E])
        }
    }

    func testBuildOnlyOnObjectsAndOrderedDicts() {
        assertCheckpointError("BUILD on list") { _ = try load([0x80, 0x02, 0x5D, 0x7D, 0x62, 0x2E]) }
        assertCheckpointError("BUILD on int") { _ = try load([0x80, 0x02, 0x4B, 0x01, 0x7D, 0x62, 0x2E]) }
        assertCheckpointError("BUILD on global") { _ = try load([0x80, 0x02] + global("torch", "FloatStorage") + [0x7D, 0x62, 0x2E]) }
        assertCheckpointError("BUILD on dict") { _ = try load([0x80, 0x02, 0x7D, 0x7D, 0x62, 0x2E]) }
        // Allowed: BUILD on a module-class record and on an OrderedDict (state dict `_metadata`).
        XCTAssertNoThrow(try load([0x80, 0x02] + global("__main__", "Net") + [0x29, 0x81, 0x7D, 0x62, 0x2E]))
        XCTAssertNoThrow(try load([0x80, 0x02] + global("collections", "OrderedDict") + [0x29, 0x52, 0x7D, 0x62, 0x2E]))
    }

    func testContainerMisuse() {
        assertCheckpointError("APPEND into dict") { _ = try load([0x80, 0x02, 0x7D, 0x4B, 0x01, 0x61, 0x2E]) }
        assertCheckpointError("SETITEM into list") { _ = try load([0x80, 0x02, 0x5D, 0x4B, 0x01, 0x4B, 0x02, 0x73, 0x2E]) }
        assertCheckpointError("unhashable dict key of type list") { _ = try load([0x80, 0x02, 0x7D, 0x5D, 0x4B, 0x02, 0x73, 0x2E]) }
        assertCheckpointError("stack underflow") { _ = try load([0x80, 0x02, 0x61, 0x2E]) }
        assertCheckpointError("no MARK") { _ = try load([0x80, 0x02, 0x74, 0x2E]) }
        assertCheckpointError("STOP with 2 values") { _ = try load([0x80, 0x02, 0x4E, 0x4E, 0x2E]) }
        assertCheckpointError("unsupported opcode 0xFF") { _ = try load([0x80, 0x02, 0xFF, 0x2E]) }
        assertCheckpointError("extension registry") { _ = try load([0x80, 0x02, 0x82, 0x01, 0x2E]) }
        assertCheckpointError("unknown persistent id") { _ = try load([0x80, 0x02, 0x28] + str("evil") + [0x74, 0x51, 0x2E]) }
        assertCheckpointError("protocol 9") { _ = try load([0x80, 0x09, 0x4E, 0x2E]) }
    }

    func testStackAndObjectCountsAreBounded() {
        let options = PickleReadOptions(maxObjects: 1000)
        let dups: [UInt8] = [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x32, count: 5000) + [0x2E]
        assertCheckpointError("more than 1000 values") { _ = try loadCheckpoint(data: legacyFile(dups), name: "dup.pt", options: options) }
        let lists: [UInt8] = [0x80, 0x02] + [UInt8](repeating: 0x5D, count: 5000) + [0x2E]
        assertCheckpointError("more than 1000") { _ = try loadCheckpoint(data: legacyFile(lists), name: "lists.pt", options: options) }
    }

    func testMemoOutOfRange() {
        assertCheckpointError("memo index 5 was never stored") { _ = try load([0x80, 0x02, 0x4E, 0x71, 0x00, 0x68, 0x05, 0x2E]) }
        assertCheckpointError("memo index 4294967295") { _ = try load([0x80, 0x02, 0x6A, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E]) }
        assertCheckpointError("stack underflow") { _ = try load([0x80, 0x02, 0x71, 0x00, 0x2E]) }
    }

    func testDeepNestingIsAnErrorNotACrash() {
        // 100 000 nested tuples, built bottom-up.
        assertCheckpointError("nesting deeper than 256") {
            _ = try load([0x80, 0x02, 0x29] + [UInt8](repeating: 0x85, count: 100_000) + [0x2E])
        }
        // 100 000 MARKs.
        assertCheckpointError("nested MARKs") { _ = try load([0x80, 0x02] + [UInt8](repeating: 0x28, count: 100_000) + [0x2E]) }
        // 100 000 lists each appended into the previous one *after* it was nested (through the memo):
        // the machine cannot see the depth grow, so the converter must stop it.
        var p: [UInt8] = [0x80, 0x02, 0x5D, 0x72] + le32(0)
        for i in 1..<100_000 {
            p += [0x6A] + le32(i - 1) + [0x5D, 0x72] + le32(i) + [0x61, 0x30]
        }
        p.append(0x2E)
        assertCheckpointError("nesting deeper than 256") { _ = try load(p) }
        // A list that contains itself.
        assertCheckpointError("contains itself") { _ = try load([0x80, 0x02, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2E]) }
    }

    /// The deepest accepted nesting (255 lists, plus the 100 000-deep hostile chain) also loads on a thread
    /// with a 512 KiB stack, the size of secondary threads, so the recursive conversion cannot overflow it.
    func testDepthLimitFitsASmallThreadStack() throws {
        let legit: [UInt8] = [0x80, 0x02] + [UInt8](repeating: 0x5D, count: 255) + [UInt8](repeating: 0x61, count: 254) + [0x2E]
        var chain: [UInt8] = [0x80, 0x02, 0x5D, 0x72] + le32(0)
        for i in 1..<100_000 { chain += [0x6A] + le32(i - 1) + [0x5D, 0x72] + le32(i) + [0x61, 0x30] }
        chain.append(0x2E)
        let legitFile = legacyFile(legit), chainFile = legacyFile(chain)
        final class Results: @unchecked Sendable { var items: [String] = [] }
        let box = Results()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { _ = try loadCheckpoint(data: legitFile, name: "deep.pt"); box.items.append("ok") } catch { box.items.append("\(error)") }
            do { _ = try loadCheckpoint(data: chainFile, name: "chain.pt"); box.items.append("loaded") } catch { box.items.append("\(error)") }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        XCTAssertEqual(box.items.first, "ok")
        XCTAssertTrue(box.items.last?.contains("nesting deeper than 256") == true, box.items.last ?? "")
    }

    /// t0 = (); t(i+1) = (t_i, t_i): `levels` + 1 pickled tuples, 2^(levels+1) - 1 values once expanded.
    private func sharedTuples(levels: Int) -> [UInt8] {
        var p: [UInt8] = [0x80, 0x02, 0x29, 0x71, 0x00, 0x30]
        for i in 0..<levels { p += [0x68, UInt8(i), 0x68, UInt8(i), 0x86, 0x71, UInt8(i + 1), 0x30] }
        return p + [0x68, UInt8(levels), 0x2E]
    }

    func testExponentialSharingIsRejectedQuickly() throws {
        // A 'billion laughs' pickle: 487 bytes, 2^61 - 1 values expanded. Every consumer that walks the tree
        // (state-dict extraction, torch.load in scripts) would take forever; the reader refuses it at once.
        let start = Date()
        assertCheckpointError("shared references expand to more than 4000000 values") { _ = try load(sharedTuples(levels: 60)) }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // The limit counts expanded values: 2^22 - 1 = 4 194 303 is over it, 2^21 - 1 is not.
        assertCheckpointError("expand to more than 4000000") { _ = try load(sharedTuples(levels: 21)) }
        XCTAssertNoThrow(try load(sharedTuples(levels: 20)))
    }

    func testModerateSharingStillLoadsAsSharedValues() throws {
        let v = try load(sharedTuples(levels: 10))
        guard case .tuple(let items) = v else { return XCTFail("expected a tuple") }
        XCTAssertEqual(items.count, 2)
        var leaves = 0
        func count(_ v: PickleValue) { if case .tuple(let t) = v { if t.isEmpty { leaves += 1 }; t.forEach(count) } }
        count(v)
        XCTAssertEqual(leaves, 1 << 10)
    }

    func testSizeClaimsAreCheckedBeforeAllocating() {
        assertCheckpointError("BINUNICODE needs 4294967295 bytes") { _ = try load([0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0x2E]) }
        assertCheckpointError("BINBYTES8 claims") { _ = try load([0x80, 0x04, 0x8E] + [UInt8](repeating: 0xFF, count: 7) + [0x7F, 0x2E]) }
        assertCheckpointError("frame claims") { _ = try load([0x80, 0x04, 0x95] + [UInt8](repeating: 0xFF, count: 8) + [0x2E]) }
        assertCheckpointError("LONG4 needs 2147483647 bytes") { _ = try load([0x80, 0x02, 0x8B, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E]) }
    }

    /// A legacy file whose pid says 10^12 floats: the blob header must be checked against the file.
    func testLegacyStorageClaimingMoreBytesThanTheFile() throws {
        let tensorPickle: [UInt8] = [0x80, 0x02] + global("torch._utils", "_rebuild_tensor_v2") + [0x28, 0x28] + str("storage")
            + global("torch", "FloatStorage") + str("0") + str("cpu") + [0x8A, 0x06, 0x00, 0x10, 0xA5, 0xD4, 0xE8, 0x00] + [0x4E, 0x74, 0x51]
            + [0x4B, 0x00, 0x4B, 0x01, 0x85, 0x4B, 0x01, 0x85, 0x89] + global("collections", "OrderedDict") + [0x29, 0x52, 0x74, 0x52, 0x2E]
        var file = CheckpointWriter.legacyPreamble + tensorPickle
        file += [0x80, 0x02, 0x5D] + str("0") + [0x61, 0x2E]
        file += [0x00, 0x10, 0xA5, 0xD4, 0xE8, 0x00, 0x00, 0x00] + [0, 0, 0x80, 0x3F]  // count 10^12, one float
        assertCheckpointError("storage '0' claims 4000000000000 bytes") { _ = try loadCheckpoint(data: Data(file), name: "big.pt") }
        // Count and pid disagree.
        var file2 = CheckpointWriter.legacyPreamble + tensorPickle + [0x80, 0x02, 0x5D] + str("0") + [0x61, 0x2E]
        file2 += [0x01, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0x80, 0x3F]
        assertCheckpointError("wrong size") { _ = try loadCheckpoint(data: Data(file2), name: "big.pt") }
    }

    /// A zip whose storage record is shorter than the pid's numel (minimal_handwritten_zip: data/0 holds 6 floats).
    func testZipStorageClaimingMoreBytesThanTheRecord() throws {
        var bytes = [UInt8](try Data(contentsOf: Fixtures.checkpoints.appendingPathComponent("minimal_handwritten_zip.pt")))
        // data.pkl at 64: `K 6` (numel of storage 0) at pickle offset 117 → claim 255 elements instead.
        // Every pid of storage 0 ('w' and 'wt') says `X 'cpu' K 6`: claim 255 elements instead.
        var patched = 0
        for i in 64..<(bytes.count - 5) where Array(bytes[i..<(i + 5)]) == [0x63, 0x70, 0x75, 0x4B, 0x06] {
            bytes[i + 4] = 0xFF
            patched += 1
        }
        XCTAssertEqual(patched, 2)
        assertCheckpointError("holds 24 bytes, but its storage needs 255 x 4 bytes") { _ = try loadCheckpoint(data: Data(bytes), name: "z.pt") }
        // A view that runs past its storage.
        var view = [UInt8](try Data(contentsOf: Fixtures.checkpoints.appendingPathComponent("minimal_handwritten_zip.pt")))
        XCTAssertEqual(view[64 + 121], 0x4B)  // storage_offset of 'w'
        view[64 + 122] = 5
        assertCheckpointError("needs 44 bytes") { _ = try loadCheckpoint(data: Data(view), name: "z.pt") }
    }

    /// Offsets, sizes and strides near Int.max must be errors, not arithmetic traps.
    func testHugeViewNumbersAreErrors() throws {
        let original = [UInt8](try Data(contentsOf: Fixtures.checkpoints.appendingPathComponent("minimal_handwritten_zip.pt")))
        // 'w' is `K 0 (K 2 K 3 t (K 3 K 1 t` at pickle offset 121: replace values by LONG1 2^62 via a re-built pickle.
        func patched(_ replace: (inout [UInt8]) -> Void) -> Data {
            var pickle = Array(original[64..<(64 + 447)])
            replace(&pickle)
            var out = CheckpointWriter.legacyPreamble + pickle.map { $0 }
            // Turn the zip pickle's 5-tuple pids into legacy 6-tuples: insert NONE before each pid's TUPLE+BINPERSID.
            var fixed: [UInt8] = []
            var i = 0
            let body = Array(out[CheckpointWriter.legacyPreamble.count...])
            while i < body.count {
                if i + 1 < body.count, body[i] == 0x74, body[i + 1] == 0x51 { fixed.append(0x4E) }
                fixed.append(body[i]); i += 1
            }
            out = CheckpointWriter.legacyPreamble + fixed
            out += [0x80, 0x02, 0x5D, 0x28] + [0x58, 1, 0, 0, 0, 0x30] + [0x58, 1, 0, 0, 0, 0x31] + [0x65, 0x2E]
            out += [6, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 24) + [1, 0, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 8)
            return Data(out)
        }
        let huge: [UInt8] = [0x8A, 0x08, 0, 0, 0, 0, 0, 0, 0, 0x40]  // 2^62
        XCTAssertNoThrow(try loadCheckpoint(data: patched { _ in }, name: "ok.pt"))
        assertCheckpointError("outside storage") {
            _ = try loadCheckpoint(data: patched { p in p.replaceSubrange(121..<123, with: huge) }, name: "offset.pt")
        }
        assertCheckpointError("overflows") {  // size (2^62, 3) with stride (3, 1)
            _ = try loadCheckpoint(data: patched { p in p.replaceSubrange(124..<126, with: huge) }, name: "size.pt")
        }
        assertCheckpointError("overflows") {  // stride (2^62, 1)
            _ = try loadCheckpoint(data: patched { p in p.replaceSubrange(130..<132, with: huge) }, name: "stride.pt")
        }
    }

    func testTruncatedFilesFailCleanlyAtEveryLength() throws {
        for name in ["sd_legacy.pt", "minimal_handwritten_zip.pt", "checkpoint_legacy.pt"] {
            let data = try Data(contentsOf: Fixtures.checkpoints.appendingPathComponent(name))
            for n in stride(from: 0, to: data.count, by: name.hasPrefix("sd") ? 1 : 7) {
                XCTAssertThrowsError(try loadCheckpoint(data: data.prefix(n), name: name), "\(name) cut at \(n)")
            }
        }
        // data.pkl cut at every point, run directly.
        let file = try MappedFile(url: Fixtures.checkpoints.appendingPathComponent("checkpoint_zip.pt"))
        let dir = try ZipDirectory(file.buffer)
        guard let pkl = dir.entries.first(where: { $0.name.hasSuffix("data.pkl") }) else { return XCTFail("no data.pkl") }
        let pickle = UnsafeRawBufferPointer(rebasing: file.buffer[pkl.dataOffset..<(pkl.dataOffset + pkl.size)])
        for n in 0..<pickle.count {
            let machine = PickleMachine(bytes: UnsafeRawBufferPointer(rebasing: pickle[0..<n]))
            XCTAssertThrowsError(try machine.run(), "data.pkl cut at \(n)")
        }
    }

    /// Random byte corruption of real files: every outcome is a value or a CheckpointError, never a crash.
    func testRandomCorruptionNeverCrashes() throws {
        var rng = SplitMix(seed: 0x5EED)
        var errors = 0
        for name in ["sd_zip.pt", "sd_legacy.pt", "whole_model_zip.pt", "checkpoint_legacy.pt", "dtypes_zip.pt", "quantized_zip.pt"] {
            let original = [UInt8](try Data(contentsOf: Fixtures.checkpoints.appendingPathComponent(name)))
            for _ in 0..<(Int(ProcessInfo.processInfo.environment["CKPT_FUZZ_ITERATIONS"] ?? "") ?? 300) {
                var bytes = original
                for _ in 0..<Int(rng.next() % 4 + 1) {
                    bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
                }
                do { _ = try loadCheckpoint(data: Data(bytes), name: name) } catch is CheckpointError { errors += 1 }
            }
        }
        XCTAssertGreaterThan(errors, 100, "corruption should mostly be detected")
    }
}

struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
