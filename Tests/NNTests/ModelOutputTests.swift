import Foundation
import NN
import Ops
import Tensors
import XCTest

/// The fixture models reproduce PyTorch's outputs. Until the Checkpoint reader lands, weights come from a
/// state-dict dump (`scripts/gen_nn_fixtures.py --dump-state-dicts DIR`, DIR in MLUS_STATE_DICT_DIR);
/// the test is skipped when that variable is unset.
final class ModelOutputTests: XCTestCase {
    func stateDict(_ name: String) throws -> [(key: String, tensor: Tensor)] {
        guard let dir = ProcessInfo.processInfo.environment["MLUS_STATE_DICT_DIR"] else {
            throw XCTSkip("MLUS_STATE_DICT_DIR not set (dump with scripts/gen_nn_fixtures.py --dump-state-dicts DIR)")
        }
        let base = URL(fileURLWithPath: dir).appendingPathComponent(name)
        let keys = try String(contentsOf: base.appendingPathComponent("keys.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        return try keys.enumerated().map { i, k in
            (key: k, tensor: try NpyFile.read(base.appendingPathComponent(String(format: "%03d.npy", i))))
        }
    }

    func testZooModelsReproducePyTorch() throws {
        for name in ["tiny_resnet", "tiny_mobilenet", "tiny_unet"] {
            let model = try TestModels.make(name)
            try model.loadStateDict(stateDict(name))
            model.eval()
            let x = try Fixtures.npy(Fixtures.zoo.appendingPathComponent("\(name)_input.npy"))
            let expected = try Fixtures.npy(Fixtures.zoo.appendingPathComponent("\(name)_output.npy"))
            let y = try model(x)
            XCTAssertEqual(y.shape, expected.shape, name)
            assertClose(y.scalars(), expected.scalars(), 1e-4, name)
        }
    }

    func testCarSegNetReproducesPyTorch() throws {
        let model = try CarSegNet.make()
        try model.loadStateDict(stateDict("carsegnet"))
        model.eval()
        let reference = Fixtures.carseg.appendingPathComponent("reference")
        let x = try Fixtures.npy(reference.appendingPathComponent("street_00_input.npy"))
        let enc4 = try model.encoder4(x).3
        assertClose(enc4.scalars(), try Fixtures.npy(reference.appendingPathComponent("street_00_enc4.npy")).scalars(), 1e-4, "enc4")
        let prob = try model(x)
        XCTAssertEqual(prob.shape, [480, 480])
        assertClose(prob.scalars(), try Fixtures.npy(reference.appendingPathComponent("street_00_prob.npy")).scalars(), 1e-4, "prob")
    }
}
