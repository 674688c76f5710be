import Foundation
import XCTest
import Tensors
@testable import Ops

/// The executor's channels-last mode changes only the layout: values must equal the NCHW run's exactly.
final class ChannelsLastExecutionTests: XCTestCase {
    func testChannelsLastRunEqualsNCHWRunAndReturnsContiguous() throws {
        let g = try MiniSegNet().trace(try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 3))).optimized()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 4))
        var plain = try GraphExecutor(graph: g)
        plain.keepsActivationsChannelsLast = false
        let nhwc = try GraphExecutor(graph: g)
        let a = try plain.run([x])[0], b = try nhwc.run([x])[0]
        XCTAssertTrue(b.isContiguous)
        XCTAssertEqual(a.shape, b.shape)
        let fa = a.floats(), fb = b.floats()
        let worst = zip(fa, fb).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1e-5)
    }

    /// Timing harness (MLUS_PERF=1): alternates the two modes on a 240x240 input and prints the ratio.
    func testTimingRatio() throws {
        guard ProcessInfo.processInfo.environment["MLUS_PERF"] != nil else { throw XCTSkip("set MLUS_PERF=1") }
        let x = try Tensor.randn([1, 3, 240, 240], generator: Generator(seed: 5))
        let g = try MiniSegNet().trace(x).optimized()
        var plain = try GraphExecutor(graph: g)
        plain.keepsActivationsChannelsLast = false
        let nhwc = try GraphExecutor(graph: g)
        var tp = [Double](), tn = [Double]()
        for i in 0..<12 {
            for (k, e) in [plain, nhwc].enumerated() {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = try e.run([x])
                let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
                if i >= 2 { if k == 0 { tp.append(dt) } else { tn.append(dt) } }
            }
        }
        let mp = tp.sorted()[tp.count / 2], mn = tn.sorted()[tn.count / 2]
        print("PERF executor NCHW median \(mp) ms, NHWC median \(mn) ms, ratio NHWC/NCHW \(mn / mp)")
    }
}
