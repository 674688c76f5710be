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
