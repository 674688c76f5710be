import CQuantKernels
import Foundation
import XCTest
import Tensors
@testable import Quantization

/// The oneDNN integer fast path against the exact float32-chunk reference (`referenceConv2d`, itself checked
/// by hand-derived sums in IntegerConvolutionTests and by PyTorch in scripts/tests/quantize_carseg.sh):
/// every output must have the same bits.
final class FastIntegerConvolutionTests: XCTestCase {
    /// SplitMix64: a fixed, platform-independent sequence.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func float(_ lo: Float, _ hi: Float) -> Float { lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24) }
        mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
    }

    private func cpuHasVNNI() -> Bool {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
        return info.contains(" avx512_vnni") || info.contains(" avx_vnni")
    }

    private func requireFastPath() throws {
        guard QuantizedCompute.fastPathAvailable else {
            XCTAssertFalse(cpuHasVNNI(), "this CPU has VNNI, yet the oneDNN integer fast path is unavailable")
            throw XCTSkip("no exact oneDNN integer kernels on this CPU")
        }
    }

    private func bits(_ t: Tensor) -> [UInt32] { t.floats().map(\.bitPattern) }

    /// Runs the fast path (asserting it applies) and the reference; returns the number of differing outputs.
    @discardableResult
    private func compare(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry, dtype: QuantDType,
                         inputScale: Float, weightScales: [Float], normalization: FirstConvNormalization? = nil,
                         expectFast: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let fast = try FastIntegerConvolution.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype, inputScale: inputScale,
                                                     weightScales: weightScales, normalization: normalization)
        let reference = try QuantizedCompute.referenceConv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                             inputScale: inputScale, weightScales: weightScales, normalization: normalization)
        guard let fast else {
            XCTAssertFalse(expectFast, "fast path did not apply", file: file, line: line)
            let viaDispatch = try QuantizedCompute.conv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                          inputScale: inputScale, weightScales: weightScales, normalization: normalization)
            XCTAssertEqual(bits(viaDispatch), bits(reference), file: file, line: line)
            return 0
        }
        XCTAssertTrue(expectFast, "fast path applied where it should not", file: file, line: line)
        XCTAssertEqual(fast.shape, reference.shape, file: file, line: line)
        let a = bits(fast), b = bits(reference)
        let differing = zip(a, b).filter { $0 != $1 }.count
        XCTAssertEqual(differing, 0, "\(differing) of \(a.count) outputs differ (x \(x.shape), w \(weight.shape), \(geometry), \(dtype))",
                       file: file, line: line)
        return differing
    }

    private func tensor(_ values: [Float], _ shape: [Int], channelsLast: Bool = false) throws -> Tensor {
        let t = Tensor(values, shape: shape)
        return channelsLast ? try t.contiguous(memoryFormat: .channelsLast) : t
    }

    func testRandomGeometriesMatchReferenceBitForBit() throws {
        try requireFastPath()
        var rng = Generator(state: 8)
        for trial in 0..<120 {
            let groups = [1, 1, 1, 2, 3][rng.int(0...4)]
            let depthwise = rng.chance(0.15)
            let cg = depthwise ? 1 : rng.int(1...12), og = depthwise ? 1 : rng.int(1...12)
            let n = rng.int(1...2)
            let (kh, kw) = (rng.int(1...4), rng.int(1...4))
            let stride = [rng.int(1...3), rng.int(1...3)], dilation = [rng.int(1...2), rng.int(1...2)]
            let padding = [rng.int(0...2), rng.int(0...2)]
            let h = rng.int(max(1, (kh - 1) * dilation[0] + 1 - 2 * padding[0])...20)
            let w = rng.int(max(1, (kw - 1) * dilation[1] + 1 - 2 * padding[1])...20)
            let c = cg * groups, o = og * groups
            let dtype: QuantDType = rng.chance(0.5) ? .int8 : .int16
            let x = (0..<(n * c * h * w)).map { _ in rng.chance(0.1) ? 0 : rng.float(-3, 3) }
            let wt = (0..<(o * cg * kh * kw)).map { _ in rng.float(-1, 1) }
            let perChannel = rng.chance(0.5)
            let absmax = wt.map(abs).max() ?? 1
            // Scales a bit above the calibrated ones so that some values clamp to qmin/qmax.
            let inputScale = dtype.qmax / 2.5 * rng.float(0.8, 1.3)
            let weightScales = perChannel ? (0..<o).map { _ in dtype.qmax / absmax * rng.float(0.9, 1.4) } : [dtype.qmax / absmax]
            let bias = rng.chance(0.7) ? Tensor((0..<o).map { _ in rng.float(-2, 2) }, shape: [o]) : nil
            let normalization = rng.chance(0.2)
                ? FirstConvNormalization(mean255: (0..<c).map { _ in rng.float(0, 2) }, std255: (0..<c).map { _ in rng.float(0.5, 2) })
                : nil
            let geometry = ExactIntegerConvolution.Geometry(stride: stride, padding: padding, dilation: dilation, groups: groups)
            let differing = try compare(try tensor(x, [n, c, h, w], channelsLast: rng.chance(0.3)), weight: Tensor(wt, shape: [o, cg, kh, kw]),
                                        bias: bias, geometry: geometry, dtype: dtype, inputScale: inputScale, weightScales: weightScales,
                                        normalization: normalization)
            if differing > 0 { XCTFail("trial \(trial) differs"); return }
        }
    }

    /// A planar RGB image (three NCHW channels: the first convolution's input) takes the 8-pixel interleaving
    /// path; widths that leave a tail, int8 and int16 (whose window sums start from the per-pixel channel sums),
    /// raw pixels with the firstconv normalization, values clamping at both ends.
    func testPlanarThreeChannelInput() throws {
        try requireFastPath()
        var rng = Generator(state: 3)
        for (dtype, normalized, w) in [(QuantDType.int8, false, 21), (.int16, false, 16), (.int8, true, 19), (.int16, true, 35)] {
            let h = 5
            let x = (0..<(2 * 3 * h * w)).map { _ in normalized ? Float(rng.int(0...255)) : rng.float(-4, 4) }
            let weight = Tensor((0..<(4 * 3 * 9)).map { _ in rng.float(-1, 1) }, shape: [4, 3, 3, 3])
            let normalization = normalized ? FirstConvNormalization(mean255: [123.7, 116.3, 103.5], std255: [58.4, 57.1, 57.4]) : nil
            try compare(Tensor(x, shape: [2, 3, h, w]), weight: weight, bias: nil, geometry: .init(stride: [2], padding: [1]), dtype: dtype,
                        inputScale: dtype.qmax / 3, weightScales: [dtype.qmax], normalization: normalization)
        }
    }

    /// Codes at the ends of the ranges: inputs and weights clamp to −128/127 (int8) and −32768/32767 (int16),
    /// so the s8 source's +128 shift and the int16 split meet their largest values.
    func testExtremeCodesMatchReference() throws {
        try requireFastPath()
        for dtype in QuantDType.allCases {
            let (c, o, k) = (40, 6, 3)
            let x = (0..<(c * 7 * 7)).map { i -> Float in i % 3 == 0 ? 1e6 : (i % 3 == 1 ? -1e6 : (i % 2 == 0 ? 1 : -1)) }
            let wt = (0..<(o * c * k * k)).map { i -> Float in i % 5 == 0 ? -1e6 : 1e6 }
            for pad in [0, 1, 2] {
                try compare(Tensor(x, shape: [1, c, 7, 7]), weight: Tensor(wt, shape: [o, c, k, k]), bias: nil,
                            geometry: .init(padding: [pad]), dtype: dtype, inputScale: 1, weightScales: [1])
                try compare(Tensor(x, shape: [1, c, 7, 7]), weight: Tensor(Array(wt[0..<(o * c / 2 * k * k)]), shape: [o, c / 2, k, k]),
                            bias: Tensor([Float](repeating: 0.5, count: o), shape: [o]),
                            geometry: .init(padding: [pad], groups: 2), dtype: dtype, inputScale: 1, weightScales: (0..<o).map { Float($0 + 1) })
            }
        }
    }

    /// int8 at the fast path's limit: 65536 products of (−128)·(−128) per output, 2^30, and of 127·(−128).
    /// int16: 4608 products of 32767·(−32768) ≈ −4.9·10^12, far beyond int32: recombined exactly.
    func testLargeSumsMatchReference() throws {
        try requireFastPath()
        let c8 = 65536
        let x8 = (0..<(2 * c8)).map { i -> Float in i < c8 ? -1e6 : 1e6 }   // batch 0: all −128; batch 1: all 127
        try compare(Tensor(x8, shape: [2, c8, 1, 1]), weight: Tensor([Float](repeating: -1e6, count: 2 * c8), shape: [2, c8, 1, 1]),
                    bias: nil, geometry: .init(), dtype: .int8, inputScale: 1, weightScales: [1])
        let c16 = 512
        let x16 = [Float](repeating: 1e9, count: c16 * 5 * 5)
        try compare(Tensor(x16, shape: [1, c16, 5, 5]), weight: Tensor([Float](repeating: -1e9, count: 3 * c16 * 9), shape: [3, c16, 3, 3]),
                    bias: nil, geometry: .init(padding: [1]), dtype: .int16, inputScale: 1, weightScales: [1])
    }

    /// More products per output than int32 can hold in oneDNN's shifted form: the reference path runs.
    func testBeyondTermLimitFallsBackToReference() throws {
        try requireFastPath()
        let c = IntegerConvolutionEngine.maxTerms + 1
        try compare(Tensor([Float](repeating: 1, count: c), shape: [1, c, 1, 1]), weight: Tensor([Float](repeating: 1, count: c), shape: [1, c, 1, 1]),
                    bias: nil, geometry: .init(), dtype: .int8, inputScale: 127, weightScales: [127], expectFast: false)
    }

    /// Scales 1·1 make the quotient the integer sum itself; sums just above 2^24 fall on float32 midpoints
    /// (2^24 + 1 lies halfway between 2^24 and 2^24 + 2), where the dequantizer must divide.
    func testDequantizationAtFloatMidpoints() throws {
        try requireFastPath()
        XCTAssertEqual(mlus_dequantize_fast_is_safe(16_777_217, 1), 0)   // 2^24 + 1: a midpoint
        XCTAssertEqual(mlus_dequantize_fast_is_safe(16_777_216, 1), 1)   // 2^24: a float
        XCTAssertEqual(mlus_dequantize_fast_is_safe(3, 1), 1)
        XCTAssertEqual(mlus_dequantize_fast_is_safe(0, 1), 1)
        XCTAssertEqual(mlus_dequantize_fast_is_safe(5, 1e-300 * 1e-20), 0)   // below float32's normal range
        // int16 codes: x = 1024 + j, w = 1 per tap over 16384 taps → sums 2^24 + 16384·j, and a few odd ones.
        let c = 16384
        var x = [Float](repeating: 1024, count: c * 4)
        x[c] = 1025; x[2 * c] = 1023; x[3 * c + 5] = 1027
        try compare(Tensor(x, shape: [1, c, 2, 2]), weight: Tensor([Float](repeating: 1, count: c), shape: [1, c, 1, 1]), bias: nil,
                    geometry: .init(), dtype: .int16, inputScale: 1, weightScales: [1])
    }

    /// Sums whose quotient lies within a few float64 ulps of a float32 midpoint, where `acc · (1/d)` and
    /// `acc / d` round to different floats (found by a search over scale-like divisors; e.g.
    /// 1503972631 / (56·224) rounds to 119895.781 but 1503972631 · fl(1/12544) to 119895.773). The
    /// dequantizer must detect them and divide. Each sum is built from int16 codes as
    /// `32767·32767 + 32767·(A − 32767) + B` with `A = acc / 32767`, `B = acc mod 32767`.
    func testDequantizationNearMidpointsDivides() throws {
        try requireFastPath()
        let cases: [(sIn: Float, sW: Float, acc: Int)] = [(56, 224, 1_503_972_631), (56, 224, 1_202_874_491),
                                                          (64, 196, 1_514_157_771), (49, 256, 1_189_586_279)]
        for (sIn, sW, acc) in cases {
            let a = acc / 32767, b = acc % 32767
            let xCodes: [Float] = [32767, 32767, Float(b)], wCodes: [Float] = [32767, Float(a - 32767), 1]
            let x = Tensor(xCodes.map { $0 / sIn }, shape: [1, 3, 1, 1])
            let w = Tensor((0..<4).flatMap { _ in wCodes.map { $0 / sW } }, shape: [4, 3, 1, 1])
            let expected = Float(Double(acc) / (Double(sIn) * Double(sW)))
            XCTAssertNotEqual(Float(Double(acc) * (1 / (Double(sIn) * Double(sW)))), expected, "not a discriminating case")
            let y = try XCTUnwrap(try FastIntegerConvolution.conv2d(x, weight: w, bias: nil, geometry: .init(), dtype: .int16, inputScale: sIn,
                                                                    weightScales: [sW], normalization: nil))
            XCTAssertEqual(y.floats(), [Float](repeating: expected, count: 4))
            try compare(x, weight: w, bias: nil, geometry: .init(), dtype: .int16, inputScale: sIn, weightScales: [sW])
        }
    }

    /// A changed weight (in place, same storage) or scale gives new codes, not the cached ones.
    func testWeightCacheFollowsWeightAndScaleChanges() throws {
        try requireFastPath()
        let x = Tensor((0..<(2 * 4 * 4)).map { Float($0 % 7) - 3 }, shape: [1, 2, 4, 4])
        let w = Tensor((0..<(3 * 2 * 9)).map { Float($0 % 5) - 2 }, shape: [3, 2, 3, 3])
        let first = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int8,
                                                inputScale: 20, weightScales: [30])
        w.baseAddress.assumingMemoryBound(to: Float.self)[4] = 1.75
        try compare(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int8, inputScale: 20, weightScales: [30])
        let second = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int8,
                                                 inputScale: 20, weightScales: [30])
        XCTAssertNotEqual(bits(first), bits(second))
        try compare(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int8, inputScale: 20, weightScales: [45])
        try compare(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int16, inputScale: 20, weightScales: [45])
    }

    /// Channels-last input gives channels-last output with the same values; FP16 input converts exactly.
    func testLayoutsAndHalfInput() throws {
        try requireFastPath()
        let values: [Float] = (0..<(2 * 8 * 6 * 5)).map { i -> Float in Float((i * 37) % 23) / 7 - 1.5 }
        let x = try tensor(values, [2, 8, 6, 5], channelsLast: true)
        let wv: [Float] = (0..<(4 * 8 * 9)).map { i -> Float in Float((i * 11) % 13) / 13 - 0.5 }
        let w = Tensor(wv, shape: [4, 8, 3, 3])
        let y = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int8, inputScale: 50, weightScales: [200])
        XCTAssertEqual(y.suggestedMemoryFormat, MemoryFormat.channelsLast)
        try compare(x, weight: w, bias: nil, geometry: .init(padding: [1]), dtype: .int8, inputScale: 50, weightScales: [200])
        try compare(x.to(DType.float16), weight: w.to(DType.float16), bias: nil, geometry: .init(stride: [2], padding: [1]), dtype: .int16,
                    inputScale: 5000, weightScales: [60000])
    }
}
