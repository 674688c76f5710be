import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// Every real PyTorch-written fixture loads and matches what PyTorch reported (manifest.json).
final class FixtureTests: XCTestCase {
    func testEveryCheckpointFixtureMatchesManifest() throws {
        let manifest = try Fixtures.json(Fixtures.checkpoints.appendingPathComponent("manifest.json"))
        XCTAssertGreaterThanOrEqual(manifest.count, 11)
        for (name, info) in manifest.sorted(by: { $0.key < $1.key }) {
            guard let info = info as? [String: Any], let entries = info["entries"] as? [String: [String: Any]] else { continue }
            let url = Fixtures.checkpoints.appendingPathComponent(name)
            guard info["loads_in_torch"] as? Bool == true else {
                XCTAssertThrowsError(try loadCheckpoint(contentsOf: url), name)
                continue
            }
            let value = try loadCheckpoint(contentsOf: url)
            if entries["<module>"] != nil {
                try checkWholeModel(value, entries: entries, name: name)
                continue
            }
            var flat: [String: PickleValue] = [:]
            flatten(value, into: &flat)
            for (key, expected) in entries {
                guard let got = flat[key] else { XCTFail("\(name): key \(key) missing; have \(flat.keys.sorted())"); continue }
                if let repr = expected["value"] as? String {
                    XCTAssertEqual(pythonRepr(got), repr, "\(name) \(key)")
                    continue
                }
                switch got {
                case .tensor(let t): assertMatches(t, expected, key: "\(name) \(key)")
                case .opaqueTensor(let o):
                    XCTAssertEqual(o.dtypeName, expected["dtype"] as? String, "\(name) \(key)")
                    XCTAssertEqual(o.shape, expected["shape"] as? [Int], "\(name) \(key)")
                    XCTAssertEqual(o.strides, expected["stride"] as? [Int], "\(name) \(key)")
                    XCTAssertEqual(opaqueValues(o), expected["first"] as? [Double], "\(name) \(key)")
                case .quantizedTensor(let q):
                    XCTAssertEqual(q.dtypeName, expected["dtype"] as? String, "\(name) \(key)")
                    let real = try q.dequantized()
                    assertMatches(real.scalars(), dtype: q.dtypeName, shape: real.shape, strides: nil, expected: expected, key: "\(name) \(key)")
                default:
                    XCTFail("\(name) \(key): a \(got.typeName), expected a tensor")
                }
            }
        }
    }

    /// Decodes the opaque dtypes of dtypes_zip.pt independently (uint16 LE; float8_e4m3fn; complex64 real part).
    private func opaqueValues(_ o: OpaqueTensor) -> [Double] {
        var out: [Double] = []
        let n = o.shape.reduce(1, *)
        for i in 0..<n {
            let at = (o.offset + i * (o.strides.last ?? 1)) * o.itemSize
            let p = o.storage.bytes + at
            switch o.dtypeName {
            case "uint16": out.append(Double(UInt16(p.load(as: UInt8.self)) | UInt16(p.load(fromByteOffset: 1, as: UInt8.self)) << 8))
            case "complex64": out.append(Double(Float(bitPattern: p.loadUnaligned(as: UInt32.self))))
            case "float8_e4m3fn":
                let b = p.load(as: UInt8.self)
                let sign: Double = b & 0x80 != 0 ? -1 : 1
                let e = Int((b >> 3) & 0xF), m = Double(b & 7)
                out.append(e == 0 ? sign * m / 8 * pow(2, -6) : sign * (1 + m / 8) * pow(2, Double(e - 7)))
            default: out.append(.nan)
            }
        }
        return out
    }

    private func checkWholeModel(_ value: PickleValue, entries: [String: [String: Any]], name: String) throws {
        guard case .object(let record) = value else { return XCTFail("\(name): a \(value.typeName), expected a module record") }
        XCTAssertEqual(record.type.name, entries["<module>"]?["class"] as? String)
        let sd = try stateDict(in: value)
        let tensors = entries.filter { $0.key != "<module>" }
        XCTAssertEqual(Set(sd.map(\.key)), Set(tensors.keys), name)
        for (key, t) in sd {
            guard let expected = tensors[key] else { continue }
            assertMatches(t, expected, key: "\(name) \(key)")
        }
    }

    func testCarSegFixturesMatchPyTorch() throws {
        let manifest = try Fixtures.json(Fixtures.repoRoot.appendingPathComponent("scripts/interop/expected/carseg_manifest.json"))
        XCTAssertEqual(manifest.count, 3)
        for (name, info) in manifest {
            guard let info = info as? [String: Any], let keys = info["keys"] as? [String],
                  let entries = info["entries"] as? [String: [String: Any]] else { return XCTFail("bad manifest entry \(name)") }
            let sd = try loadStateDict(contentsOf: Fixtures.carseg.appendingPathComponent(name))
            XCTAssertEqual(sd.map(\.key), keys, "\(name): key order must equal model.state_dict()")
            for (key, t) in sd {
                if let expected = entries[key] { assertMatches(t, expected, key: "\(name) \(key)") }
            }
        }
    }

    func testFormatsAndSharingAreReported() throws {
        let zip = try readCheckpoint(contentsOf: Fixtures.checkpoints.appendingPathComponent("checkpoint_zip.pt"))
        XCTAssertEqual(zip.format, .zip)
        XCTAssertEqual(zip.pickleProtocol, 2)
        let legacy = try readCheckpoint(contentsOf: Fixtures.checkpoints.appendingPathComponent("checkpoint_legacy.pt"))
        XCTAssertEqual(legacy.format, .legacy)
        for loaded in [zip, legacy] {
            guard case .dict(let d) = loaded.value, let base = d["base"]?.tensorValue, let t = d["transposed"]?.tensorValue,
                  let row = d["row1"]?.tensorValue else { return XCTFail("missing shared tensors") }
            XCTAssertTrue(base.storage === t.storage && base.storage === row.storage, "views must share one storage")
            XCTAssertEqual(row.offset, 3)
            XCTAssertEqual(t.floats(), [0, 3, 1, 4, 2, 5])
            if case .bigInt = d["big_int"]! { XCTFail("2**40 fits 64 bits") }
        }
    }

    func testStateDictFromCheckpointDataParallelAndWholeModel() throws {
        let plain = try loadStateDict(contentsOf: Fixtures.checkpoints.appendingPathComponent("sd_zip.pt"))
        let expectedKeys = ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"]
        XCTAssertEqual(plain.map(\.key), expectedKeys)
        let dp = try loadStateDict(contentsOf: Fixtures.checkpoints.appendingPathComponent("dataparallel_sd.pt"))
        XCTAssertEqual(dp.map(\.key), expectedKeys)
        let ckpt = try loadStateDict(contentsOf: Fixtures.checkpoints.appendingPathComponent("checkpoint_legacy.pt"))
        XCTAssertEqual(ckpt.map(\.key), expectedKeys)
        // TestModel: conv, bn, relu children; state_dict() order is conv.*, then bn.* (weight, bias, buffers).
        let whole = try loadStateDict(contentsOf: Fixtures.checkpoints.appendingPathComponent("whole_model_legacy.pt"))
        XCTAssertEqual(whole.map(\.key), ["conv.weight", "conv.bias", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"])
        XCTAssertEqual(whole.last?.tensor.integers(), [0])  // manifest: sum 0 (never trained)
    }
}

/// The module tree and inspect summary of torch-written whole models and state dicts.
final class ModuleTreeTests: XCTestCase {
    func testWholeModelTreeOfTorchFixture() throws {
        let tree = try ModuleTree(loadCheckpoint(contentsOf: Fixtures.checkpoints.appendingPathComponent("whole_model_zip.pt")))
        XCTAssertEqual(tree.type, GlobalRef(module: "__main__", name: "TestModel"))
        XCTAssertEqual(tree.children.map(\.name), ["conv", "bn", "relu"])
        XCTAssertEqual(tree.classTree(), ["__main__.TestModel", "  (conv): torch.nn.modules.conv.Conv2d",
                                          "  (bn): torch.nn.modules.batchnorm.BatchNorm2d", "  (relu): torch.nn.modules.activation.ReLU"])
        // Reference §3.6: TestModel has `scale = 0.5`; Conv2d keeps in_channels 3 and kernel_size (3, 3).
        guard case .float(let scale)? = tree.attributes.first(where: { $0.name == "scale" })?.value else { return XCTFail("no scale") }
        XCTAssertEqual(scale, 0.5)
        let conv = try XCTUnwrap(tree.children[0].module)
        XCTAssertEqual(conv.attributes.first(where: { $0.name == "in_channels" })?.value.intValue, 3)
        guard case .tuple(let k)? = conv.attributes.first(where: { $0.name == "kernel_size" })?.value else { return XCTFail() }
        XCTAssertEqual(k.compactMap(\.intValue), [3, 3])
        XCTAssertEqual(conv.parameters.map(\.name), ["weight", "bias"])
    }

    func testSummaryOfCarSegLegacyModel() throws {
        let loaded = try readCheckpoint(contentsOf: Fixtures.carseg.appendingPathComponent("carsegnet_model_legacy.pth"))
        let summary = CheckpointSummary(loaded)
        XCTAssertEqual(summary.format, .legacy)
        XCTAssertEqual(summary.kind, "carsegnet.CarSegNet")
        let manifest = try Fixtures.json(Fixtures.repoRoot.appendingPathComponent("scripts/interop/expected/carseg_manifest.json"))
        let info = try XCTUnwrap(manifest["carsegnet_model_legacy.pth"] as? [String: Any])
        XCTAssertEqual(summary.entries.map(\.key), info["keys"] as? [String])
        let entries = try XCTUnwrap(info["entries"] as? [String: [String: Any]])
        let numel = entries.values.reduce(0) { $0 + (($1["shape"] as? [Int]) ?? []).reduce(1, *) }
        XCTAssertEqual(summary.totalElements, numel)
        XCTAssertEqual(summary.classTree?.first, "carsegnet.CarSegNet")
    }
}
