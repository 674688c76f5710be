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
        assertSame(try cl.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)), try x.maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)), "maxpool")
        assertSame(try cl.interpolate(size: (3, 5), mode: .nearest), try x.interpolate(size: (3, 5), mode: .nearest), "nearest")
    }
}
