import XCTest
@testable import Tensors

/// oneDNN's linear resampling is used only where it computes PyTorch's numbers; check it against the C kernel
/// (whose PyTorch agreement the op fixtures test) on sizes the fixtures do not cover.
final class ResamplingPathTests: XCTestCase {
    func testOneDNNBilinearAgreesWithPyTorchRuleKernel() throws {
        let x = try Tensor.randn([2, 3, 17, 23], generator: Generator(seed: 5))
        for (size, scale) in [((34, 46), (2.0, 2.0)), ((9, 40), nil), ((17, 23), (1.0, 1.0))] as [((Int, Int), (Double, Double)?)] {
            XCTAssertTrue(Tensor.dnnlBilinearMatchesPyTorch(input: (17, 23), output: size, scaleFactor: scale, alignCorners: false))
            Tensor.useDNNLResampling = true
            let fast = try x.interpolate(size: size, scaleFactor: scale, mode: .bilinear, alignCorners: false)
            Tensor.useDNNLResampling = false
            let reference = try x.interpolate(size: size, scaleFactor: scale, mode: .bilinear, alignCorners: false)
            let worst = zip(fast.floats(), reference.floats()).map { Swift.abs($0 - $1) }.max() ?? 0
            XCTAssertLessThan(worst, 1e-5, "\(size)")
        }
        XCTAssertFalse(Tensor.dnnlBilinearMatchesPyTorch(input: (5, 7), output: (8, 11), scaleFactor: (1.7, 1.7), alignCorners: false))
        XCTAssertFalse(Tensor.dnnlBilinearMatchesPyTorch(input: (5, 7), output: (10, 14), scaleFactor: nil, alignCorners: true))
    }
}

extension ResamplingPathTests {
    func testResamplingPathSpeed() throws {
        guard ProcessInfo.processInfo.environment["MLUS_BENCH"] != nil else { throw XCTSkip("set MLUS_BENCH=1") }
        let x = try Tensor.randn([1, 64, 120, 120])
        for useDNNL in [true, false, true, false] {
            Tensor.useDNNLResampling = useDNNL
            _ = try x.interpolate(size: (240, 240), scaleFactor: (2, 2), mode: .bilinear, alignCorners: false)
            let t = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<20 { _ = try x.interpolate(size: (240, 240), scaleFactor: (2, 2), mode: .bilinear, alignCorners: false) }
            print("resample dnnl=\(useDNNL): \(Double(DispatchTime.now().uptimeNanoseconds - t) / 20e6) ms")
        }
        Tensor.useDNNLResampling = false
    }
}

/// oneDNN max pooling against the C kernel (whose PyTorch agreement the fixtures test), incl. ceil_mode and dilation.
final class MaxPoolPathTests: XCTestCase {
    func testOneDNNMaxPoolAgreesWithPyTorchRuleKernel() throws {
        let x = try Tensor.randn([2, 3, 11, 9], generator: Generator(seed: 3))
        let configs: [((Int, Int), (Int, Int), (Int, Int), (Int, Int), Bool)] = [
            ((3, 3), (2, 2), (1, 1), (1, 1), false), ((3, 3), (2, 2), (1, 1), (1, 1), true), ((2, 2), (2, 2), (0, 0), (1, 1), true),
            ((3, 2), (1, 2), (1, 0), (2, 1), false), ((2, 3), (3, 2), (0, 1), (1, 1), true),
        ]
        defer { Tensor.useDNNLMaxPool = true }
        for (k, s, p, d, ceil) in configs {
            Tensor.useDNNLMaxPool = true
            let fast = try x.maxPool2d(kernel: k, stride: s, padding: p, dilation: d, ceilMode: ceil)
            Tensor.useDNNLMaxPool = false
            let reference = try x.maxPool2d(kernel: k, stride: s, padding: p, dilation: d, ceilMode: ceil)
            XCTAssertEqual(fast.shape, reference.shape)
            XCTAssertEqual(fast.floats(), reference.floats(), "k\(k) s\(s) p\(p) d\(d) ceil \(ceil)")
        }
        // NaN propagates as in PyTorch (the window holding it pools to NaN) on the default path.
        Tensor.useDNNLMaxPool = true
        let withNaN = Tensor([1, .nan, 3, 4, 5, 6, 7, 8], shape: [1, 1, 2, 4])
        let pooled = try withNaN.maxPool2d(kernel: (2, 2), stride: (2, 2)).floats()
        XCTAssertTrue(pooled[0].isNaN)
        XCTAssertEqual(pooled[1], 8)
    }

    func testMaxPoolPathSpeed() throws {
        guard ProcessInfo.processInfo.environment["MLUS_BENCH"] != nil else { throw XCTSkip("set MLUS_BENCH=1") }
        let x = try Tensor.randn([1, 64, 112, 112])
        defer { Tensor.useDNNLMaxPool = true }
        for use in [true, false, true, false] {
            Tensor.useDNNLMaxPool = use
            _ = try x.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))
            let t = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<20 { _ = try x.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
            print("maxpool dnnl=\(use): \(Double(DispatchTime.now().uptimeNanoseconds - t) / 20e6) ms")
        }
    }
}
