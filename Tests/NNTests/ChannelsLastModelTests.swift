import NN
import Ops
import Tensors
import XCTest

/// Whole models fed channels-last input compute what they compute on NCHW input (which the model-output
/// tests compare with PyTorch).
final class ChannelsLastModelTests: XCTestCase {
    func testModelsAgreeAcrossMemoryFormats() throws {
        for (name, size) in [("carsegnet", 96), ("tiny_resnet", 64), ("tiny_mobilenet", 64), ("tiny_unet", 64)] {
            let model = try TestModels.make(name).eval()
            let x = try Tensor.randn([1, 3, size, size], generator: Generator(seed: 21))
            let plain = try model(x)
            let cl = try model(x.contiguous(memoryFormat: .channelsLast))
            assertClose(cl.scalars(), plain.scalars(), 1e-4, name)
        }
    }
}
