import Foundation
import XCTest
@testable import Checkpoint
import Tensors

/// `.npy` reading of NumPy-written files and writing that NumPy reads (interop script checks the latter).
final class NpyTests: XCTestCase {
    func testReadsNumPyReferenceOutput() throws {
        // Written by NumPy (PyTorch's CarSegNet output for street_00), 480x480 float32 probabilities.
        let t = try loadNpy(contentsOf: Fixtures.carseg.appendingPathComponent("reference/street_00_prob.npy"))
        XCTAssertEqual(t.dtype, .float32)
        XCTAssertEqual(t.shape, [480, 480])
        let v = t.floats()
        XCTAssertTrue(v.allSatisfy { $0 >= 0 && $0 <= 1 }, "probabilities")
        let input = try loadNpy(contentsOf: Fixtures.carseg.appendingPathComponent("reference/street_00_input.npy"))
        XCTAssertEqual(input.shape, [1, 3, 480, 480])
    }

    /// Hand-built headers per the NumPy format spec: v1/v2/v3, big endian, Fortran order.
    func testHeaderVariants() throws {
        let dir = try Fixtures.temporaryDirectory()
        func file(major: UInt8, header: String, data: [UInt8]) throws -> URL {
            var h = header
            let prefix = major == 1 ? 10 : 12
            h += String(repeating: " ", count: (64 - (prefix + h.utf8.count + 1) % 64) % 64) + "\n"
            var b: [UInt8] = [0x93] + Array("NUMPY".utf8) + [major, 0]
            let n = h.utf8.count
            b += major == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8(n >> 8), 0, 0]
            b += Array(h.utf8) + data
            let url = dir.appendingPathComponent("f\(major)-\(UUID().uuidString).npy")
            try Data(b).write(to: url)
            return url
        }
        // Big-endian int32 [1, 2, -3], format 2.0.
        let be = try loadNpy(contentsOf: try file(major: 2, header: "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }",
                                                  data: [0, 0, 0, 1, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFD]))
        XCTAssertEqual(be.integers(), [1, 2, -3])
        // Fortran-order 2x3 float64 stored column by column: [[1,2,3],[4,5,6]] → bytes 1,4,2,5,3,6.
        let cols: [Double] = [1, 4, 2, 5, 3, 6]
        let f = try loadNpy(contentsOf: try file(major: 3, header: "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                                                 data: cols.flatMap { withUnsafeBytes(of: $0, Array.init) }))
        XCTAssertEqual(f.scalars(), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(f.strides, [1, 2])
        // 0-d bool.
        let s = try loadNpy(contentsOf: try file(major: 1, header: "{'descr': '|b1', 'fortran_order': False, 'shape': (), }", data: [1]))
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(s.scalars(), [1])
        // Truncated data and unknown dtypes are errors.
        assertCheckpointError("needs 24 data bytes") {
            _ = try loadNpy(contentsOf: try file(major: 1, header: "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", data: [0, 0]))
        }
        assertCheckpointError("'<c8'") {
            _ = try loadNpy(contentsOf: try file(major: 1, header: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 8)))
        }
        // Fuzzer find (FuzzNpy, session 3): an empty array (a zero dimension) whose other dimensions multiply past
        // Int.max made the stride computation trap, in Fortran and C order; now the shape is refused.
        for order in ["True", "False"] {
            assertCheckpointError("overflows") {
                _ = try loadNpy(contentsOf: try file(major: 1, header: "{'descr': '|u1', 'fortran_order': \(order), 'shape': (0, 11111111111111, 11111111111111), }",
                                                     data: []))
            }
        }
        // An empty array with ordinary dimensions still loads.
        let empty = try loadNpy(contentsOf: try file(major: 1, header: "{'descr': '<f4', 'fortran_order': True, 'shape': (0, 3, 2), }", data: []))
        XCTAssertEqual(empty.shape, [0, 3, 2])
        XCTAssertEqual(empty.strides, [1, 1, 3])
    }

    func testWriteReadRoundTripAndHeaderAlignment() throws {
        let dir = try Fixtures.temporaryDirectory()
        for dtype in DType.allCases where dtype != .bfloat16 {
            let t = RoundTripTests.patterned([2, 3], dtype)
            let view = Tensor(storage: t.storage, shape: [3, 2], strides: [1, 3], dtype: dtype)
            let url = dir.appendingPathComponent("\(dtype).npy")
            try saveNpy(view, to: url)
            let bytes = [UInt8](try Data(contentsOf: url))
            let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            XCTAssertEqual((10 + headerLength) % 64, 0)
            let back = try loadNpy(contentsOf: url)
            XCTAssertEqual(back.shape, [3, 2])
            XCTAssertEqual(RoundTripTests.rawBytes(back), RoundTripTests.rawBytes(view), "\(dtype)")
        }
        assertCheckpointError("bfloat16") { try saveNpy(Tensor(zeros: [1], dtype: .bfloat16), to: dir.appendingPathComponent("b.npy")) }
    }
}
