import XCTest
import Ops
import Tensors
@testable import MLU

/// A loaded file is untrusted: every attribute of every node replaced by wrong-typed, out-of-range or
/// non-finite values, attributes removed, and op names swapped must give an error or a graph that runs
/// (or throws) — never a crash. Raising checks attribute bounds and each node's shape rule against its
/// declared output shapes before any kernel sees it.
final class LoweringFuzzTests: XCTestCase {
    static let badValues: [OfflineAttribute] = [
        .int(0), .int(-1), .int(Int64.max), .int(Int64.min), .int(3),
        .ints([]), .ints([0]), .ints([-5, 3]), .ints([Int64.max, 1]), .ints([1, 2, 3]), .ints([2]), .ints([1 << 21, 1]),
        .float(.nan), .float(.infinity), .float(-1), .float(0),
        .floats([]), .floats([0]), .floats([1e300]), .floats([-2]), .floats([0.5, 3]),
        .bool(true), .bool(false), .string("float16"), .string("x"),
    ]

    static func models() throws -> [(String, OfflineModel, Tensor)] {
        var seg = try LoweringSampleNets.MiniSegNet(seed: 8)
        seg.squeezeOutput = false
        let x = try Tensor.randn([1, 3, 8, 8], generator: Generator(seed: 1))
        let zoo = try LoweringSampleNets.OpZoo()
        let z = try Tensor.randn([1, 4, 8, 8], generator: Generator(seed: 2))
        return [
            ("seg", try seg.trace(x).lowered(options: LoweringTests.options()), x),
            ("zoo", try Tracer.trace(inputs: [z]) { [try zoo.forward($0[0])] }.lowered(options: LoweringTests.options()), z),
        ]
    }

    /// Raises and, when that succeeds, runs `model`; returns whether it ran.
    @discardableResult
    static func tryRun(_ model: OfflineModel, _ x: Tensor) -> Bool {
        do {
            let function = try CNRTModel(model: model).extractFunction(named: "subnet0")
            _ = try function.invoke([try CNRT.nchwToNHWC(x)], executor: GraphOfflineExecutor())
            return true
        } catch {
            XCTAssertFalse("\(error)".isEmpty)
            return false
        }
    }

    func testCorruptedAttributesNeverCrash() throws {
        var cases = 0, rejected = 0
        for (_, model, x) in try Self.models() {
            XCTAssertTrue(Self.tryRun(model, x), "the intact model runs")
            for (n, node) in model.graph.nodes.enumerated() {
                for key in node.attributes.keys.sorted() {
                    var dropped = model
                    dropped.graph.nodes[n].attributes[key] = nil
                    if !Self.tryRun(dropped, x) { rejected += 1 }
                    cases += 1
                    for bad in Self.badValues {
                        var m = model
                        m.graph.nodes[n].attributes[key] = bad
                        if !Self.tryRun(m, x) { rejected += 1 }
                        cases += 1
                    }
                }
            }
        }
        XCTAssertGreaterThan(cases, 1000)
        XCTAssertGreaterThan(rejected, cases / 2, "most corruptions are caught")
    }

    func testSwappedOpNamesNeverCrash() throws {
        for (_, model, x) in try Self.models() {
            for n in model.graph.nodes.indices {
                for name in OfflineOpSet.current.names.sorted() + ["no_such_op"] {
                    var m = model
                    m.graph.nodes[n].op = name
                    Self.tryRun(m, x)
                }
            }
        }
    }

    func testCorruptedShapesAndIdsNeverCrash() throws {
        for (_, model, x) in try Self.models() {
            for v in model.graph.values.indices {
                for shape in [[], [0], [1 << 41], [1 << 30, 1 << 30, 1 << 30, 0], [2, 3], [-1]] {
                    var m = model
                    m.graph.values[v].shape = shape
                    Self.tryRun(m, x)
                }
            }
            for n in model.graph.nodes.indices {
                var m = model
                m.graph.nodes[n].inputs.append(10_000)
                XCTAssertFalse(Self.tryRun(m, x))
                m = model
                m.graph.nodes[n].inputs = Array(m.graph.nodes[n].inputs.reversed())
                Self.tryRun(m, x)
            }
        }
    }
}
