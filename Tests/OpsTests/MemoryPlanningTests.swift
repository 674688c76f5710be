import XCTest
import Tensors
@testable import Ops

final class MemoryPlanningTests: XCTestCase {
    /// x → a → b → c → d, each [4] float32 = 16 bytes. One buffer per value would take 64 bytes; with reuse,
    /// a and c share one buffer and b and d another (a node's output never shares with its own input): 32.
    func testChainReusesTwoBuffers() throws {
        var g = Graph()
        let x = g.input("x", [4])
        let a = g.add(.neg, [x], shape: [4], name: "a")
        let b = g.add(.neg, [a], shape: [4], name: "b")
        let c = g.add(.neg, [b], shape: [4], name: "c")
        let d = g.add(.neg, [c], shape: [4], name: "d")
        g.outputs = [d]
        let plan = try XCTUnwrap(g.planningMemory().memoryPlan)
        XCTAssertEqual(plan.unplannedBytes, 64)
        XCTAssertEqual(plan.plannedBytes, 32)
        XCTAssertEqual(plan.peakLiveBytes, 32)
        XCTAssertEqual(plan.bufferOf[a], plan.bufferOf[c])
        XCTAssertEqual(plan.bufferOf[b], plan.bufferOf[d])
        XCTAssertNotEqual(plan.bufferOf[a], plan.bufferOf[b])
        XCTAssertEqual(plan.lastUse[d], 4, "graph outputs live to the end")
    }

    /// A skip connection keeps its buffer alive: a is read by the last node, so nothing reuses it.
    /// Sizes: a 16 B, b 32 B (cat-like growth is not needed), c 16 B, out 16 B.
    func testSkipConnectionAndViewExtendLiveness() throws {
        var g = Graph()
        let x = g.input("x", [4])
        let a = g.add(.neg, [x], shape: [4], name: "a")
        let av = g.add(.view([2, 2]), [a], shape: [2, 2], name: "a_view")
        let b = g.add(.exp, [a], shape: [4], name: "b")
        let c = g.add(.neg, [b], shape: [4], name: "c")
        let cv = g.add(.view([2, 2]), [c], shape: [2, 2], name: "c_view")
        g.outputs = [g.add(.add, [av, cv], shape: [2, 2], name: "out")]
        let plan = try XCTUnwrap(g.planningMemory().memoryPlan)
        XCTAssertEqual(plan.aliasOf[av], a)
        XCTAssertEqual(plan.aliasOf[cv], c)
        XCTAssertNil(plan.bufferOf[av])
        // a lives to the end (through its view); b is dead after c, so out reuses b's buffer.
        XCTAssertNotEqual(plan.bufferOf[c], plan.bufferOf[a])
        XCTAssertNotEqual(plan.bufferOf[c], plan.bufferOf[b])
        XCTAssertEqual(plan.bufferOf[g.outputs[0]], plan.bufferOf[b])
        XCTAssertEqual(plan.unplannedBytes, 64)
        XCTAssertEqual(plan.plannedBytes, 48)
    }

    /// A larger value after a smaller one is freed grows the free buffer instead of opening a new one.
    func testFreeBufferGrows() throws {
        var g = Graph()
        let x = g.input("x", [8])
        let a = g.add(.neg, [x], shape: [2], name: "a") // shape only matters for planning
        let b = g.add(.neg, [a], shape: [2], name: "b")
        let c = g.add(.neg, [b], shape: [8], name: "c")
        g.outputs = [c]
        let plan = try XCTUnwrap(g.planningMemory().memoryPlan)
        XCTAssertEqual(plan.bufferOf[c], plan.bufferOf[a])
        XCTAssertEqual(plan.plannedBytes, 32 + 8)
        XCTAssertEqual(plan.unplannedBytes, 8 + 8 + 32)
    }
}
