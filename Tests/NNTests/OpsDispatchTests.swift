import NN
import Ops
import Tensors
import XCTest

/// The Ops layer: shape rules agree with the kernels, the dispatcher routes by device and reports to recorders.
final class OpsDispatchTests: XCTestCase {
    final class ListRecorder: OpRecorder {
        var names: [String] = []
        var shapes: [[Int]] = []
        func record(_ op: Op, inputs: [Tensor], outputs: [Tensor]) {
            names.append(op.name)
            shapes.append(outputs.first?.shape ?? [])
        }
    }

    func testShapeRulesAgreeWithExecution() throws {
        let x4 = try Tensor.randn([2, 4, 9, 7])
        let x3 = try Tensor.randn([3, 5, 6])
        let cases: [(Op, [Tensor])] = [
            (.add, [x3, try Tensor.randn([5, 1])]),
            (.compare(.less), [x3, try Tensor.randn([6])]),
            (.select, [try Tensor.ones([5, 1], dtype: .bool), x3, try Tensor.zeros([6])]),
            (.scalarArithmetic(.mul, 2, scalarFirst: true), [x3]),
            (.relu, [x4]), (.gelu(tanhApproximation: true), [x4]), (.prelu, [x4, try Tensor.ones([4])]),
            (.softmax(dim: -2), [x3]),
            (.sum(dims: [0, 2], keepDim: true), [x3]), (.mean(dims: [-1], keepDim: false), [x3]), (.sum(dims: nil, keepDim: false), [x3]),
            (.maxDim(dim: 1, keepDim: false), [x3]), (.argmax(dim: nil, keepDim: false), [x3]), (.argmin(dim: 2, keepDim: true), [x3]),
            (.matmul, [x3, try Tensor.randn([6, 2])]), (.matmul, [try Tensor.randn([6]), try Tensor.randn([2, 6, 3])]),
            (.linear, [x3, try Tensor.randn([4, 6])]),
            (.conv2d(Conv2dAttributes(stride: [2, 1], padding: [1, 2], dilation: [1, 2], groups: 2)), [x4, try Tensor.randn([6, 2, 3, 3])]),
            (.convTranspose2d(ConvTranspose2dAttributes(stride: [2, 2], padding: [1, 1], outputPadding: [1, 0])), [x4, try Tensor.randn([4, 3, 3, 3])]),
            (.batchNorm(eps: 1e-5, affine: false), [x4, try Tensor.zeros([4]), try Tensor.ones([4])]),
            (.maxPool2d(Pool2dAttributes(kernel: [3], stride: [2], padding: [1], ceilMode: true)), [x4]),
            (.avgPool2d(Pool2dAttributes(kernel: [2, 3], ceilMode: true)), [x4]),
            (.adaptiveAvgPool2d(outputSize: [4, 3]), [x4]),
            (.interpolate(InterpolateAttributes(scaleFactor: [1.5], mode: .bilinear, alignCorners: false)), [x4]),
            (.interpolate(InterpolateAttributes(size: [3, 11], mode: .nearest)), [x4]),
            (.pad([1, 2, -1, 0], value: 1), [x4]),
            (.reshape([-1, 6]), [x3]), (.view([15, 6]), [x3]), (.permute([2, 0, 1]), [x3]), (.transpose(0, -1), [x3]),
            (.flatten(startDim: 1, endDim: 2), [x4]), (.squeeze(nil), [try Tensor.zeros([1, 3, 1])]), (.unsqueeze(-1), [x3]),
            (.expand([2, 3, 5, 6]), [x3]), (.index([.at(1), .range(nil, nil, 2), .newAxis, .ellipsis]), [x3]),
            (.cat(dim: 1), [x3, try Tensor.zeros([3, 2, 6])]), (.stack(dim: -1), [x3, x3]),
            (.split(size: 2, dim: 1), [x3]), (.splitSizes([1, 4], dim: 1), [x3]), (.chunk(4, dim: 2), [x3]),
        ]
        for (op, inputs) in cases {
            let inferred = try op.inferShapes(inputs.map(\.shape))
            let actual = try CPUBackend().execute(op, inputs).map(\.shape)
            XCTAssertEqual(inferred, actual, "\(op.name)")
        }
        XCTAssertThrowsError(try Op.add.inferShapes([[2, 3], [4]])) { error in
            XCTAssertTrue("\(error)".contains("[2, 3] and [4]"), "\(error)")
        }
        XCTAssertThrowsError(try Op.index([.tensorInput]).inferShapes([[3], [3]]))
    }

    func testRecorderSeesEveryLayerOperation() throws {
        let net = try Sequential([Conv2d(3, 4, kernelSize: [3], padding: [1]), BatchNorm2d(4), ReLU(), Flatten(), Linear(4 * 5 * 5, 2)]).eval()
        let recorder = ListRecorder()
        let y = try Dispatcher.shared.recording(with: recorder) { try net(Tensor.randn([1, 3, 5, 5])) }
        XCTAssertEqual(recorder.names, ["conv2d", "batch_norm", "relu", "flatten", "linear"])
        XCTAssertEqual(recorder.shapes, [[1, 4, 5, 5], [1, 4, 5, 5], [1, 4, 5, 5], [1, 100], [1, 2]])
        XCTAssertEqual(y.shape, [1, 2])
        _ = try net(Tensor.randn([1, 3, 5, 5]))
        XCTAssertEqual(recorder.names.count, 5, "the recorder is removed after the scope")
    }

    func testDispatcherRoutesByDevice() throws {
        let cpu = try Tensor.ones([2])
        let mlu = cpu.to(Device.mlu)
        XCTAssertThrowsError(try TensorOps.add(cpu, mlu)) { error in
            XCTAssertTrue("\(error)".contains("cpu and mlu:0"), "\(error)")
        }
        let dispatcher = Dispatcher()
        XCTAssertThrowsError(try dispatcher.run(.relu, [mlu])) { error in
            XCTAssertTrue("\(error)".contains("no MLU backend"), "\(error)")
        }
        final class Negating: Backend, @unchecked Sendable {
            let name = "mlu"
            func execute(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor] { [try inputs[0].unary(.neg)] }
        }
        dispatcher.register(mlu: Negating())
        XCTAssertEqual(try dispatcher.run1(.relu, [mlu]).floats(), [-1, -1])
        XCTAssertEqual(try dispatcher.run1(.relu, [cpu]).floats(), [1, 1])
    }

    func testPropertiesAreData() {
        // Facts from PyTorch's and Cambricon's documentation (Hardswish arrived in PyTorch 1.6, SiLU in 1.7).
        XCTAssertTrue(Op.conv2d(Conv2dAttributes()).properties.isQuantizable)
        XCTAssertTrue(Op.linear.properties.isQuantizable)
        XCTAssertFalse(Op.relu.properties.isQuantizable)
        XCTAssertTrue(Op.add.properties.isElementwise)
        XCTAssertFalse(Op.softmax(dim: 1).properties.isElementwise)
        XCTAssertFalse(Op.hardswish.properties.existsInPyTorch13)
        XCTAssertFalse(Op.silu.properties.existsInPyTorch13)
        XCTAssertTrue(Op.interpolate(InterpolateAttributes(size: [2])).properties.existsInPyTorch13)
        XCTAssertTrue(Op.cat(dim: 1).properties.movesDataOnly)
    }
}

extension OpsDispatchTests {
    func testHalfModulesKeepHalfActivations() throws {
        let conv = try Conv2d(2, 3, kernelSize: [3], padding: [1])
        let x = try Tensor.randn([1, 2, 5, 5])
        let full = try conv(x)
        conv.half()
        XCTAssertEqual(conv.parameter("weight")?.dtype, .float16)
        let half = try conv(x.to(.float16))
        XCTAssertEqual(half.dtype, .float16)
        // Within float16 resolution of the float32 result (inputs and weights rounded to half).
        assertClose(half.scalars(), full.scalars(), 2e-2, "half conv")
    }
}
