import Foundation
import XCTest
import NN
import Ops
import Tensors
@testable import MLU

/// Tracing a real `NN` model (layers → TensorOps → dispatcher → tracer): state_dict keys name the
/// constants and, through them, the conv and BN nodes; the optimised offline model reproduces eager.
final class LoweringNNTests: XCTestCase {
    final class SegNet: Module {
        static func make() throws -> SegNet {
            func block(_ cin: Int, _ cout: Int, _ stride: Int) throws -> Module {
                try Sequential([Conv2d(cin, cout, kernelSize: [3], stride: [stride], padding: [1], bias: false),
                                BatchNorm2d(cout), ReLU(inplace: true)])
            }
            let m = SegNet()
            _ = try m.setAttribute("enc1", .module(try Sequential([block(3, 8, 2), block(8, 8, 1)])))
            _ = try m.setAttribute("enc2", .module(try block(8, 8, 2)))
            _ = try m.setAttribute("dec1", .module(try block(16, 8, 1)))
            _ = try m.setAttribute("head", .module(try Conv2d(8, 1, kernelSize: [1])))
            return m
        }

        func child(_ name: String, _ x: Tensor) throws -> Tensor {
            guard let c = child(name) else { throw NNError.attribute("no child \(name)") }
            return try c(x)
        }

        override func forward(_ x: Tensor) throws -> Tensor {
            let e1 = try child("enc1", x)
            let e2 = try child("enc2", e1)
            let up = try Functional.interpolate(e2, scaleFactor: [2.0], mode: "bilinear", alignCorners: false)
            let d1 = try child("dec1", try TensorOps.cat([up, e1], dim: 1))
            let logit = try Functional.interpolate(try child("head", d1), size: [x.shape[2], x.shape[3]], mode: "bilinear", alignCorners: false)
            return try TensorOps.index(try Functional.sigmoid(logit), [.at(0), .at(0)])
        }
    }

    /// Gives the BatchNorm layers non-trivial statistics so folding has something to fold.
    func randomiseStatistics(_ model: Module) throws {
        let gen = Generator(seed: 99)
        for (key, t) in model.stateDict() where key.hasSuffix("running_var") || key.hasSuffix("running_mean") {
            let fresh = key.hasSuffix("running_var")
                ? try Tensor.rand(t.shape, generator: gen).binary(.add, scalar: 0.5)
                : try Tensor.randn(t.shape, generator: gen).binary(.mul, scalar: 0.2)
            t.baseAddress.copyMemory(from: fresh.baseAddress, byteCount: t.count * 4)
        }
    }

    func testTracedNNModelIsNamedByModulePathAndRunsOffline() throws {
        let model = try SegNet.make()
        try randomiseStatistics(model)
        _ = model.eval()
        let x = try Tensor.randn([1, 3, 16, 16], generator: Generator(seed: 5))
        let eager = try model(x)

        let tracer = Tracer()
        try tracer.registerInput(x, name: "image")
        tracer.nameConstants(model.stateDict())
        let out = try Dispatcher.shared.recording(with: tracer) { try model(x) }
        let graph = try tracer.finish(outputs: [out])
        let names = graph.nodes.map(\.name)
        for expected in ["enc1.0.0", "enc1.0.1", "enc1.1.0", "enc1.1.1", "enc2.0", "enc2.1", "dec1.0", "dec1.1", "head"] {
            XCTAssertTrue(names.contains(expected), "\(expected) in \(names)")
        }
        XCTAssertTrue(graph.values.contains { $0.name == "enc1.1.1.running_var" })

        let optimised = try graph.optimized()
        XCTAssertEqual(optimised.nodes.filter { if case .conv2d(let a) = $0.op { return a.fusedReLU } else { return false } }.map(\.name),
                       ["enc1.0.0", "enc1.1.0", "enc2.0", "dec1.0"])
        let offline = try optimised.lowered(options: LoweringTests.options())
        let function = try CNRTModel(model: offline).extractFunction(named: "subnet0")
        let y = try function.invoke([try CNRT.nchwToNHWC(x)], executor: GraphOfflineExecutor())
        XCTAssertLessThanOrEqual(LoweringTests.closeness(try XCTUnwrap(y.first).floats(), eager.floats()), 1)
    }
}
