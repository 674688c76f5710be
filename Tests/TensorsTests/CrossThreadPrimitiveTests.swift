import Foundation
import XCTest
@testable import Tensors

/// A cached oneDNN primitive runs on threads other than the one that created it: each notebook cell and
/// each REPL line executes on a new script thread. With oneDNN's library-managed (per-thread) scratchpad a
/// Winograd convolution created by a finished thread crashed on its next run (the README's main job did,
/// at the cnrt cell); primitives now take a user scratchpad per run.
final class CrossThreadPrimitiveTests: XCTestCase {
    private func onNewThread(_ body: @escaping () throws -> [Float]) throws -> [Float] {
        var result: Result<[Float], Error> = .success([])
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result = Result { try body() }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        done.wait()
        return try result.get()
    }

    func testWinogradConvolutionCreatedOnAFinishedThread() throws {
        // 64 → 64 channels at 120×120, 3×3, stride 1, channels-last: the shape prefersWinograd picks.
        let x = try Tensor.randn([1, 64, 120, 120], generator: Generator(seed: 31)).contiguous(memoryFormat: .channelsLast)
        let w = try Tensor.randn([64, 64, 3, 3], generator: Generator(seed: 32))
        let b = try Tensor.randn([64], generator: Generator(seed: 33))
        let conv = { try x.conv2d(weight: w, bias: b, padding: [1]).contiguous(memoryFormat: .contiguous).floats() }
        let first = try onNewThread(conv)
        for _ in 0..<3 {
            // Give the finished thread's memory a chance to be reused before the next run.
            _ = [UInt8](repeating: 0xAB, count: 1 << 22)
            let again = try onNewThread(conv)
            XCTAssertEqual(again, first)
        }
        let reference = try x.contiguous().conv2d(weight: w, bias: b, padding: [1]).floats()   // direct kernels, NCHW
        let worst = zip(first, reference).map { Swift.abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThanOrEqual(worst, 1e-3)
    }
}
