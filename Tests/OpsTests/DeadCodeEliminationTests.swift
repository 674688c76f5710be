import XCTest
import Tensors
@testable import Ops

final class DeadCodeEliminationTests: XCTestCase {
    func testRemovesUnusedNodesValuesAndConstantsAndRenumbers() throws {
        var g = Graph()
        let x = g.input("x", [2])
        let unusedConstant = g.addConstant(Tensor([9, 9], shape: [2]), name: "unused")
        _ = unusedConstant
        let c = g.addConstant(Tensor([1, 2], shape: [2]), name: "c")
        let dead = g.add(.exp, [x], shape: [2], name: "dead")
        _ = g.add(.neg, [dead], shape: [2], name: "dead2")
        let live = g.add(.add, [x, c], shape: [2], name: "live")
        g.outputs = [g.add(.relu, [live], shape: [2], name: "out")]
        let pruned = g.eliminatingDeadCode()
        try pruned.validate()
        XCTAssertEqual(pruned.opNames(), ["add", "relu"])
        XCTAssertEqual(pruned.values.map(\.name), ["x", "c", "live", "out"])
        XCTAssertEqual(pruned.inputs, [0])
        XCTAssertEqual(pruned.outputs, [3])
        XCTAssertEqual(Array(pruned.constants.keys), [1])
        // x = [−3, 1]: relu(x + [1, 2]) = [0, 3]
        XCTAssertEqual(try GraphExecutor(graph: pruned).run([Tensor([-3, 1], shape: [2])])[0].floats(), [0, 3])
    }

    func testKeepsEverythingThatReachesAnOutput() {
        var g = Graph()
        let x = g.input("x", [2])
        let a = g.add(.exp, [x], shape: [2], name: "a")
        let b = g.add(.neg, [a], shape: [2], name: "b")
        g.outputs = [b, a]
        XCTAssertEqual(g.eliminatingDeadCode().opNames(), ["exp", "neg"])
    }
}
