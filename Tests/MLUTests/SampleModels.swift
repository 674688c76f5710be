import Tensors
@testable import MLU

/// Models built by hand for the tests; every number is written out here.
enum SampleModels {
    /// A tensor of `dtype` whose bytes are `pattern` repeated (little-endian raw bytes).
    static func tensor(_ shape: [Int], _ dtype: DType, seed: UInt8) -> Tensor {
        let t = Tensor(zeros: shape, dtype: dtype)
        let n = t.count * dtype.itemSize
        for i in 0..<n { t.storage.bytes.storeBytes(of: UInt8(truncatingIfNeeded: i &* 37 &+ Int(seed)), toByteOffset: i, as: UInt8.self) }
        return t
    }

    static func float32Tensor(_ values: [Float], _ shape: [Int]) -> Tensor { Tensor(values, shape: shape) }

    /// Conv (int8 per-channel weights, FP16 bias) → mul by an FP32 scale → output FP16; every
    /// attribute kind appears once.
    static func convNet(coreVersion: CoreVersion = .mlu270, coreNumber: Int = 16) -> OfflineModel {
        let values = [
            OfflineValue(name: "input", dtype: .float32, shape: [1, 3, 8, 8]),
            OfflineValue(name: "conv1.weight", dtype: .int8, shape: [4, 3, 3, 3]),
            OfflineValue(name: "conv1.bias", dtype: .float16, shape: [4]),
            OfflineValue(name: "conv1.out", dtype: .float32, shape: [1, 4, 8, 8]),
            OfflineValue(name: "bn.scale", dtype: .float32, shape: [1, 4, 1, 1]),
            OfflineValue(name: "fc.weight", dtype: .int16, shape: [2, 4]),
            OfflineValue(name: "output", dtype: .float16, shape: [1, 4, 8, 8]),
        ]
        let conv = OfflineNode(op: "conv2d", attributes: [
            "stride": .ints([1, 1]), "padding": .ints([1, 1]), "groups": .int(1), "input_scale": .float(12.5),
            "has_bias": .bool(true), "padding_mode": .string("zeros"), "weight_scales": .floats([0.5, 0.25, 1e-3, 3]),
        ], inputs: [0, 1, 2], outputs: [3])
        let mul = OfflineNode(op: "mul", inputs: [3, 4], outputs: [6])
        let constants = [
            OfflineConstant(valueId: 1, tensor: tensor([4, 3, 3, 3], .int8, seed: 1),
                            quantization: OfflineQuantization(scales: [10, 20, 30, 40], axis: 0)),
            OfflineConstant(valueId: 2, tensor: tensor([4], .float16, seed: 2)),
            OfflineConstant(valueId: 4, tensor: float32Tensor([1, 2, 3, 4], [1, 4, 1, 1])),
            OfflineConstant(valueId: 5, tensor: tensor([2, 4], .int16, seed: 3), quantization: OfflineQuantization(scale: 327.67)),
        ]
        return OfflineModel(
            graph: OfflineGraph(functionName: "subnet0", values: values, nodes: [conv, mul]),
            constants: constants,
            inputs: [OfflineIODescriptor(name: "", valueId: 0, dataType: .float32, shape: [1, 8, 8, 3])],
            outputs: [OfflineIODescriptor(name: "", valueId: 6, dataType: .float16, shape: [1, 8, 8, 4])],
            target: OfflineTarget(coreVersion: coreVersion, coreNumber: coreNumber, batch: 1, inputFormat: nil),
            provenance: OfflineProvenance(sourceSHA256: (0..<32).map { UInt8($0) }, toolVersion: "mlus 0.1.0",
                                          creationTime: 1_790_000_000,
                                          quantizationSettings: ["dtype": "int8", "per_channel": "True", "firstconv": "False"]))
    }

    /// out = input + bias, NHWC float32 [1, 2, 2, 2], one `add` node; for the runtime tests.
    static func addNet() -> OfflineModel {
        let values = [
            OfflineValue(name: "x", dtype: .float32, shape: [1, 2, 2, 2]),
            OfflineValue(name: "bias", dtype: .float32, shape: [1, 2, 2, 2]),
            OfflineValue(name: "y", dtype: .float32, shape: [1, 2, 2, 2]),
        ]
        return OfflineModel(
            graph: OfflineGraph(values: values, nodes: [OfflineNode(op: "add", inputs: [0, 1], outputs: [2])]),
            constants: [OfflineConstant(valueId: 1, tensor: Tensor([0.5, -1, 2, 0, 10, 20, -30, 0.25], shape: [1, 2, 2, 2]))],
            inputs: [OfflineIODescriptor(valueId: 0, dataType: .float32, shape: [1, 2, 2, 2])],
            outputs: [OfflineIODescriptor(valueId: 2, dataType: .float32, shape: [1, 2, 2, 2])],
            target: OfflineTarget(coreVersion: .mlu220, coreNumber: 4),
            provenance: OfflineProvenance(sourceSHA256: [UInt8](repeating: 7, count: 32), toolVersion: "mlus test", creationTime: 0))
    }
}
