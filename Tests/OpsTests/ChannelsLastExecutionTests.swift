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

    /// A classifier tail (conv → relu → view(N, -1) → linear, plus reshape/flatten/permute outputs) must run in
    /// channels-last mode: `view` needs the NCHW strides it was traced with.
    func testViewAfterConvolutionRunsAndMatchesNCHWRun() throws {
        let gen = Generator(seed: 11)
        let w = try Tensor.randn([4, 3, 3, 3], generator: gen), b = try Tensor.randn([4], generator: gen)
        let fw = try Tensor.randn([2, 100], generator: gen), fb = try Tensor.randn([2], generator: gen)
        let x = try Tensor.randn([1, 3, 5, 5], generator: gen)
        let g = try Tracer.trace(inputs: [x], inputNames: ["x"]) { inputs in
            let y = try TensorOps.relu(try TensorOps.conv2d(inputs[0], weight: w, bias: b, Conv2dAttributes(padding: [1, 1])))
            return [try TensorOps.linear(try TensorOps.view(y, [1, 100]), weight: fw, bias: fb),
                    try TensorOps.reshape(y, [1, 4, 25]), try TensorOps.flatten(y, startDim: 1),
                    try TensorOps.permute(y, [0, 2, 3, 1])]
        }.optimized()
        var plain = try GraphExecutor(graph: g)
        plain.keepsActivationsChannelsLast = false
        let a = try plain.run([x]), c = try GraphExecutor(graph: g).run([x])
        XCTAssertEqual(a.count, 4)
        for (u, v) in zip(a, c) {
            XCTAssertEqual(u.shape, v.shape)
            let worst = zip(u.floats(), v.floats()).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 1e-5)
        }
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
