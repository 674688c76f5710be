import CQuantKernels
import XCTest
import NN
import Tensors
@testable import Quantization

/// The calibration observer's min/max kernel (`mlus_min_max_f32`): NaN ignored, extremes found wherever they
/// lie (head, vector body, tail, either thread's half), and the same range for any memory layout.
final class ObserverRangeTests: XCTestCase {
    private func range(_ values: [Float]) -> (Float, Float) {
        var lo: Float = 0, hi: Float = 0
        values.withUnsafeBufferPointer { mlus_min_max_f32($0.baseAddress, Int64($0.count), &lo, &hi) }
        return (lo, hi)
    }

    func testHandValues() {
        XCTAssertTrue(range([]) == (.infinity, -.infinity))
        XCTAssertTrue(range([.nan, .nan]) == (.infinity, -.infinity))
        XCTAssertTrue(range([3, .nan, -2, 7, .nan]) == (-2, 7))
        XCTAssertTrue(range([-.infinity, 1]) == (-.infinity, 1))
    }

    /// 200003 values 0.5 with one −9 and one 11 moved through every region of the array.
    func testExtremesAnywhere() {
        let count = 200_003
        for (i, j) in [(0, count - 1), (count - 1, 0), (7, 8), (100_000, 100_001), (count - 3, 150_000), (65_536, 131_072)] {
            var v = [Float](repeating: 0.5, count: count)
            v[i] = -9
            v[j] = 11
            v[(i + 5) % count] = .nan
            XCTAssertTrue(range(v) == (-9, 11), "extremes at \(i), \(j)")
        }
    }

    /// A calibrating layer records the same range from NCHW and channels-last inputs: min −4, max 26/4 − 4 = 2.5 here.
    func testLayerObservesAnyLayout() throws {
        let values: [Float] = (0..<(2 * 3 * 5 * 4)).map { i -> Float in Float(i % 27) / 4 - 4 }
        for channelsLast in [false, true] {
            let conv = try Conv2d(3, 2, kernelSize: [1])
            var config = QConfig()
            config.firstConv = false
            let q = try quantizeDynamicMLU(conv, qconfig: config, genQuant: true, warn: { _ in })
            var x = Tensor(values, shape: [2, 3, 5, 4])
            if channelsLast { x = try x.contiguous(memoryFormat: .channelsLast) }
            _ = try q.forward(x)
            let layer = try XCTUnwrap((q as? MLUQuantizedLayer) ?? quantizedLayers(of: q).first?.layer)
            let obs = try XCTUnwrap(layer.quantization.observer)
            XCTAssertEqual(obs.min, -4)
            XCTAssertEqual(obs.max, 2.5)
        }
    }
}
