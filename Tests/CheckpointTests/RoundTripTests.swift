import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// What mlus writes, mlus reads back identically (values, dtypes, views, sharing, plain values).
final class RoundTripTests: XCTestCase {
    /// A tensor of `dtype` whose bytes are a known pattern (byte i = (i * 37 + seed) & 0xFF, bools 0/1).
    static func patterned(_ shape: [Int], _ dtype: DType, seed: Int = 0) -> Tensor {
        let t = Tensor(zeros: shape, dtype: dtype)
        let n = t.count * dtype.itemSize
        let p = t.storage.bytes.assumingMemoryBound(to: UInt8.self)
        for i in 0..<n { p[i] = dtype == .bool ? UInt8((i + seed) % 2) : UInt8(truncatingIfNeeded: i * 37 + seed) }
        if dtype == .float16 || dtype == .bfloat16 || dtype == .float32 || dtype == .float64 {
            // Keep floats finite and non-NaN so value comparisons are meaningful: clear exponent top bits.
            let step = dtype.itemSize
            for i in stride(from: step - 1, to: n, by: step) { p[i] &= 0x3F }
        }
        return t
    }

    static func rawBytes(_ t: Tensor) -> [UInt8] {
        let c = t.contiguous()
        return Array(UnsafeRawBufferPointer(start: c.baseAddress, count: c.count * c.dtype.itemSize))
    }

    func sampleStateDict() -> [(key: String, tensor: Tensor)] {
        var entries: [(key: String, tensor: Tensor)] = []
        for (i, d) in DType.allCases.enumerated() { entries.append(("t_\(d.rawValue)", Self.patterned([2, 3], d, seed: i))) }
        entries.append(("scalar", Self.patterned([], .float32, seed: 9)))
        entries.append(("empty", Tensor(zeros: [0, 4], dtype: .float32)))
        let base = Self.patterned([4, 5], .float32, seed: 3)
        entries.append(("base", base))
        entries.append(("transposed", Tensor(storage: base.storage, shape: [5, 4], strides: [1, 5], dtype: .float32)))
        entries.append(("row2", Tensor(storage: base.storage, shape: [5], strides: [1], offset: 10, dtype: .float32)))
        entries.append(("every_other", Tensor(storage: base.storage, shape: [2, 3], strides: [10, 2], offset: 1, dtype: .float32)))
        entries.append(("num_batches_tracked", Self.patterned([], .int64, seed: 5)))
        return entries
    }

    func testStateDictRoundTripsInBothFormats() throws {
        let dir = try Fixtures.temporaryDirectory()
        let original = sampleStateDict()
        for format in [CheckpointFormat.zip, .legacy] {
            let url = dir.appendingPathComponent("sd_\(format).pt")
            try saveStateDict(original, to: url, format: format)
            let loaded = try readCheckpoint(contentsOf: url)
            XCTAssertEqual(loaded.format, format)
            let back = try stateDict(in: loaded.value)
            XCTAssertEqual(back.map(\.key), original.map(\.key))
            for (a, b) in zip(original, back) {
                XCTAssertEqual(a.tensor.dtype, b.tensor.dtype, a.key)
                XCTAssertEqual(a.tensor.shape, b.tensor.shape, a.key)
                XCTAssertEqual(a.tensor.strides, b.tensor.strides, a.key)
                XCTAssertEqual(a.tensor.offset, b.tensor.offset, a.key)
                XCTAssertEqual(Self.rawBytes(a.tensor), Self.rawBytes(b.tensor), a.key)
            }
            let byKey = Dictionary(uniqueKeysWithValues: back.map { ($0.key, $0.tensor) })
            XCTAssertTrue(byKey["base"]!.storage === byKey["transposed"]!.storage, "sharing survives \(format)")
            XCTAssertTrue(byKey["base"]!.storage === byKey["every_other"]!.storage)
        }
    }

    func testPlainValuesRoundTrip() throws {
        let dir = try Fixtures.temporaryDirectory()
        let t = Self.patterned([3], .float32)
        let value: PickleValue = .stringDict([
            ("epoch", .int(7)), ("neg", .int(-5)), ("big", .int(1 << 40)), ("huge", .int(Int.min)), ("u16", .int(65535)),
            ("i32", .int(-2_147_483_648)), ("bigint", .bigInt([0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19])),
            ("acc", .float(0.75)), ("tiny", .float(1e-300)), ("name", .string("ünïcode ✓")), ("none", .none),
            ("flags", .list([.bool(true), .bool(false)])), ("tuple", .tuple([.int(1), .int(2), .int(3), .int(4)])),
            ("pair", .tuple([.string("a"), .float(2)])), ("empty_tuple", .tuple([])), ("blob", .bytes([0, 1, 0xFF, 0x80])),
            ("no_bytes", .bytes([])), ("set", .set([.int(1), .int(2)])),
            ("int_keys", .dict(PickleDict(kind: .dict, entries: [(key: .int(0), value: .tensor(t)), (key: .int(1), value: .tensor(t))]))),
            ("ordered", .orderedDict([("z", .int(1)), ("a", .int(2))])),
            ("long_list", .list((0..<2500).map { .int($0) })),
            ("bare_storage", .storage(PickledStorage(storageClass: GlobalRef(module: "torch", name: "FloatStorage"), itemSize: 4, storage: t.storage))),
        ])
        for format in [CheckpointFormat.zip, .legacy] {
            let url = dir.appendingPathComponent("values_\(format).pt")
            try saveCheckpoint(value, to: url, format: format)
            let back = try loadCheckpoint(contentsOf: url)
            XCTAssertEqual(describe(back), describe(value), "\(format)")
            guard case .dict(let d) = back, case .dict(let keyed)? = d["int_keys"],
                  case .tensor(let a) = keyed.entries[0].value, case .tensor(let b) = keyed.entries[1].value else { return XCTFail() }
            XCTAssertTrue(a.storage === b.storage, "one tensor written twice keeps one storage")
        }
    }

    /// A canonical text of a value tree (tensors by dtype/shape/bytes) for equality checks.
    func describe(_ v: PickleValue) -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return "\(b)"
        case .int(let i): return "int \(i)"
        case .bigInt(let b): return "big \(b)"
        case .float(let d): return "float \(d.bitPattern)"
        case .string(let s): return "str \(s.debugDescription)"
        case .bytes(let b): return "bytes \(b)"
        case .list(let xs): return "[" + xs.map(describe).joined(separator: ", ") + "]"
        case .tuple(let xs): return "(" + xs.map(describe).joined(separator: ", ") + ")"
        case .set(let xs): return "{" + xs.map(describe).joined(separator: ", ") + "}"
        case .dict(let d): return "\(d.kind){" + d.entries.map { describe($0.key) + ": " + describe($0.value) }.joined(separator: ", ") + "}"
        case .tensor(let t): return "tensor \(t.dtype) \(t.shape) \(t.strides) \(t.offset) \(Self.rawBytes(t))"
        case .opaqueTensor(let o): return "opaque \(o.dtypeName) \(o.shape)"
        case .quantizedTensor(let q): return "q \(q.dtypeName)"
        case .storage(let st): return "storage \(st.storageClass) \(Array(UnsafeRawBufferPointer(start: st.storage.bytes, count: st.storage.byteCount)))"
        case .global(let g): return "global \(g)"
        case .object(let o): return "obj \(o.type) \(o.construction) \(o.args.map(describe)) \(o.state.map(describe) ?? "-")"
        }
    }

    func testWholeModelRecordsRoundTripAndYieldTheStateDict() throws {
        let dir = try Fixtures.temporaryDirectory()
        let w = Self.patterned([4, 3, 3, 3], .float32), b = Self.patterned([4], .float32, seed: 1)
        let conv = ModuleRecord.make(type: GlobalRef(qualifiedName: "torch.nn.modules.conv.Conv2d"),
                                     parameters: [("weight", w), ("bias", b)],
                                     attributes: [("in_channels", .int(3)), ("kernel_size", .tuple([.int(3), .int(3)]))])
        let bn = ModuleRecord.make(type: GlobalRef(qualifiedName: "torch.nn.modules.batchnorm.BatchNorm2d"),
                                   parameters: [("weight", b), ("bias", nil)],
                                   buffers: [("running_mean", Self.patterned([4], .float32, seed: 2)), ("scratch", b),
                                             ("num_batches_tracked", Self.patterned([], .int64))],
                                   nonPersistentBuffers: ["scratch"])
        let model = ModuleRecord.make(type: GlobalRef(module: "__main__", name: "Net"),
                                      modules: [("conv", conv), ("bn", bn), ("act", ModuleRecord.make(type: GlobalRef(qualifiedName: "torch.nn.modules.activation.ReLU")))],
                                      attributes: [("scale", .float(0.5))])
        for format in [CheckpointFormat.zip, .legacy] {
            let url = dir.appendingPathComponent("model_\(format).pt")
            try saveCheckpoint(model, to: url, format: format)
            let sd = try loadStateDict(contentsOf: url)
            XCTAssertEqual(sd.map(\.key), ["conv.weight", "conv.bias", "bn.weight", "bn.running_mean", "bn.num_batches_tracked"])
            XCTAssertEqual(sd[0].tensor.floats(), w.floats())
            guard case .object(let root) = try loadCheckpoint(contentsOf: url) else { return XCTFail("not an object") }
            XCTAssertEqual(root.type, GlobalRef(module: "__main__", name: "Net"))
        }
    }

    func testLoadedFixtureRewritesIdentically() throws {
        // Load torch's legacy file, write zip and legacy, load both: same tensors as torch's zip twin.
        let dir = try Fixtures.temporaryDirectory()
        let reference = try loadStateDict(contentsOf: Fixtures.checkpoints.appendingPathComponent("sd_zip.pt"))
        let fromLegacy = try loadStateDict(contentsOf: Fixtures.checkpoints.appendingPathComponent("sd_legacy.pt"))
        for format in [CheckpointFormat.zip, .legacy] {
            let url = dir.appendingPathComponent("re.\(format).pt")
            try saveStateDict(fromLegacy, to: url, format: format)
            let back = try loadStateDict(contentsOf: url)
            XCTAssertEqual(back.map(\.key), reference.map(\.key))
            for (a, b) in zip(reference, back) { XCTAssertEqual(Self.rawBytes(a.tensor), Self.rawBytes(b.tensor), a.key) }
        }
    }

    /// torch's quantized_zip.pt (per-tensor qint8, per-channel quint8) rewritten in both formats reads back
    /// with the same integers, scales and zero points (interop checks torch reads it too).
    func testQuantizedTensorsRoundTrip() throws {
        let original = try loadCheckpoint(contentsOf: Fixtures.checkpoints.appendingPathComponent("quantized_zip.pt"))
        let dir = try Fixtures.temporaryDirectory()
        for format in [CheckpointFormat.zip, .legacy] {
            let url = dir.appendingPathComponent("q_\(format).pt")
            try saveCheckpoint(original, to: url, format: format)
            let back = try loadCheckpoint(contentsOf: url)
            guard case .dict(let a) = original, case .dict(let b) = back else { return XCTFail("not dicts") }
            for key in ["q_per_tensor", "q_per_channel"] {
                guard case .quantizedTensor(let qa)? = a[key], case .quantizedTensor(let qb)? = b[key] else { return XCTFail(key) }
                XCTAssertEqual(qa.dtypeName, qb.dtypeName)
                XCTAssertEqual(qa.integers.integers(), qb.integers.integers(), key)
                XCTAssertEqual(try qa.dequantized().scalars(), try qb.dequantized().scalars(), key)
            }
        }
    }

    func testWritesAreAtomicAndErrorsLeaveNoFile() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("keep.pt")
        try saveStateDict([("a", Self.patterned([2], .float32))], to: url, format: .zip)
        let before = try Data(contentsOf: url)
        // Two dtypes on one storage cannot be written (as in torch): the old file must survive untouched.
        let s = Self.patterned([4], .float32)
        let alias = Tensor(storage: s.storage, shape: [4], strides: [1], dtype: .int32)
        assertCheckpointError("different types") { try saveStateDict([("f", s), ("i", alias)], to: url, format: .zip) }
        XCTAssertEqual(try Data(contentsOf: url), before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0 != "keep.pt" }
        XCTAssertEqual(leftovers, [])
    }

    func testNotAStateDictErrorsSayWhatWasFound() throws {
        let dir = try Fixtures.temporaryDirectory()
        let url = dir.appendingPathComponent("list.pt")
        try saveCheckpoint(.list([.int(1)]), to: url, format: .zip)
        assertCheckpointError("the file holds a list") { _ = try loadStateDict(contentsOf: url) }
        let url2 = dir.appendingPathComponent("dict.pt")
        try saveCheckpoint(.stringDict([("epoch", .int(3))]), to: url2, format: .legacy)
        assertCheckpointError("keys ['epoch']") { _ = try loadStateDict(contentsOf: url2) }
    }
}
