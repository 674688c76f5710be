import XCTest
@testable import Tensors

/// Channels-last (NHWC memory) tensors give the same values as NCHW ones and keep their layout through the
/// ops that support it, as PyTorch's channels_last does. The NCHW results are checked against PyTorch by the
/// op fixtures, so agreement here carries that check over.
final class ChannelsLastTests: XCTestCase {
    var x = Tensor(zeros: [2, 6, 7, 9])

    override func setUpWithError() throws {
        x = try Tensor.randn([2, 6, 7, 9], generator: Generator(seed: 11))
    }

    func assertSame(_ a: Tensor, _ b: Tensor, _ what: String, tolerance: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, b.shape, what, file: file, line: line)
        let worst = zip(a.floats(), b.floats()).map { Swift.abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, what, file: file, line: line)
    }

    func testLayoutAndValues() throws {
        let cl = try x.contiguous(memoryFormat: .channelsLast)
        XCTAssertTrue(cl.isChannelsLast)
        XCTAssertFalse(cl.isContiguous)
        XCTAssertEqual(cl.strides, [378, 1, 54, 6])
        XCTAssertEqual(cl.floats(), x.floats())
        XCTAssertEqual(cl.suggestedMemoryFormat, .channelsLast)
        XCTAssertEqual(try Tensor.zeros([1, 1, 4, 4]).suggestedMemoryFormat, .contiguous)
        XCTAssertThrowsError(try Tensor.zeros([2, 3]).contiguous(memoryFormat: .channelsLast))
        // Planes longer than one 64-pixel block of the transposition kernel, with a partial last block.
        let y = Tensor((0..<(2 * 3 * 11 * 13)).map { Float($0) }, shape: [2, 3, 11, 13])
        let ycl = try y.contiguous(memoryFormat: .channelsLast)
        XCTAssertEqual(ycl.floats(), y.floats())
        let memory = UnsafeBufferPointer(start: ycl.baseAddress.assumingMemoryBound(to: Float.self), count: 4)
        XCTAssertEqual(Array(memory), [0, 143, 286, 1], "memory order is pixel-major: (c0, c1, c2) of pixel 0, then pixel 1")
    }

    func testOpsKeepChannelsLastAndAgreeWithNCHW() throws {
        let cl = try x.contiguous(memoryFormat: .channelsLast)
        let w = try Tensor.randn([4, 6, 3, 3], generator: Generator(seed: 12)), b = try Tensor.randn([4])
        for (stride, padding, groups) in [(1, 1, 1), (2, 0, 2), (1, 2, 6)] {
            let weight = groups == 1 ? w : try Tensor.randn([groups == 6 ? 6 : 4, 6 / groups, 3, 3], generator: Generator(seed: 13))
            let bias = groups == 1 ? b : nil
            let y = try cl.conv2d(weight: weight, bias: bias, stride: [stride], padding: [padding], groups: groups)
            XCTAssertTrue(y.isChannelsLast, "conv output layout")
            assertSame(y, try x.conv2d(weight: weight, bias: bias, stride: [stride], padding: [padding], groups: groups), "conv s\(stride) p\(padding) g\(groups)", tolerance: 1e-4)
        }
        let mean = try Tensor.randn([6]), variance = try Tensor.rand([6]).binary(.add, scalar: 0.5)
        let bn = try cl.batchNorm(mean: mean, variance: variance, weight: mean, bias: variance, eps: 1e-5, fusedReLU: true)
        XCTAssertTrue(bn.isChannelsLast)
        assertSame(bn, try x.batchNorm(mean: mean, variance: variance, weight: mean, bias: variance, eps: 1e-5, fusedReLU: true), "bn")
        let r = try cl.unary(.sigmoid)
        XCTAssertTrue(r.isChannelsLast)
        assertSame(r, try x.unary(.sigmoid), "sigmoid")
        let sum = try cl.binary(.add, cl)
        XCTAssertTrue(sum.isChannelsLast)
        assertSame(sum, try x.binary(.add, x), "add")
        let scaled = try cl.binary(.mul, scalar: 3)
        XCTAssertTrue(scaled.isChannelsLast)
        assertSame(scaled, try x.binary(.mul, scalar: 3), "mul scalar")
        assertSame(try cl.binary(.add, x), try x.binary(.add, x), "mixed layouts")
        let other = try Tensor.randn([2, 3, 7, 9])
        let joined = try Tensor.cat([cl, other], dim: 1)
        XCTAssertTrue(joined.isChannelsLast)
        assertSame(joined, try Tensor.cat([x, other], dim: 1), "cat")
        for align in [false, true] {
            let up = try cl.interpolate(size: (14, 18), scaleFactor: (2, 2), mode: .bilinear, alignCorners: align)
            XCTAssertTrue(up.isChannelsLast)
            assertSame(up, try x.interpolate(size: (14, 18), scaleFactor: (2, 2), mode: .bilinear, alignCorners: align), "bilinear \(align)")
        }
        let pooled = try cl.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true)
        XCTAssertTrue(pooled.isChannelsLast)
        assertSame(pooled, try x.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true), "maxpool")
        for (size, scale) in [((3, 5), nil), ((14, 18), (2.0, 2.0)), ((10, 13), (1.5, 1.5))] as [((Int, Int), (Double, Double)?)] {
            let near = try cl.interpolate(size: size, scaleFactor: scale, mode: .nearest)
            XCTAssertTrue(near.isChannelsLast)
            XCTAssertEqual(near.floats(), try x.interpolate(size: size, scaleFactor: scale, mode: .nearest).floats(), "nearest \(size)")
        }
        for (k, s, p, ceil, include) in [((2, 2), (2, 2), (0, 0), false, true), ((3, 3), (2, 2), (1, 1), true, true), ((3, 2), (2, 1), (1, 1), true, false)] {
            let avg = try cl.avgPool2d(kernel: k, stride: s, padding: p, ceilMode: ceil, countIncludePad: include)
            XCTAssertTrue(avg.isChannelsLast)
            XCTAssertEqual(avg.floats(), try x.avgPool2d(kernel: k, stride: s, padding: p, ceilMode: ceil, countIncludePad: include).floats(), "avg \(k) \(s) \(p)")
        }
        for size in [(1, 1), (3, 4), (9, 11)] {
            let adaptive = try cl.adaptiveAvgPool2d(outputSize: size)
            XCTAssertEqual(adaptive.floats(), try x.adaptiveAvgPool2d(outputSize: size).floats(), "adaptive \(size)")
        }
    }
}
