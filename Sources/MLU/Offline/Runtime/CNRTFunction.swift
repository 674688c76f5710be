import Tensors

/// One function of an offline model: its I/O description and the graph an executor runs.
///
/// Mirrors CNRT's per-function queries (`cnrtGetInputDataShape`, `cnrtGetInputDataType`,
/// `cnrtGetInputDataSize` and their output twins; reference cambricon.md §6, step 5).
/// Shapes are NHWC, as on the card.
public struct CNRTFunction: @unchecked Sendable {
    public let model: OfflineModel

    init(model: OfflineModel) { self.model = model }

    public var name: String { model.graph.functionName }
    public var graph: OfflineGraph { model.graph }
    public var constants: [OfflineConstant] { model.constants }
    public var inputs: [OfflineIODescriptor] { model.inputs }
    public var outputs: [OfflineIODescriptor] { model.outputs }

    /// `cnrtGetInputDataShape`.
    public func inputShape(at index: Int) throws -> [Int] { try descriptor(inputs, "input", index).shape }
    /// `cnrtGetOutputDataShape`.
    public func outputShape(at index: Int) throws -> [Int] { try descriptor(outputs, "output", index).shape }
    /// `cnrtGetInputDataType`.
    public func inputDataType(at index: Int) throws -> CNRTDataType { try descriptor(inputs, "input", index).dataType }
    /// `cnrtGetOutputDataType`.
    public func outputDataType(at index: Int) throws -> CNRTDataType { try descriptor(outputs, "output", index).dataType }
    /// `cnrtGetInputDataSize`: bytes per input for the whole batch.
    public var inputDataSizes: [Int] { inputs.map(\.byteCount) }
    /// `cnrtGetOutputDataSize`: bytes per output for the whole batch.
    public var outputDataSizes: [Int] { outputs.map(\.byteCount) }

    /// `cnrtInvokeRuntimeContext`: checks `inputs` against the input descriptors, runs `executor`,
    /// checks its outputs against the output descriptors.
    ///
    /// - Throws: `CNRTError` for a wrong count, shape (the message gives the expected NHWC shape)
    ///   or dtype, on either side; whatever `executor` throws.
    public func invoke(_ inputs: [Tensor], executor: OfflineExecutor) throws -> [Tensor] {
        guard inputs.count == self.inputs.count else {
            throw CNRTError.inputCountMismatch(function: name, expected: self.inputs.count, found: inputs.count)
        }
        for (k, (t, d)) in zip(inputs, self.inputs).enumerated() {
            guard t.shape == d.shape else {
                throw CNRTError.inputShapeMismatch(function: name, index: k, expected: d.shape, found: t.shape)
            }
            guard t.dtype == d.dataType.dtype else {
                throw CNRTError.inputDTypeMismatch(function: name, index: k, expected: d.dataType, found: t.dtype)
            }
        }
        let results = try executor.execute(self, inputs: inputs.map { $0.contiguous() })
        guard results.count == outputs.count else {
            throw CNRTError.outputCountMismatch(function: name, expected: outputs.count, found: results.count)
        }
        for (k, (t, d)) in zip(results, outputs).enumerated() where t.shape != d.shape || t.dtype != d.dataType.dtype {
            throw CNRTError.outputMismatch(function: name, index: k, expected: "\(d.dataType.rawValue) \(d.shape)",
                                           found: "\(t.dtype.rawValue) \(t.shape)")
        }
        return results
    }

    private func descriptor(_ list: [OfflineIODescriptor], _ kind: String, _ index: Int) throws -> OfflineIODescriptor {
        guard list.indices.contains(index) else { throw CNRTError.indexOutOfRange(kind: kind, index: index, count: list.count) }
        return list[index]
    }
}
