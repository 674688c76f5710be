import CQuantKernels
import Foundation
import XCTest
import Tensors
@testable import Quantization

/// Timings, not assertions: per-layer cost of the quantized convolution at CarSegNet 480² (the Quantization and
/// C kernel targets are optimised even in debug builds). Runs only with MLUS_PERF=1:
///   MLUS_PERF=1 OMP_NUM_THREADS=2 swift test --filter QuantizedConvolutionPerfTests
final class QuantizedConvolutionPerfTests: XCTestCase {
    /// (input channels, output channels, input size, stride, kernel) of CarSegNet's convolutions at 480².
    static let layers: [(Int, Int, Int, Int, Int)] = [
        (3, 16, 480, 2, 3), (16, 16, 240, 1, 3), (16, 32, 240, 2, 3), (32, 32, 120, 1, 3), (32, 64, 120, 2, 3),
        (64, 64, 60, 1, 3), (64, 128, 60, 2, 3), (128, 128, 30, 1, 3), (192, 64, 60, 1, 3), (96, 32, 120, 1, 3),
        (48, 16, 240, 1, 3), (16, 1, 240, 1, 1),
    ]

    private func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times = [Double]()
        for _ in 0..<runs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        return times.sorted()[times.count / 2]
    }

    func testCarSegNetLayerTimes() throws {
        guard ProcessInfo.processInfo.environment["MLUS_PERF"] == "1" else { throw XCTSkip("set MLUS_PERF=1 to time") }
        guard let engine = IntegerConvolutionEngine.available else { throw XCTSkip("no exact integer kernels") }
        var totals = [String: Double]()
        for (c, o, size, stride, k) in Self.layers {
            let x = Tensor((0..<(c * size * size)).map { Float(($0 * 7919) % 1000) / 500 - 1 }, shape: [1, c, size, size])
            let w = Tensor((0..<(o * c * k * k)).map { Float(($0 * 104729) % 1000) / 500 - 1 }, shape: [o, c, k, k])
            let geometry = ExactIntegerConvolution.Geometry(stride: [stride], padding: [k / 2])
            var row = "conv \(c)->\(o) @\(size) s\(stride):"
            for dtype in QuantDType.allCases {
                let t = try median(5) {
                    _ = try QuantizedCompute.conv2d(x, weight: w, bias: nil, geometry: geometry, dtype: dtype, inputScale: 100, weightScales: [100])
                }
                totals["fast " + dtype.rawValue, default: 0] += t
                row += String(format: " %@ %.2f ms", dtype.rawValue, t)
                // Phases: quantize, oneDNN convolution(s), dequantize.
                var shape: [Int64] = [1, Int64(c), Int64(size), Int64(size)], strides = x.strides.map(Int64.init)
                let high = UnsafeMutablePointer<Int8>.allocate(capacity: c * size * size)
                let low = UnsafeMutablePointer<UInt8>.allocate(capacity: c * size * size)
                defer { high.deallocate(); low.deallocate() }
                let tq = median(5) {
                    mlus_quantize_to_nhwc(x.baseAddress.assumingMemoryBound(to: Float.self), &shape, &strides, 100, nil, nil,
                                          dtype == .int16 ? 1 : 0, high, low, Int64(c), 0, nil, nil)
                }
                totals["quantize " + dtype.rawValue, default: 0] += tq
                row += String(format: " (q %.2f", tq)
                let og = dtype == .int16 ? 2 * o + 1 : o
                let problem = IntegerConvolutionProblem(signedSource: true, n: 1, c: c, h: size, w: size, outChannels: og, groups: 1,
                                                        kh: k, kw: k, stride: (stride, stride), padding: (k / 2, k / 2), dilation: (1, 1))
                let acc = UnsafeMutablePointer<Int32>.allocate(capacity: problem.outputCount)
                defer { acc.deallocate() }
                let weights = IntegerWeights(codes: [Int8](repeating: 3, count: og * c * k * k), dims: problem.weightDims)
                let tc = try engine.lock.withLock { () -> Double in
                    let p = try engine.primitive(for: problem)
                    let wp = try weights.reordered(for: p, engine: engine)
                    if dtype == .int8 { print("  impl", p.implementation) }
                    return try median(5) { try p.run(engine, source: UnsafeMutableRawPointer(high), weights: wp, destination: acc) }
                }
                totals["conv " + dtype.rawValue, default: 0] += tc
                row += String(format: ", conv %.2f", tc)
                var outStrides: [Int64] = Tensor.contiguousStrides(for: [1, o, problem.oh, problem.ow]).map(Int64.init)
                let out = UnsafeMutablePointer<Float>.allocate(capacity: o * problem.oh * problem.ow)
                defer { out.deallocate() }
                let divisors = [Double](repeating: 10000, count: o)
                let td = median(5) {
                    _ = mlus_dequantize_nhwc(acc, dtype == .int16 ? acc : nil, dtype == .int16 ? acc : nil, dtype == .int16 ? acc : nil, dtype == .int16 ? 2 : 1, 1, Int64(problem.oh), Int64(problem.ow),
                                             1, Int64(o), divisors, nil, nil, nil, 0, out, &outStrides)
                }
                totals["dequantize " + dtype.rawValue, default: 0] += td
                row += String(format: ", dq %.2f)", td)
            }
            let tf = try median(5) { _ = try x.conv2d(weight: w, bias: nil, stride: [stride], padding: [k / 2]) }
            totals["fp32 conv", default: 0] += tf
            row += String(format: " fp32 %.2f", tf)
            let tr = try median(1) {
                _ = try QuantizedCompute.referenceConv2d(x, weight: w, bias: nil, geometry: geometry, dtype: .int8, inputScale: 100, weightScales: [100])
            }
            totals["reference int8", default: 0] += tr
            row += String(format: " ref-int8 %.2f", tr)
            print(row)
        }
        for (k, v) in totals.sorted(by: { $0.key < $1.key }) { print(String(format: "TOTAL %@ %.2f ms", k, v)) }
    }
}
