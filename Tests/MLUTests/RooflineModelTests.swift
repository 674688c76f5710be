import XCTest
@testable import MLU

final class RooflineModelTests: XCTestCase {
    /// 1 G MACs, 1 MB in, 1 MB out, 0.5 MB of weights.
    private let conv = LayerCost(name: "enc1.conv", opKind: "conv2d", macs: 1e9, bytesRead: 1e6, bytesWritten: 1e6,
                                 weightBytes: 0.5e6, computeDType: .int8)

    func testHandDerivedMLU270() throws {
        // 16 cores: compute rate 128e12 × 0.5 = 64e12 op/s → 2e9 / 64e12 = 31.25 µs.
        // Memory rate 102.4e9 × 0.7 = 71.68e9 B/s → 2.5e6 / 71.68e9 = 34.877232 µs → memory-bound.
        let m16 = try RooflineModel(coreVersion: .mlu270, coreNumber: 16)
        let e16 = try m16.estimate(conv)
        XCTAssertEqual(e16.computeSeconds, 31.25e-6, accuracy: 1e-12)
        XCTAssertEqual(e16.memorySeconds, 34.877232e-6, accuracy: 1e-11)
        XCTAssertEqual(e16.seconds, 34.877232e-6, accuracy: 1e-11)
        XCTAssertEqual(e16.bound, .memory)
        // 4 cores: 128e12 × 4/16 × 0.5 = 16e12 op/s → 125 µs, compute-bound.
        let e4 = try RooflineModel(coreVersion: .mlu270, coreNumber: 4).estimate(conv)
        XCTAssertEqual(e4.computeSeconds, 125e-6, accuracy: 1e-12)
        XCTAssertEqual(e4.bound, .compute)
        XCTAssertEqual(e4.seconds, 125e-6, accuracy: 1e-12)
    }

    func testHandDerivedMLU220Int16() throws {
        // MLU220, 4 cores, int16 peak 4e12 × 0.5 = 2e12 op/s → 2e9 / 2e12 = 1 ms.
        // Memory 2.5e6 / (29.86e9 × 0.7 = 20.902e9) = 119.606 µs.
        var c = conv
        c.computeDType = .int16
        let e = try RooflineModel(coreVersion: .mlu220, coreNumber: 4).estimate(c)
        XCTAssertEqual(e.computeSeconds, 1e-3, accuracy: 1e-12)
        XCTAssertEqual(e.memorySeconds, 119.6058e-6, accuracy: 1e-9)
        XCTAssertEqual(e.bound, .compute)
    }

    func testOverheadAndCustomEfficiency() throws {
        // Efficiencies 1.0: compute 2e9 / 128e12 = 15.625 µs; memory 2.5e6 / 102.4e9 = 24.4140625 µs; + 10 µs.
        let m = try RooflineModel(coreVersion: .mlu270, coreNumber: 16,
                                  assumptions: RooflineAssumptions(computeEfficiency: 1, memoryEfficiency: 1, perLayerOverheadSeconds: 10e-6))
        XCTAssertEqual(try m.estimate(conv).seconds, 34.4140625e-6, accuracy: 1e-12)
        XCTAssertThrowsError(try RooflineModel(coreVersion: .mlu270, coreNumber: 16,
                                               assumptions: RooflineAssumptions(computeEfficiency: 0)))
    }

    func testMonotoneInCoresAndDTypeAndTableSums() throws {
        let layers = [
            conv,
            LayerCost(name: "relu", opKind: "relu", operations: 1e6, bytesRead: 4e6, bytesWritten: 4e6, computeDType: .float16),
            LayerCost(name: "head", opKind: "conv2d", macs: 5e10, bytesRead: 2e6, bytesWritten: 1e5, weightBytes: 3e6, computeDType: .int8),
        ]
        for version in CoreVersion.allCases {
            let cores = DeviceProfile.profile(for: version).validCoreNumbers.value
            var previous = Double.infinity
            for n in cores {
                let total = try RooflineModel(coreVersion: version, coreNumber: n).estimate(layers).totalSeconds
                XCTAssertLessThanOrEqual(total, previous, "\(version) \(n) cores")
                previous = total
            }
            let model = try RooflineModel(coreVersion: version, coreNumber: cores[0])
            for layer in layers {
                var times = [Double]()
                for dtype in ComputeDType.allCases {
                    var l = layer
                    l.computeDType = dtype
                    times.append(try model.estimate(l).seconds)
                }
                XCTAssertEqual(times, times.sorted(), "int8 ≤ int16 ≤ fp16 ≤ fp32 for \(layer.name)")
            }
        }
        let estimate = try RooflineModel(coreVersion: .mlu270, coreNumber: 16).estimate(layers)
        XCTAssertEqual(estimate.totalSeconds, estimate.layers.map(\.seconds).reduce(0, +))
        let table = estimate.formattedTable()
        XCTAssertTrue(table.contains("ESTIMATE, not a measurement"))
        XCTAssertTrue(table.contains("enc1.conv"))
        XCTAssertTrue(table.contains("total (estimate)"))
        XCTAssertTrue(table.contains("int8 128.0 TOPS [L]"))
        // The head's 3 MB of weights exceed 16 × 1 MB WRAM? No: 16 MB. On one MLU220 core (512 KB) they do.
        XCTAssertFalse(estimate.layers[2].weightsExceedOnChipMemory)
        XCTAssertTrue(try RooflineModel(coreVersion: .mlu220, coreNumber: 1).estimate(layers[2]).weightsExceedOnChipMemory)
    }

    func testInvalidInputsAreErrors() throws {
        XCTAssertThrowsError(try RooflineModel(coreVersion: .mlu220, coreNumber: 16)) {
            XCTAssertEqual($0 as? DeviceError, .invalidCoreNumber(16, coreVersion: .mlu220, valid: [1, 4]))
        }
        var bad = conv
        bad.bytesRead = -1
        XCTAssertThrowsError(try RooflineModel(coreVersion: .mlu270, coreNumber: 1).estimate(bad)) {
            XCTAssertEqual($0 as? PerformanceError, .invalidCost(layer: "enc1.conv", field: "bytesRead", value: -1))
        }
    }
}
