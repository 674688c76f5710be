import FixtureSupport
import Checkpoint
import Foundation
import Imaging
import NN
import Ops
import Tensors
import XCTest

/// The fixture models load their PyTorch checkpoints strictly (module Checkpoint) and reproduce PyTorch's
/// outputs within 1e-4; CarSegNet's masks give the IoUs of reference/figures.json within 1e-3.
final class ModelOutputTests: XCTestCase {
    func testZooModelsReproducePyTorch() throws {
        for name in ["tiny_resnet", "tiny_mobilenet", "tiny_unet"] {
            let model = try TestModels.make(name)
            try model.loadStateDict(loadStateDict(contentsOf: Fixtures.zoo.appendingPathComponent("\(name).pth")), strict: true)
            model.eval()
            let x = try Fixtures.npy(Fixtures.zoo.appendingPathComponent("\(name)_input.npy"))
            let expected = try Fixtures.npy(Fixtures.zoo.appendingPathComponent("\(name)_output.npy"))
            let y = try model(x)
            XCTAssertEqual(y.shape, expected.shape, name)
            assertClose(y.scalars(), expected.scalars(), 1e-4, name)
        }
    }

    static func carSegNet() throws -> CarSegNet {
        let model = try CarSegNet.make()
        try model.loadStateDict(loadStateDict(contentsOf: Fixtures.carseg.appendingPathComponent("carsegnet.pth")), strict: true)
        return model.eval()
    }

    /// carsegnet.py's `preprocess`: HxWx3 uint8 → /255 → (x − mean)/std → 1x3xHxW, in PyTorch's operation order.
    static func preprocess(_ image: Tensor) throws -> Tensor {
        let mean = try Tensor(doubles: [0.485, 0.456, 0.406], shape: [3, 1, 1])
        let std = try Tensor(doubles: [0.229, 0.224, 0.225], shape: [3, 1, 1])
        let x = try TensorOps.arithmetic(.div, TensorOps.permute(TensorOps.cast(image, to: .float32), [2, 0, 1]), scalar: 255)
        return try TensorOps.unsqueeze(TensorOps.div(TensorOps.sub(x, mean), std), dim: 0)
    }

    func testCarSegNetReproducesPyTorch() throws {
        let model = try Self.carSegNet()
        let reference = Fixtures.carseg.appendingPathComponent("reference")
        let x = try Fixtures.npy(reference.appendingPathComponent("street_00_input.npy"))
        let decoded = try Self.preprocess(ImageCodec.read(contentsOf: Fixtures.carseg.appendingPathComponent("images/street_00.png"), channels: 3))
        assertClose(decoded.scalars(), x.scalars(), 1e-6, "preprocessed street_00")
        assertClose(try model.encoder4(x).3.scalars(), try Fixtures.npy(reference.appendingPathComponent("street_00_enc4.npy")).scalars(), 1e-4, "enc4")
        let prob = try model(x)
        XCTAssertEqual(prob.shape, [480, 480])
        assertClose(prob.scalars(), try Fixtures.npy(reference.appendingPathComponent("street_00_prob.npy")).scalars(), 1e-4, "street_00 prob")
        let x1 = try Self.preprocess(ImageCodec.read(contentsOf: Fixtures.carseg.appendingPathComponent("images/street_01.png"), channels: 3))
        assertClose(try model.encoder4(x1).3.scalars(), try Fixtures.npy(reference.appendingPathComponent("street_01_enc4.npy")).scalars(), 1e-4, "street_01 enc4")
        assertClose(try model(x1).scalars(), try Fixtures.npy(reference.appendingPathComponent("street_01_prob.npy")).scalars(), 1e-4, "street_01 prob")
    }

    func testCarSegNetIoUsMatchFigures() throws {
        let data = try Data(contentsOf: Fixtures.carseg.appendingPathComponent("reference/figures.json"))
        let figures = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let perImage = try XCTUnwrap(figures["per_image_iou_fp32"] as? [String: Double])
        let model = try Self.carSegNet()
        var totalIntersection = 0, totalUnion = 0
        for i in 0..<8 {
            let name = "street_0\(i)"
            let image = try ImageCodec.read(contentsOf: Fixtures.carseg.appendingPathComponent("images/\(name).png"), channels: 3)
            let truth = try ImageCodec.read(contentsOf: Fixtures.carseg.appendingPathComponent("images/\(name)_mask.png"), channels: 1)
            let predicted = try TensorOps.compare(.greater, model(Self.preprocess(image)), scalar: 0.5).integers()
            let actual = try TensorOps.compare(.greater, truth, scalar: 127).integers()
            XCTAssertEqual(predicted.count, actual.count)
            var intersection = 0, union = 0
            for (p, t) in zip(predicted, actual) {
                if p != 0 && t != 0 { intersection += 1 }
                if p != 0 || t != 0 { union += 1 }
            }
            totalIntersection += intersection
            totalUnion += union
            let iou = union == 0 ? 1.0 : Double(intersection) / Double(union)
            XCTAssertEqual(iou, try XCTUnwrap(perImage[name]), accuracy: 1e-3, name)
        }
        XCTAssertEqual(Double(totalIntersection) / Double(totalUnion), try XCTUnwrap(figures["dataset_iou_fp32"] as? Double), accuracy: 1e-3)
    }
}
