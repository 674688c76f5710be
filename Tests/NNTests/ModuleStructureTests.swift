import FixtureSupport
import Foundation
import NN
import Ops
import Tensors
import XCTest

/// Module structure against PyTorch (Tests/Fixtures/ops/nn_models.json, written by scripts/gen_nn_fixtures.py):
/// repr, state_dict keys/order/shapes, load_state_dict reports, train-mode BatchNorm.
final class ModuleStructureTests: XCTestCase {
    static func fixture() throws -> [String: Any] {
        let data = try Data(contentsOf: Fixtures.ops.appendingPathComponent("nn_models.json"))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw NpyFile.Failure(description: "nn_models.json is not an object")
        }
        return json
    }

    static let modelNames = ["carsegnet", "tiny_resnet", "tiny_mobilenet", "tiny_unet"]

    func testModelReprAndStateDictKeysMatchPyTorch() throws {
        let models = try XCTUnwrap(Self.fixture()["models"] as? [String: [String: Any]])
        for name in Self.modelNames {
            let expected = try XCTUnwrap(models[name])
            let model = try TestModels.make(name).eval()
            XCTAssertEqual(model.repr, expected["repr"] as? String, "\(name) repr")
            let keys = try XCTUnwrap(expected["keys"] as? [[Any]])
            let sd = model.stateDict()
            XCTAssertEqual(sd.map(\.key), keys.map { $0[0] as? String ?? "" }, "\(name) state_dict keys")
            XCTAssertEqual(sd.map(\.tensor.shape), keys.map { ($0[1] as? [Int]) ?? [] }, "\(name) state_dict shapes")
            XCTAssertEqual(sd.map(\.tensor.dtype.torchName), keys.map { $0[2] as? String ?? "" }, "\(name) state_dict dtypes")
        }
    }

    func testLayerReprsMatchPyTorch() throws {
        let reprs = try XCTUnwrap(Self.fixture()["layer_reprs"] as? [String: String])
        let layers: [String: Module] = [
            "conv1d": try Conv1d(3, 4, kernelSize: 3, stride: 2, padding: 1),
            "conv_t": try ConvTranspose2d(4, 6, kernelSize: [3], stride: [2], padding: [1], outputPadding: [1], groups: 2, bias: false),
            "conv_dil": try Conv2d(16, 32, kernelSize: [3, 5], stride: [1, 2], padding: [2, 1], dilation: [2]),
            "bn1d": try BatchNorm1d(7, eps: 1e-3, momentum: nil, affine: false),
            "linear": try Linear(5, 2, bias: false),
            "prelu": try PReLU(numParameters: 4),
            "elu": ELU(alpha: 0.5),
            "leaky": LeakyReLU(negativeSlope: 0.2, inplace: true),
            "gelu": try GELU(approximate: "tanh"),
            "silu": SiLU(),
            "relu6": ReLU6(inplace: true),
            "hardsigmoid": Hardsigmoid(),
            "softmax": Softmax(dim: 1),
            "maxpool": try MaxPool2d(kernelSize: [3, 2], stride: [2], padding: [1], ceilMode: true),
            "avgpool": try AvgPool2d(kernelSize: [3], padding: [1], countIncludePad: false),
            "adaptive": try AdaptiveAvgPool2d(outputSize: [1]),
            "up_size": try Upsample(size: [4, 6], mode: "bilinear", alignCorners: true),
            "dropout": try Dropout(p: 0.3),
            "identity": Identity(),
            "flatten": Flatten(),
            "modulelist": try ModuleList([Linear(2, 2), Linear(2, 2), Linear(2, 2), ReLU()]),
            "moduledict": try ModuleDict([("a", ReLU()), ("b", Tanh())]),
        ]
        XCTAssertEqual(Set(layers.keys), Set(reprs.keys))
        for (name, layer) in layers { XCTAssertEqual(layer.repr, reprs[name], name) }
    }

    func testLoadStateDictReportsEverythingLikePyTorch() throws {
        let fixture = try Self.fixture()
        let model = try TinyResNet.make()
        var sd = model.stateDict().filter { $0.key != "fc.bias" && $0.key != "layer1.bn1.running_var" }
        sd.append((key: "extra.weight", tensor: try Tensor.zeros([3])))
        if let i = sd.firstIndex(where: { $0.key == "fc.weight" }) { sd[i].tensor = try Tensor.zeros([5, 32]) }
        let before = try XCTUnwrap(model.parameter("fc") ?? model.child("fc")?.parameter("weight"))
        XCTAssertThrowsError(try model.loadStateDict(sd)) { error in
            XCTAssertEqual("\(error)", fixture["load_error_strict"] as? String)
        }
        XCTAssertThrowsError(try model.loadStateDict(sd, strict: false)) { error in
            XCTAssertEqual("\(error)", fixture["load_error_nonstrict"] as? String)
        }
        // Nothing was loaded by the failed calls.
        XCTAssertEqual(model.child("fc")?.parameter("weight")?.floats(), before.floats())
        if let i = sd.firstIndex(where: { $0.key == "fc.weight" }) { sd[i].tensor = try Tensor.full([10, 32], value: 0.5) }
        let result = try model.loadStateDict(sd, strict: false)
        let expected = try XCTUnwrap(fixture["load_nonstrict_result"] as? [String: Any])
        XCTAssertEqual(result.missingKeys, expected["missing"] as? [String])
        XCTAssertEqual(result.unexpectedKeys, expected["unexpected"] as? [String])
        XCTAssertEqual(result.description, expected["repr"] as? String)
        XCTAssertEqual(model.child("fc")?.parameter("weight")?.floats(), [Float](repeating: 0.5, count: 320))
    }

    func testBatchNormTrainModeUpdatesRunningStatsLikePyTorch() throws {
        let f = try XCTUnwrap(Self.fixture()["bn_train"] as? [String: Any])
        func values(_ k: String) throws -> [Double] { try XCTUnwrap(f[k] as? [Double]) }
        let bn = try BatchNorm2d(3)
        try bn.registerParameter("weight", Tensor(doubles: values("weight"), shape: [3]))
        try bn.registerParameter("bias", Tensor(doubles: values("bias"), shape: [3]))
        let y = try bn(Tensor(doubles: values("x"), shape: [2, 3, 4, 5]))
        assertClose(y.scalars(), try values("y"), 1e-5, "output")
        assertClose(try XCTUnwrap(bn.buffer("running_mean")).scalars(), try values("running_mean"), 1e-6, "running_mean")
        assertClose(try XCTUnwrap(bn.buffer("running_var")).scalars(), try values("running_var"), 1e-6, "running_var")
        XCTAssertEqual(try bn.buffer("num_batches_tracked")?.item(), Double(f["num_batches_tracked"] as? Int ?? -1))
    }

    func testErrorsNameTheLayerAndShapes() throws {
        let net = try Sequential([Conv2d(16, 32, kernelSize: [3]), ReLU()])
        XCTAssertThrowsError(try net(Tensor.zeros([1, 3, 8, 8]))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("in 0 (Conv2d(16, 32, kernel_size=(3, 3), stride=(1, 1)))"), text)
            XCTAssertTrue(text.contains("expected input with 16 channels, got 3 channels"), text)
            XCTAssertTrue(text.contains("[1, 3, 8, 8]"), text)
        }
        XCTAssertThrowsError(try Conv2d(3, 8, kernelSize: [3], groups: 2)) { error in
            XCTAssertTrue("\(error)".contains("in_channels (3) must be divisible by groups (2)"), "\(error)")
        }
        XCTAssertThrowsError(try Conv2d(3, 8, kernelSize: [3], paddingMode: "mirror")) { error in
            XCTAssertTrue("\(error)".contains("'zeros', 'reflect', 'replicate' or 'circular'"), "\(error)")
        }
        XCTAssertThrowsError(try Upsample(scaleFactor: [2], mode: "cubic")) { error in
            XCTAssertTrue("\(error)".contains("'nearest', 'bilinear'"), "\(error)")
        }
        XCTAssertThrowsError(try Dropout(p: 1.5)) { error in
            XCTAssertTrue("\(error)".contains("between 0 and 1, but got 1.5"), "\(error)")
        }
    }

    func testSetAttributeFollowsPyTorchRules() throws {
        let m = Module()
        XCTAssertTrue(try m.setAttribute("w", .parameter(Tensor.ones([2]))))
        XCTAssertTrue(try m.setAttribute("child", .module(ReLU())))
        try m.registerBuffer("stat", Tensor.zeros([2]))
        XCTAssertTrue(try m.setAttribute("stat", .tensor(Tensor.ones([2]))))
        XCTAssertFalse(try m.setAttribute("plain", .tensor(Tensor.ones([1]))))
        XCTAssertThrowsError(try m.setAttribute("w", .tensor(Tensor.ones([2]))))
        XCTAssertTrue(try m.setAttribute("w", .none))
        XCTAssertEqual(m.stateDict().map(\.key), ["stat"])
        XCTAssertEqual(m.namedModules().map(\.name), ["", "child"])
        m.eval()
        XCTAssertFalse(try XCTUnwrap(m.child("child")).training)
        XCTAssertThrowsError(try m.registerModule("a.b", ReLU()))
        // Assigning a module over a buffer replaces it, as PyTorch's __setattr__ does.
        XCTAssertTrue(try m.setAttribute("stat", .module(Tanh())))
        XCTAssertEqual(m.stateDict().map(\.key), [])
        XCTAssertEqual(m.namedChildren().map(\.name), ["child", "stat"])
        XCTAssertThrowsError(try m.setAttribute("stat", .tensor(Tensor.ones([1])))) { error in
            XCTAssertTrue("\(error)".contains("as child module 'stat'"), "\(error)")
        }
    }
}

func assertClose(_ a: [Double], _ b: [Double], _ tolerance: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(what): count", file: file, line: line)
    var worst = 0.0
    for (x, y) in zip(a, b) { worst = Swift.max(worst, Swift.abs(x - y)) }
    XCTAssertLessThanOrEqual(worst, tolerance, "\(what): max abs error \(worst)", file: file, line: line)
}
