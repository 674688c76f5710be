import Foundation
import XCTest
import Checkpoint
import Tensors

/// Interop with live PyTorch, driven by scripts/tests/interop_checkpoint.sh through `MLUS_INTEROP_DIR`.
///
/// `testWriteFilesForTorch` writes state dicts, whole models and `.npy` files into `$DIR/from_mlus`
/// with `spec.json` (how each tensor's bytes are generated) for scripts/interop/check_mlus_files.py.
/// `testReadFilesWrittenByTorch` loads what scripts/interop/gen_torch_cases.py wrote into
/// `$DIR/from_torch` and compares every tensor with the expected bytes PyTorch recorded.
final class InteropTests: XCTestCase {
    private func interopDirectory() throws -> URL {
        guard let path = ProcessInfo.processInfo.environment["MLUS_INTEROP_DIR"] else {
            throw XCTSkip("MLUS_INTEROP_DIR not set (run scripts/tests/interop_checkpoint.sh)")
        }
        return URL(fileURLWithPath: path)
    }

    // MARK: mlus → torch

    /// Storage bytes of the pattern both sides compute independently: byte i = (i*37 + seed) & 0xFF,
    /// with the top exponent bits of floats cleared (finite values) and bools 0/1.
    private func patternStorage(numel: Int, dtype: DType, seed: Int) -> Storage {
        let n = numel * dtype.itemSize
        let s = Storage(byteCount: n)
        let p = s.bytes.assumingMemoryBound(to: UInt8.self)
        for i in 0..<n {
            if dtype == .bool { p[i] = UInt8((i + seed) % 2); continue }
            var v = UInt8(truncatingIfNeeded: i * 37 + seed)
            if dtype.isFloatingPoint, i % dtype.itemSize == dtype.itemSize - 1 { v &= 0x3F }
            p[i] = v
        }
        return s
    }

    private struct SpecEntry: Encodable {
        var key: String, dtype: String, shape: [Int], stride: [Int], offset: Int, storage: Int, numel: Int, seed: Int
    }

    private func randomStateDict(_ rng: inout SplitMix, caseIndex: Int) -> ([(key: String, tensor: Tensor)], [SpecEntry]) {
        var entries: [(key: String, tensor: Tensor)] = []
        var spec: [SpecEntry] = []
        let count = Int(rng.next() % 6) + 1
        var storages: [(Storage, DType, Int, Int)] = []  // storage, dtype, numel, seed
        for k in 0..<count {
            let dtype = DType.allCases[Int(rng.next() % UInt64(DType.allCases.count))]
            let rank = Int(rng.next() % 4)
            var shape = (0..<rank).map { _ in Int(rng.next() % 4) + 1 }
            if rng.next() % 8 == 0, rank > 0 { shape[0] = 0 }
            var strides = Tensor.contiguousStrides(for: shape)
            var offset = 0
            var numel = max(shape.reduce(1, *), 0)
            let storageIndex: Int
            let reuse = storages.enumerated().first { $0.element.1 == dtype }
            if let reuse, rng.next() % 3 == 0, rank >= 1 {
                // A view into an existing storage: a strided 1-d slice.
                storageIndex = reuse.offset
                let total = reuse.element.2
                guard total > 0 else { continue }
                offset = Int(rng.next() % UInt64(total))
                let step = Int(rng.next() % 2) + 1
                let length = (total - offset + step - 1) / step
                shape = [length]
                strides = [step]
                numel = total
            } else {
                if rank >= 2, rng.next() % 2 == 0 {
                    // Transposed (non-contiguous) view of a fresh storage.
                    var tshape = shape
                    tshape.swapAt(0, rank - 1)
                    let base = Tensor.contiguousStrides(for: tshape)
                    strides = base
                    strides.swapAt(0, rank - 1)
                }
                if rng.next() % 4 == 0 { offset = 2; numel += 2 }
                let seed = Int(rng.next() % 200)
                storages.append((patternStorage(numel: numel, dtype: dtype, seed: seed), dtype, numel, seed))
                storageIndex = storages.count - 1
            }
            let (storage, _, total, seed) = storages[storageIndex]
            let key = "case\(caseIndex).layer\(k).\(dtype.rawValue)"
            entries.append((key, Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)))
            spec.append(SpecEntry(key: key, dtype: dtype.rawValue, shape: shape, stride: strides, offset: offset,
                                  storage: storageIndex, numel: total, seed: seed))
        }
        return (entries, spec)
    }

    func testWriteFilesForTorch() throws {
        let dir = try interopDirectory().appendingPathComponent("from_mlus")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var rng = SplitMix(seed: 42)
        var manifest: [String: [SpecEntry]] = [:]
        for i in 0..<40 {
            let (entries, spec) = randomStateDict(&rng, caseIndex: i)
            for format in [CheckpointFormat.zip, .legacy] {
                let name = "sd_\(i)_\(format).pt"
                try saveStateDict(entries, to: dir.appendingPathComponent(name), format: format)
                manifest[name] = spec
            }
        }
        try JSONEncoder().encode(manifest).write(to: dir.appendingPathComponent("spec.json"))

        // Whole model: Net(conv: Conv2d(3, 4, 3, padding=1), bn: BatchNorm2d(4), act: ReLU), scale 0.5, eval mode.
        let w = Tensor(storage: patternStorage(numel: 108, dtype: .float32, seed: 1), shape: [4, 3, 3, 3], strides: [27, 9, 3, 1], dtype: .float32)
        let b = Tensor(storage: patternStorage(numel: 4, dtype: .float32, seed: 2), shape: [4], strides: [1], dtype: .float32)
        let g = Tensor(storage: patternStorage(numel: 4, dtype: .float32, seed: 3), shape: [4], strides: [1], dtype: .float32)
        let beta = Tensor(storage: patternStorage(numel: 4, dtype: .float32, seed: 4), shape: [4], strides: [1], dtype: .float32)
        let mean = Tensor(storage: patternStorage(numel: 4, dtype: .float32, seed: 5), shape: [4], strides: [1], dtype: .float32)
        let varT = Tensor([0.5, 1, 2, 4], shape: [4])
        let nbt = Tensor(zeros: [], dtype: .int64)
        nbt.storage.bytes.storeBytes(of: Int64(3), as: Int64.self)
        let pair: PickleValue = .tuple([.int(1), .int(1)])
        let conv = ModuleRecord.make(
            type: GlobalRef(qualifiedName: "torch.nn.modules.conv.Conv2d"), parameters: [("weight", w), ("bias", b)],
            attributes: [("in_channels", .int(3)), ("out_channels", .int(4)), ("kernel_size", .tuple([.int(3), .int(3)])),
                         ("stride", pair), ("padding", pair), ("dilation", pair), ("transposed", .bool(false)),
                         ("output_padding", .tuple([.int(0), .int(0)])), ("groups", .int(1)), ("padding_mode", .string("zeros")),
                         ("_reversed_padding_repeated_twice", .tuple([.int(1), .int(1), .int(1), .int(1)]))])
        let bn = ModuleRecord.make(
            type: GlobalRef(qualifiedName: "torch.nn.modules.batchnorm.BatchNorm2d"), parameters: [("weight", g), ("bias", beta)],
            buffers: [("running_mean", mean), ("running_var", varT), ("num_batches_tracked", nbt)],
            attributes: [("num_features", .int(4)), ("eps", .float(1e-5)), ("momentum", .float(0.1)), ("affine", .bool(true)),
                         ("track_running_stats", .bool(true))])
        let relu = ModuleRecord.make(type: GlobalRef(qualifiedName: "torch.nn.modules.activation.ReLU"), attributes: [("inplace", .bool(false))])
        let model = ModuleRecord.make(type: GlobalRef(module: "__main__", name: "Net"),
                                      modules: [("conv", conv), ("bn", bn), ("act", relu)], attributes: [("scale", .float(0.5))])
        for format in [CheckpointFormat.zip, .legacy] {
            try saveCheckpoint(model, to: dir.appendingPathComponent("whole_model_\(format).pt"), format: format)
        }
        // A checkpoint dict around a state dict, with plain values.
        try saveCheckpoint(.stringDict([("epoch", .int(7)), ("best_acc", .float(0.75)), ("arch", .string("net")),
                                        ("state_dict", .orderedDict([("w", .tensor(w))])), ("blob", .bytes([0, 1, 0x61])), ("empty", .bytes([])),
                                        ("storage", .storage(PickledStorage(storageClass: GlobalRef(module: "torch", name: "FloatStorage"), itemSize: 4, storage: w.storage)))]),
                           to: dir.appendingPathComponent("checkpoint_dict_legacy.pt"), format: .legacy)
        // torch's quantized fixture, re-written by mlus: torch compares it with the original.
        let quantized = try loadCheckpoint(contentsOf: Fixtures.checkpoints.appendingPathComponent("quantized_zip.pt"))
        for format in [CheckpointFormat.zip, .legacy] {
            try saveCheckpoint(quantized, to: dir.appendingPathComponent("quantized_\(format).pt"), format: format)
        }
        // .npy for numpy.load.
        for dtype in DType.allCases where dtype != .bfloat16 {
            let t = Tensor(storage: patternStorage(numel: 6, dtype: dtype, seed: 7), shape: [3, 2], strides: [1, 3], dtype: dtype)
            try saveNpy(t, to: dir.appendingPathComponent("npy_\(dtype.rawValue).npy"))
        }
    }

    // MARK: torch → mlus

    func testReadFilesWrittenByTorch() throws {
        let dir = try interopDirectory().appendingPathComponent("from_torch")
        let expected = try Fixtures.json(dir.appendingPathComponent("expected.json"))
        XCTAssertGreaterThanOrEqual(expected.count, 200)
        var checkedTensors = 0
        for (name, entries) in expected.sorted(by: { $0.key < $1.key }) {
            guard let entries = entries as? [String: [String: Any]] else { XCTFail("\(name): bad entry"); continue }
            let url = dir.appendingPathComponent(name)
            if name.hasSuffix(".npy") {
                let t = try loadNpy(contentsOf: url)
                check(t, entries[""] ?? [:], "\(name)")
                checkedTensors += 1
                continue
            }
            let value = try loadCheckpoint(contentsOf: url)
            var flat: [String: PickleValue] = [:]
            flatten(value, into: &flat)
            var groups: [Int: Storage] = [:]
            for (key, e) in entries {
                guard let got = flat[key] else { XCTFail("\(name): missing \(key); have \(flat.keys.sorted().prefix(10))"); continue }
                if let repr = e["repr"] as? String {
                    XCTAssertEqual(pythonRepr(got), repr, "\(name) \(key)")
                    continue
                }
                guard case .tensor(let t) = got else { XCTFail("\(name) \(key): \(got.typeName)"); continue }
                check(t, e, "\(name) \(key)")
                checkedTensors += 1
                if let g = e["group"] as? Int {
                    if let s = groups[g] { XCTAssertTrue(s === t.storage, "\(name) \(key) shares storage group \(g)") } else { groups[g] = t.storage }
                }
            }
        }
        XCTAssertGreaterThan(checkedTensors, 500)
    }

    private func check(_ t: Tensor, _ e: [String: Any], _ what: String) {
        XCTAssertEqual(t.dtype.rawValue, e["dtype"] as? String, what)
        XCTAssertEqual(t.shape, e["shape"] as? [Int], what)
        if let s = e["stride"] as? [Int] { XCTAssertEqual(t.strides, s, what) }
        if let o = e["offset"] as? Int { XCTAssertEqual(t.offset, o, what) }
        let c = t.contiguous()
        let hex = UnsafeRawBufferPointer(start: c.baseAddress, count: c.count * c.dtype.itemSize).map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(hex, e["hex"] as? String, what)
    }
}
