import Foundation
import XCTest
import NN
import Ops
import Tensors
@testable import MLU

/// Offline generation from a traced module (`ct.save_as_cambricon`) and the round trip through the
/// CNRT-style runtime; the settings' validation; SHA-256; the per-layer costs `mlus inspect` prints.
final class RuntimeOfflineTests: XCTestCase {
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    func testArmedRunWritesTheModelOnceAndItRoundTrips() throws {
        let settings = OfflineGenerationSettings()
        try settings.setCoreVersion("mlu220")
        try settings.setCoreNumber(4)
        let checkpoint = directory.appendingPathComponent("ckpt.pth")
        try Data("abc".utf8).write(to: checkpoint)
        settings.noteCheckpointLoaded(checkpoint.path)
        // A batch-preserving net (SegNet's [0, 0] subscript drops elements at batch 2: not storable).
        let m = try Sequential([Conv2d(3, 8, kernelSize: [3], padding: [1], bias: false), BatchNorm2d(8), ReLU(inplace: true),
                                Conv2d(8, 2, kernelSize: [1])])
        if let v = m.stateDict().first(where: { $0.key == "1.running_var" })?.tensor {
            let fresh = try Tensor.rand(v.shape, generator: Generator(seed: 10)).binary(.add, scalar: 0.5)
            v.baseAddress.copyMemory(from: fresh.baseAddress, byteCount: v.count * 4)
        }
        _ = m.eval()
        let x1 = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 11))
        let traced = try RuntimeTraceTests.traced(m, x1, settings: settings)

        _ = try traced(x1)   // not armed: nothing written
        XCTAssertNil(traced.lastGenerated)
        let name = directory.appendingPathComponent("seg").path
        try settings.saveAsCambricon(name)
        let x2 = try Tensor.randn([2, 3, 16, 16], generator: Generator(seed: 12))
        let fused = try traced(x2)
        XCTAssertEqual(traced.lastGenerated?.model, name + ".cambricon")
        XCTAssertTrue(FileManager.default.fileExists(atPath: name + ".cambricon_twins"))

        // Only the first run after arming writes.
        try FileManager.default.removeItem(atPath: name + ".cambricon_twins")
        _ = try traced(x2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: name + ".cambricon_twins"))
        try settings.saveAsCambricon("")
        XCTAssertNil(settings.armed)

        let loaded = try CNRTModel.load(path: name + ".cambricon")
        let t = loaded.model.target
        XCTAssertEqual([t.coreVersion.rawValue, "\(t.coreNumber)", "\(t.batch)"], ["MLU220", "4", "2"])
        XCTAssertNil(t.inputFormat)
        XCTAssertEqual(loaded.modelParallelism, 4)
        // SHA-256("abc"), FIPS 180-4 example.
        XCTAssertEqual(SHA256.hex(loaded.model.provenance.sourceSHA256),
                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(loaded.model.provenance.toolVersion, MLURuntime.toolVersion)
        XCTAssertEqual(loaded.model.provenance.quantizationSettings["source"], "ckpt.pth")
        let function = try loaded.extractFunction(named: "subnet0")
        XCTAssertEqual(function.inputs.map(\.shape), [[2, 16, 16, 3]])
        XCTAssertEqual(function.inputs.map(\.dataType), [.float32])
        XCTAssertEqual(function.outputs.map(\.shape), [[2, 16, 16, 2]])
        let y = try function.invoke([try CNRT.nchwToNHWC(x2)], executor: GraphOfflineExecutor())
        // FP32 parameters are stored bit-exactly: the file computes what fused mode computed.
        XCTAssertEqual(try CNRT.nhwcToNCHW(try XCTUnwrap(y.first)).floats(), fused.floats())
        XCTAssertLessThanOrEqual(LoweringTests.closeness(fused.floats(), try m(x2).floats()), 1)
    }

    func testHalfModelGivesFP16ParametersAndIO() throws {
        let settings = OfflineGenerationSettings()
        let m = try RuntimeTraceTests.model()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 13))
        let eager = try m(x)
        _ = m.half()
        let xh = x.to(.float16)
        let traced = try RuntimeTraceTests.traced(m, xh, settings: settings)
        let name = directory.appendingPathComponent("seg_fp16").path
        try settings.saveAsCambricon(name)
        let out = try traced(xh)
        XCTAssertEqual(out.dtype, .float16)
        let loaded = try CNRTModel.load(path: name + ".cambricon")
        XCTAssertEqual(loaded.model.inputs.map(\.dataType), [.float16])
        XCTAssertEqual(loaded.model.outputs.map(\.dataType), [.float16])
        XCTAssertTrue(loaded.model.constants.allSatisfy { $0.tensor.dtype == .float16 })
        XCTAssertEqual(loaded.model.provenance.sourceSHA256, [UInt8](repeating: 0, count: 32))
        let y = try loaded.extractFunction(named: "subnet0").invoke([try CNRT.nchwToNHWC(xh)], executor: GraphOfflineExecutor())
        // FP16 tolerance of docs/runtime.md against the FP32 eager model.
        let got = try CNRT.float16ToFloat32(try XCTUnwrap(y.first)).floats()
        XCTAssertLessThanOrEqual(LoweringTests.closeness(got, eager.floats(), rtol: 1e-2, atol: 5e-3), 1)
    }

    func testSettingsValidateBeforeChanging() throws {
        let s = OfflineGenerationSettings()
        try s.setCoreNumber(16)
        XCTAssertThrowsError(try s.setCoreVersion("MLU220")) { error in
            XCTAssertEqual(error as? DeviceError, .invalidCoreNumber(16, coreVersion: .mlu220, valid: [1, 4]))
        }
        XCTAssertEqual(s.coreVersion, .mlu270)
        try s.setCoreNumber(4)
        try s.setCoreVersion("MLU220")
        XCTAssertThrowsError(try s.setCoreNumber(16))
        XCTAssertEqual(s.coreNumber, 4)
        XCTAssertThrowsError(try s.setCoreVersion("MLU290"))
        XCTAssertThrowsError(try s.setInputFormat(4)) { XCTAssertEqual($0 as? RuntimeSettingsError, .invalidInputFormat(4)) }
        try s.setInputFormat(3)
        XCTAssertEqual(s.inputFormat, 3)
        XCTAssertThrowsError(try s.setDevice(2))
        try s.setDevice(-1)
        XCTAssertThrowsError(try s.saveAsCambricon(directory.path))
        XCTAssertNil(s.armed)
        try s.saveAsCambricon("a")
        XCTAssertEqual(s.claimPendingGeneration()?.name, "a")
        XCTAssertNil(s.claimPendingGeneration())
    }

    func testSHA256KnownAnswers() throws {
        // FIPS 180-4 / NIST CAVP examples.
        XCTAssertEqual(SHA256.hex(SHA256.hash([UInt8]())), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var h = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        XCTAssertEqual(SHA256.hex(h.finalize()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testLayerCostsAreHandDerived() throws {
        // conv 3→8, 3×3, pad 1 on 1×3×8×8 with FP32 weights, then relu.
        let conv = try Conv2d(3, 8, kernelSize: [3], padding: [1])
        let x = try Tensor.randn([1, 3, 8, 8], generator: Generator(seed: 14))
        let traced = try TracedModule(example: [x], namedTensors: conv.stateDict(), settings: OfflineGenerationSettings(),
                                      optimize: false) { [try TensorOps.relu(try conv($0[0]))] }
        let model = try traced.offlineModel(of: traced.graph, inputs: [x])
        let costs = try model.layerCosts()
        // The NHWC edge permutes are free on the card, and the ReLU runs inside the convolution (CNML fusion).
        XCTAssertEqual(costs.map(\.opKind), ["conv2d"])
        let c = costs[0]
        // MACs = 1·8·8·8 outputs × 3·3·3 = 13 824; operations = 2 × MACs.
        XCTAssertEqual(c.operations, 27_648)
        XCTAssertEqual(c.bytesRead, 3 * 64 * 4)          // input activations
        XCTAssertEqual(c.bytesWritten, 8 * 64 * 4)       // output activations
        XCTAssertEqual(c.weightBytes, (8 * 27 + 8) * 4)  // weight + bias, FP32
        XCTAssertEqual(c.computeDType, .float32)
        let estimate = try model.latencyEstimate()
        XCTAssertEqual(estimate.coreNumber, 1)
        XCTAssertEqual(estimate.layers.count, 1)
    }
}
