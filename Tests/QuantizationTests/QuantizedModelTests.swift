import XCTest
import NN
import Tensors
@testable import Quantization

/// The module swap, the state dict of reference §3, the two-step load, firstconv and the bad-input errors.
final class QuantizedModelTests: XCTestCase {
    /// conv(3→4, 3x3) · BN · ReLU · conv(4→2, 1x1, no bias) · ConvTranspose2d; plus a Linear(2→3) head model.
    private func makeNet() throws -> Sequential {
        try Sequential([
            Conv2d(3, 4, kernelSize: [3], padding: [1]), BatchNorm2d(4), ReLU(inplace: false),
            Conv2d(4, 2, kernelSize: [1], bias: false), ConvTranspose2d(2, 2, kernelSize: [2], stride: [2]),
        ])
    }

    private func input(_ seed: Float = 1) -> Tensor {
        Tensor((0..<48).map { Float(($0 * 37) % 17) / 8 - 1 + seed * 0.01 }, shape: [1, 3, 4, 4])
    }

    private func config(_ body: (inout QConfig) -> Void) -> QConfig {
        var c = QConfig()
        body(&c)
        return c
    }

    func testSwapsExactConvAndLinearOnly() throws {
        let net = try makeNet()
        let q = try quantizeDynamicMLU(net, qconfig: config { $0.firstConv = false }, genQuant: true, warn: { _ in })
        let names = q.namedModules().map { "\($0.name):\($0.module.typeName)" }
        XCTAssertEqual(names, ["0:MLUConv2d", "1:BatchNorm2d", "2:ReLU", "3:MLUConv2d", "4:ConvTranspose2d"].map { $0 }.reduce(into: [":Sequential"]) { $0.append($1) })
        XCTAssertTrue(net.child("0") is Conv2d && !(net.child("0") is MLUConv2d), "the float model is left alone without inplace")
        XCTAssertFalse(net.child("1") === q.child("1"), "BatchNorm is deep-copied")
        XCTAssertFalse(q.training)
        let linear = try quantizeDynamicMLU(try Linear(2, 3), warn: { _ in })
        XCTAssertTrue(linear is MLULinear)
        let onlyLinear = try quantizeDynamicMLU(try makeNet(), mapping: [.linear], warn: { _ in })
        XCTAssertFalse(onlyLinear.child("0") is MLUConv2d)
    }

    /// Keys, dtypes and shapes of reference §3 for a per-tensor model with firstconv and a per-channel model.
    func testStateDictKeysDtypesShapes() throws {
        let q = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.mean = [0.5, 0.5, 0.5]; $0.std = [0.25, 0.25, 0.25] },
                                       dtype: .int16, genQuant: true, warn: { _ in })
        _ = try q.forward(input())
        let sd = try quantizedStateDict(q)
        let layout = sd.map { "\($0.key) \($0.tensor.dtype.torchName) \($0.tensor.shape)" }
        XCTAssertEqual(Array(layout.prefix(7)), [
            "0.weight torch.float32 [4, 3, 3, 3]", "0.bias torch.float32 [4]", "0.scale torch.float32 [2]",
            "0.quantized_mode torch.int32 [1]", "0.input_mean torch.float32 [1, 3, 1, 1]", "0.input_std torch.float32 [1, 3, 1, 1]",
            "1.weight torch.float32 [4]",
        ])
        XCTAssertTrue(layout.contains("3.weight torch.float32 [2, 4, 1, 1]"))
        XCTAssertTrue(layout.contains("3.scale torch.float32 [2]"))
        XCTAssertFalse(layout.contains { $0.hasPrefix("3.bias") || $0.hasPrefix("3.input_mean") })
        XCTAssertEqual(sd.first { $0.key == "0.quantized_mode" }?.tensor.integers(), [2])
        XCTAssertEqual(sd.first { $0.key == "0.input_mean" }?.tensor.floats(), [127.5, 127.5, 127.5])
        XCTAssertEqual(sd.first { $0.key == "0.input_std" }?.tensor.floats(), [63.75, 63.75, 63.75])

        let pc = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.perChannel = true; $0.firstConv = false }, genQuant: true, warn: { _ in })
        _ = try pc.forward(input())
        let pcsd = try quantizedStateDict(pc)
        let pcLayout = pcsd.filter { $0.key.hasPrefix("0.") }.map { "\($0.key) \($0.tensor.dtype.torchName) \($0.tensor.shape)" }
        XCTAssertEqual(pcLayout, ["0.weight torch.float32 [4, 3, 3, 3]", "0.bias torch.float32 [4]", "0.scale torch.float32 [2]",
                                  "0.quantized_mode torch.int32 [1]", "0.scale_weight_per_channel torch.float32 [4]",
                                  "0.quantized_by_channel torch.int64 [1]"])
        XCTAssertEqual(pcsd.first { $0.key == "0.scale" }?.tensor.floats()[1], 0)
        XCTAssertEqual(pcsd.first { $0.key == "0.quantized_by_channel" }?.tensor.integers(), [1])
    }

    /// The scales are `qmax / absmax` of what the layers saw: layer 0's input absmax over the two calls
    /// (running min/max), layer 3's weight absmax per channel.
    func testScalesFromObserversAndWeights() throws {
        let net = try makeNet()
        let q = try quantizeDynamicMLU(net, qconfig: config { $0.firstConv = false; $0.iteration = 2; $0.perChannel = true }, genQuant: true, warn: { _ in })
        let a = input(), b = try a.binary(.mul, scalar: 3)
        _ = try q.forward(a)
        _ = try q.forward(b)
        _ = try q.forward(try a.binary(.mul, scalar: 100))   // third call: past iteration=2, ignored
        let sd = try quantizedStateDict(q)
        let absmax = b.floats().map(abs).max() ?? 0
        XCTAssertEqual(sd.first { $0.key == "0.scale" }?.tensor.floats()[0] ?? 0, 127 / absmax, accuracy: 1e-4)
        let w = try XCTUnwrap(net.child("3")?.parameter("weight")).floats()
        let expected = (0..<2).map { c in 127 / (w[(c * 4)..<(c * 4 + 4)].map(abs).max() ?? 1) }
        let got = try XCTUnwrap(sd.first { $0.key == "3.scale_weight_per_channel" }?.tensor.floats())
        for (g, e) in zip(got, expected) { XCTAssertEqual(g, e, accuracy: e * 1e-6) }
    }

    /// Save → `quantizeDynamicMLU(float)` → load: same scales, same MLU outputs, per-channel and firstconv restored.
    func testRoundTripThroughTwoStepLoad() throws {
        MLUBackend.install()
        for perChannel in [false, true] {
            let net = try makeNet()
            let q = try quantizeDynamicMLU(net, qconfig: config { $0.perChannel = perChannel; $0.mean = [0.4, 0.5, 0.6]; $0.std = [0.2, 0.3, 0.25] },
                                           dtype: .int16, genQuant: true, warn: { _ in })
            _ = try q.forward(input())
            let sd = try quantizedStateDict(q)
            let fresh = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.firstConv = false }, warn: { _ in })
            try loadQuantizedStateDict(fresh, sd)
            XCTAssertEqual(fresh.stateDict().map(\.key), sd.map(\.key))
            let raw = try input().binary(.mul, scalar: 100).binary(.add, scalar: 120)
            let y1 = try q.to(Device.mlu).forward(raw.to(Device.mlu)).floats()
            let y2 = try fresh.to(Device.mlu).forward(raw.to(Device.mlu)).floats()
            XCTAssertEqual(y1, y2)
            let layer = try XCTUnwrap(fresh.child("0") as? MLUConv2d)
            XCTAssertEqual(layer.quantization.dtype, .int16)
            XCTAssertEqual(layer.quantization.perChannel, perChannel)
            XCTAssertEqual(layer.quantization.runtimeMode, perChannel ? 4 : 2)
            XCTAssertEqual(layer.quantization.firstConv?.mean255, [102, 127.5, 153])
        }
    }

    /// firstconv on the MLU: mean 0.5, std 0.25 → input_mean 127.5, input_std 63.75.
    /// Raw pixels [255, 0, 127.5, 191.25] → (x - 127.5)/63.75 = [2, -2, 0, 1]; calibrated on those normalized
    /// values, absmax 2 → s_in = 63.5: q = [127, -127, 0, 63.5 → 64]; w = 1 → s_w 127, q_w 127.
    /// y = q·127/(63.5·127) = [2, -2, 0, 64/63.5 = 1.0078740].
    func testFirstConvNormalizesRawPixels() throws {
        MLUBackend.install()
        let conv = try Conv2d(1, 1, kernelSize: [1], bias: false)
        try conv.registerParameter("weight", Tensor([1], shape: [1, 1, 1, 1]))
        let q = try quantizeDynamicMLU(conv, qconfig: config { $0.mean = [0.5]; $0.std = [0.25] }, genQuant: true, warn: { _ in })
        _ = try q.forward(Tensor([2, -2, 0, 1], shape: [1, 1, 2, 2]))
        try prepareQuantizedStateDict(q)
        let y = try q.to(Device.mlu).forward(Tensor([255, 0, 127.5, 191.25], shape: [1, 1, 2, 2]).to(Device.mlu)).floats()
        let expected: [Float] = [2, -2, 0, 1.0078740]
        for (a, e) in zip(y, expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
    }

    /// FP16 mode: a half input gives a half output; the non-quantized ops round to FP16 too.
    func testHalfModeRoundsToFP16() throws {
        MLUBackend.install()
        let q = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.firstConv = false }, genQuant: true, warn: { _ in })
        _ = try q.forward(input())
        try prepareQuantizedStateDict(q)
        q.to(Device.mlu)
        let full = try q.forward(input().to(Device.mlu))
        q.half()
        let half = try q.forward(input().to(.float16).to(Device.mlu))
        XCTAssertEqual(half.dtype, .float16)
        XCTAssertEqual(full.dtype, .float32)
        let a = full.floats(), b = half.to(.float32).floats()
        let maxDiff = zip(a, b).map { abs($0 - $1) }.max() ?? 1
        XCTAssertGreaterThan(maxDiff, 0, "FP16 rounding changes something")
        XCTAssertLessThan(maxDiff, 0.05)
    }

    // MARK: errors

    func testUncalibratedLayerIsNamed() throws {
        let q = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.firstConv = false }, genQuant: true, warn: { _ in })
        XCTAssertThrowsError(try quantizedStateDict(q)) { error in
            XCTAssertEqual(error as? QuantizationError, .notCalibrated(layer: "0"))
        }
    }

    func testFirstConvNeedsOneThreeOrFourChannels() throws {
        let net = try Sequential([Conv2d(2, 4, kernelSize: [1])])
        XCTAssertThrowsError(try quantizeDynamicMLU(net, inplace: true, genQuant: true, warn: { _ in })) { error in
            XCTAssertTrue("\(error)".contains("2 input channels"), "\(error)")
        }
        XCTAssertFalse(net.child("0") is MLUConv2d, "nothing changed")
        XCTAssertNoThrow(try quantizeDynamicMLU(net, qconfig: config { $0.firstConv = false }, warn: { _ in }))
    }

    func testQuantizedStateDictIntoFloatModelExplainsTwoStepLoad() throws {
        let q = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.firstConv = false }, genQuant: true, warn: { _ in })
        _ = try q.forward(input())
        let sd = try quantizedStateDict(q)
        let float = try makeNet()
        XCTAssertThrowsError(try loadQuantizedStateDict(float, sd, strict: false)) { error in
            XCTAssertTrue("\(error)".contains("quantize_dynamic_mlu(model)"), "\(error)")
        }
    }

    func testFloatConvOnTheMLUSaysQuantizeFirst() throws {
        MLUBackend.install()
        let net = try makeNet()
        net.to(Device.mlu)
        XCTAssertThrowsError(try net.forward(input().to(Device.mlu))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("quantize_dynamic_mlu") && text.contains("Conv2d(3, 4"), text)
        }
    }

    func testMixedLayerMovesNamedLayersToInt16() throws {
        let q = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.firstConv = false }, dtype: .int8, genQuant: true,
                                       mixedLayers: ["3, 9": .int16], warn: { _ in })
        XCTAssertEqual((q.child("0") as? MLUConv2d)?.quantization.dtype, .int8)
        XCTAssertEqual((q.child("3") as? MLUConv2d)?.quantization.dtype, .int16)
    }

    func testUnknownQConfigKeysAreWarnedByName() throws {
        var warnings: [String] = []
        let c = try QConfig([("use_ave", .bool(true)), ("firstconv", .bool(false))])
        _ = try quantizeDynamicMLU(try makeNet(), qconfig: c, warn: { warnings.append($0) })
        XCTAssertTrue(warnings.contains { $0.contains("'use_ave'") }, "\(warnings)")
    }

    /// compare: single-layer errors of int16 are far smaller than int8's, and cosines are near 1.
    func testCompareReportsPerLayer() throws {
        let net = try makeNet()
        var reports: [QuantDType: AccuracyReport] = [:]
        for dtype in QuantDType.allCases {
            let q = try quantizeDynamicMLU(net, qconfig: config { $0.firstConv = false }, dtype: dtype, genQuant: true, warn: { _ in })
            _ = try q.forward(input())
            try prepareQuantizedStateDict(q)
            reports[dtype] = try compareQuantization(floatModel: net, quantizedModel: q, inputs: [input()])
        }
        let r8 = try XCTUnwrap(reports[.int8]), r16 = try XCTUnwrap(reports[.int16])
        XCTAssertEqual(r8.rows.map(\.name), ["0", "3"])
        XCTAssertGreaterThan(r8.rows[0].singleLayer.cosine, 0.999)
        XCTAssertLessThan(r16.rows[0].singleLayer.relativeError, r8.rows[0].singleLayer.relativeError / 50)
        XCTAssertGreaterThan(r8.rows[0].singleLayer.relativeError, 0)
        XCTAssertTrue(r8.text.contains("worst layer"))
    }

    /// A stateful module type the copier cannot rebuild: Catch's deepcopy fallback, in place with a warning.
    func testUncopyableModelIsQuantizedInPlaceWithWarning() throws {
        final class Custom: Module {
            override init() {
                super.init()
                try? registerParameter("gain", Tensor([2], shape: [1]))
                try? registerModule("conv", try? Conv2d(3, 2, kernelSize: [1]))
            }
        }
        let model = Custom()
        var warnings: [String] = []
        let q = try quantizeDynamicMLU(model, qconfig: config { $0.firstConv = false }, warn: { warnings.append($0) })
        XCTAssertTrue(q === model)
        XCTAssertTrue(model.child("conv") is MLUConv2d)
        XCTAssertTrue(warnings.contains { $0.contains("in place") }, "\(warnings)")
    }

    /// `calibrate` runs every input once: with iteration 3 and inputs scaled 1, 2, 3, 4 the fourth is ignored,
    /// so the recorded max is 3·max(input).
    func testCalibrateRunsEveryInput() throws {
        let q = try quantizeDynamicMLU(try makeNet(), qconfig: config { $0.firstConv = false; $0.iteration = 3 }, genQuant: true, warn: { _ in })
        let x = input()
        let n = try calibrate(q, inputs: try (1...4).map { try x.binary(.mul, scalar: Double($0)) })
        XCTAssertEqual(n, 4)
        let layer = try XCTUnwrap(q.child("0") as? MLUConv2d)
        XCTAssertEqual(layer.quantization.observer?.recordedCalls, 3)
        XCTAssertEqual(layer.quantization.observer?.ignoredCalls, 1)
        XCTAssertEqual(layer.quantization.observer?.max ?? 0, 3 * (x.floats().max() ?? 0), accuracy: 1e-5)
    }
}
