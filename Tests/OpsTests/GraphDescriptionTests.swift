import XCTest
import Tensors
@testable import Ops

final class GraphDescriptionTests: XCTestCase {
    func testListingShowsInputsConstantsNodesAndOutputs() throws {
        var g = Graph()
        let x = g.input("x", [2])
        let c = g.addConstant(Tensor([1, 2], shape: [2]), name: "c")
        g.outputs = [g.add(.add, [x, c], shape: [2], name: "sum")]
        XCTAssertEqual(g.description, """
            graph(%x: float32[2])
              const %c: float32[2]
              %sum: float32[2] = add(%x, %c)  # sum
              return %sum
            """)
        let plan = try XCTUnwrap(g.planningMemory().memoryPlan)
        XCTAssertEqual(plan.description, "memory plan: 1 buffers, 8 bytes planned vs 8 unplanned (peak live 8)")
    }

    func testAddValueMakesNamesUnique() {
        var g = Graph()
        g.addValue(name: "a", shape: [], dtype: .float32)
        g.addValue(name: "a", shape: [], dtype: .float32)
        g.addValue(name: "a", shape: [], dtype: .float32)
        g.addValue(name: "", shape: [], dtype: .float32)
        XCTAssertEqual(g.values.map(\.name), ["a", "a_1", "a_2", "v"])
    }

    func testValidationNamesTheProblem() {
        var g = Graph()
        let x = g.input("x", [1])
        g.nodes = [Node(op: .neg, inputs: [x], outputs: [7], name: "n")]
        XCTAssertThrowsError(try g.validate()) { error in
            XCTAssertEqual(error as? GraphError, .valueOutOfRange(id: 7, count: 1, usedBy: "node 'n' (neg)"))
        }
        var h = Graph()
        let y = h.input("y", [1])
        h.constants[y] = Tensor([1], shape: [1])
        XCTAssertThrowsError(try h.validate()) { error in
            XCTAssertEqual(error as? GraphError, .valueDefinedTwice(value: "y", by: "a constant"))
        }
    }

    func testPassesDoNotCrashOnOutOfRangeIds() {
        var g = Graph()
        let x = g.input("x", [1])
        g.nodes = [Node(op: .relu, inputs: [42], outputs: [x], name: "r"),
                   Node(op: .batchNorm(eps: 1e-5, affine: true), inputs: [x], outputs: [43], name: "bn")]
        g.outputs = [43]
        XCTAssertNoThrow(try g.foldingBatchNorm().fusingActivations().eliminatingDeadCode().planningMemory())
        XCTAssertThrowsError(try g.optimized().validate())
    }
}
