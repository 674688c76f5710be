import Foundation
import XCTest
import Tensors
@testable import MLU

/// A test-only executor for graphs made of `add` nodes (the real one belongs to the engine).
private struct AddExecutor: OfflineExecutor {
    func execute(_ function: CNRTFunction, inputs: [Tensor]) throws -> [Tensor] {
        var values = [Int: [Float]]()
        for (d, t) in zip(function.inputs, inputs) { values[d.valueId] = t.floats() }
        for c in function.constants { values[c.valueId] = c.tensor.floats() }
        for node in function.graph.nodes {
            guard node.op == "add", node.inputs.count == 2, let a = values[node.inputs[0]], let b = values[node.inputs[1]] else {
                throw TensorError.invalidArgument("test executor runs only add")
            }
            values[node.outputs[0]] = zip(a, b).map { $0 + $1 }
        }
        return function.outputs.map { Tensor(values[$0.valueId] ?? [], shape: $0.shape) }
    }
}

/// Returns a tensor of the wrong shape, to check that invoke holds executors to the model.
private struct WrongShapeExecutor: OfflineExecutor {
    func execute(_ function: CNRTFunction, inputs: [Tensor]) throws -> [Tensor] { [Tensor([1, 2], shape: [2])] }
}

final class CNRTRuntimeTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mlus-cnrt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func saved(_ model: OfflineModel) throws -> String {
        let path = directory.appendingPathComponent("add.cambricon").path
        try OfflineModelWriter.write(model, to: path)
        return path
    }

    func testLoadExtractQueryInvoke() throws {
        let cnrtModel = try CNRTModel.load(path: try saved(SampleModels.addNet()))
        XCTAssertEqual(cnrtModel.functionNames, ["subnet0"])
        XCTAssertEqual(cnrtModel.modelParallelism, 4)
        let function = try cnrtModel.extractFunction(named: "subnet0")
        XCTAssertEqual(try function.inputShape(at: 0), [1, 2, 2, 2])
        XCTAssertEqual(try function.outputDataType(at: 0), .float32)
        XCTAssertEqual(function.inputDataSizes, [32])
        XCTAssertEqual(function.outputDataSizes, [32])
        XCTAssertThrowsError(try function.inputShape(at: 1)) {
            XCTAssertEqual($0 as? CNRTError, .indexOutOfRange(kind: "input", index: 1, count: 1))
        }
        let x = Tensor([1, 2, 3, 4, -5, 6, 7, 8], shape: [1, 2, 2, 2])
        let y = try function.invoke([x], executor: AddExecutor())
        // x + [0.5, -1, 2, 0, 10, 20, -30, 0.25], the constant stored in the file.
        XCTAssertEqual(y[0].floats(), [1.5, 1, 5, 4, 5, 26, -23, 8.25])
    }

    func testRuntimeErrorsNameWhatIsExpected() throws {
        let cnrtModel = try CNRTModel.load(path: try saved(SampleModels.addNet()))
        XCTAssertThrowsError(try cnrtModel.extractFunction(named: "subnet1")) { error in
            XCTAssertEqual("\(error)", "cnrtExtractFunction: no function 'subnet1' in the model; available: subnet0")
        }
        let function = try cnrtModel.extractFunction(named: "subnet0")
        XCTAssertThrowsError(try function.invoke([Tensor(zeros: [1, 2, 2, 3])], executor: AddExecutor())) { error in
            XCTAssertEqual("\(error)", "subnet0 input #0 has shape [1, 2, 2, 3]; expected NHWC [1, 2, 2, 2]")
        }
        XCTAssertThrowsError(try function.invoke([Tensor(zeros: [1, 2, 2, 2], dtype: .float16)], executor: AddExecutor())) {
            XCTAssertEqual($0 as? CNRTError, .inputDTypeMismatch(function: "subnet0", index: 0, expected: .float32, found: .float16))
        }
        XCTAssertThrowsError(try function.invoke([], executor: AddExecutor())) {
            XCTAssertEqual($0 as? CNRTError, .inputCountMismatch(function: "subnet0", expected: 1, found: 0))
        }
        XCTAssertThrowsError(try function.invoke([Tensor(zeros: [1, 2, 2, 2])], executor: WrongShapeExecutor())) {
            XCTAssertEqual($0 as? CNRTError, .outputMismatch(function: "subnet0", index: 0, expected: "CNRT_FLOAT32 [1, 2, 2, 2]",
                                                             found: "float32 [2]"))
        }
    }

    func testTwinsBesideTheModel() throws {
        let path = try saved(SampleModels.addNet())
        let cnrtModel = try CNRTModel.load(path: path)
        XCTAssertThrowsError(try cnrtModel.twins()) {
            XCTAssertEqual($0 as? CNRTError, .twinsMissing(path: path + "_twins"))
        }
        let twins = TwinsFile(model: cnrtModel.model, modelFileName: "add.cambricon")
        try TwinsWriter.write(twins, to: path + "_twins")
        XCTAssertEqual(try cnrtModel.twins(), twins)
        XCTAssertEqual(try cnrtModel.twins().functions[0].kernelHeaders[0].modelParallelism, 4)
    }

    func testSaveWritesTheModelAndItsTwins() throws {
        let name = directory.appendingPathComponent("carseg_int8_fp16").path
        let paths = try SampleModels.convNet(coreVersion: .mlu220, coreNumber: 4).save(as: name)
        XCTAssertEqual(paths.model, name + ".cambricon")
        XCTAssertEqual(paths.twins, name + ".cambricon_twins")
        let loaded = try CNRTModel.load(path: paths.model)
        let twins = try loaded.twins()
        XCTAssertEqual(twins.modelFileName, "carseg_int8_fp16.cambricon")
        XCTAssertEqual(twins.functions[0].name, "subnet0")
        XCTAssertEqual(twins.functions[0].inputs[0].shape, [1, 8, 8, 3])
        XCTAssertEqual(twins.functions[0].outputs[0].dataType, "CNRT_FLOAT16")
        XCTAssertEqual(twins.functions[0].kernelHeaders[0].modelParallelism, 4)
    }

    func testFloatCasts() throws {
        // Float16 by hand: 1/3 → 0x3555 (0.333251953125), 65504 is the largest finite half (0x7BFF),
        // 70000 overflows to +inf (0x7C00), 1e-8 is below half the smallest subnormal (2^-25) → 0,
        // -2.5 → 0xC100.
        let x = Tensor([1.0 / 3.0, 65504, 70000, 1e-8, -2.5], shape: [5])
        let h = try CNRT.float32ToFloat16(x)
        XCTAssertEqual(h.dtype, .float16)
        let bits = (0..<5).map { h.storage.bytes.load(fromByteOffset: 2 * $0, as: UInt16.self) }
        XCTAssertEqual(bits, [0x3555, 0x7BFF, 0x7C00, 0x0000, 0xC100])
        let back = try CNRT.float16ToFloat32(h)
        XCTAssertEqual(back.dtype, .float32)
        XCTAssertEqual(back.floats(), [0.333251953125, 65504, .infinity, 0, -2.5])
        XCTAssertThrowsError(try CNRT.cast(Tensor(zeros: [2], dtype: .int8), to: .float32)) {
            XCTAssertEqual($0 as? CNRTError, .unsupportedCast(from: .int8, to: .float32))
        }
    }

    func testLayoutTransposes() throws {
        // NHWC [1, 2, 3, 2] holding 0..11: element (h, w, c) = 6h + 2w + c.
        let nhwc = Tensor((0..<12).map(Float.init), shape: [1, 2, 3, 2])
        let nchw = try CNRT.nhwcToNCHW(nhwc)
        XCTAssertEqual(nchw.shape, [1, 2, 2, 3])
        XCTAssertEqual(nchw.floats(), [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11])
        XCTAssertTrue(nchw.isContiguous)
        XCTAssertEqual(try CNRT.nchwToNHWC(nchw).floats(), nhwc.floats())
        let half = try CNRT.float32ToFloat16(nhwc)
        let out = try CNRT.nhwcToNCHWFloat32(half)
        XCTAssertEqual(out.dtype, .float32)
        XCTAssertEqual(out.floats(), [0, 2, 4, 6, 8, 10, 1, 3, 5, 7, 9, 11])
        XCTAssertThrowsError(try CNRT.nhwcToNCHW(Tensor([1, 2], shape: [2]))) {
            XCTAssertEqual($0 as? CNRTError, .rankNotFour(operation: "NHWC to NCHW", shape: [2]))
        }
    }
}
