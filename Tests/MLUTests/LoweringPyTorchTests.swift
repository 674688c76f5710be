import Foundation
import XCTest
import Ops
import Tensors
@testable import MLU

/// The whole path against PyTorch itself: the network of `LoweringPyTorchReference` (weights and output
/// written by PyTorch, scripts/gen_lowering_reference.py) is traced with module scopes and state_dict names,
/// optimised, lowered, written, loaded and invoked on NHWC input. Tolerance as the NN model tests:
/// `|a − b| ≤ 1e-6 + 1e-4·|b|` (oneDNN and PyTorch sum convolutions in different orders).
final class LoweringPyTorchTests: XCTestCase {
    typealias R = LoweringPyTorchReference

    func parameter(_ key: String) throws -> Tensor {
        guard let t = R.stateDict[key] else { throw GraphError.tracing("reference has no \(key)") }
        return t
    }

    func block(_ x: Tensor, _ name: String, stride: Int, _ tracer: Tracer?) throws -> Tensor {
        tracer?.pushScope(name)
        defer { tracer?.popScope() }
        let c = try withScope("0", tracer) {
            try TensorOps.conv2d(x, weight: try parameter("\(name).0.weight"), bias: nil,
                                 Conv2dAttributes(stride: [stride, stride], padding: [1, 1]))
        }
        let b = try withScope("1", tracer) {
            try TensorOps.batchNorm(c, mean: try parameter("\(name).1.running_mean"), variance: try parameter("\(name).1.running_var"),
                                    weight: try parameter("\(name).1.weight"), bias: try parameter("\(name).1.bias"), eps: 1e-5)
        }
        return try withScope("2", tracer) { try TensorOps.relu(b) }
    }

    func withScope<T>(_ name: String, _ tracer: Tracer?, _ body: () throws -> T) rethrows -> T {
        tracer?.pushScope(name)
        defer { tracer?.popScope() }
        return try body()
    }

    func forward(_ x: Tensor, _ tracer: Tracer? = nil) throws -> Tensor {
        let e1 = try block(x, "enc1", stride: 2, tracer)
        let e2 = try block(e1, "enc2", stride: 2, tracer)
        let up = try TensorOps.interpolate(e2, InterpolateAttributes(scaleFactor: [2], mode: .bilinear, alignCorners: false))
        let d1 = try block(try TensorOps.cat([up, e1], dim: 1), "dec1", stride: 1, tracer)
        let head = try withScope("head", tracer) { try TensorOps.conv2d(d1, weight: try parameter("head.weight"), bias: try parameter("head.bias")) }
        let logit = try TensorOps.interpolate(head, InterpolateAttributes(size: [x.shape[2], x.shape[3]], mode: .bilinear, alignCorners: false))
        return try TensorOps.index(try TensorOps.sigmoid(logit), [.at(0), .at(0)])
    }

    func testEagerMatchesPyTorch() throws {
        let y = try forward(R.input)
        XCTAssertEqual(y.shape, R.output.shape)
        XCTAssertLessThanOrEqual(LoweringTests.closeness(y.floats(), R.output.floats(), rtol: 1e-4), 1)
    }

    func testTracedOptimisedOfflineModelMatchesPyTorch() throws {
        let tracer = Tracer()
        try tracer.registerInput(R.input, name: "image")
        for (key, t) in R.stateDict { tracer.nameConstant(t, key) }
        let out = try Dispatcher.shared.recording(with: tracer) { try forward(R.input, tracer) }
        let graph = try tracer.finish(outputs: [out])
        XCTAssertEqual(graph.nodes.first?.name, "enc1.0")
        XCTAssertTrue(graph.values.contains { $0.name == "dec1.1.running_var" })

        let optimised = try graph.optimized()
        XCTAssertEqual(optimised.nodes.map(\.name).filter { $0.hasSuffix(".0") }, ["enc1.0", "enc2.0", "dec1.0"])
        let model = try optimised.lowered(options: LoweringTests.options())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-lowering-pt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let paths = try model.save(as: directory.appendingPathComponent("miniseg").path)
        let twins = try CNRTModel.load(path: paths.model).twins()
        XCTAssertEqual(twins.functions.first?.inputs.first?.shape, [1, 8, 8, 3])
        let function = try CNRTModel.load(path: paths.model).extractFunction(named: "subnet0")
        XCTAssertEqual(try function.inputShape(at: 0), [1, 8, 8, 3])
        let y = try function.invoke([try CNRT.nchwToNHWC(R.input)], executor: GraphOfflineExecutor())
        XCTAssertEqual(y.first?.shape, [8, 8])
        XCTAssertLessThanOrEqual(LoweringTests.closeness(try XCTUnwrap(y.first).floats(), R.output.floats(), rtol: 1e-4), 1)
    }
}
