import Foundation
import NN
import Tensors

/// Agreement of a tensor with its FP32 reference, accumulated over several inputs.
public struct ErrorStatistics: Equatable, Sendable {
    private var dot = 0.0, normTest = 0.0, normReference = 0.0, squaredError = 0.0
    /// Largest |test - reference| over every element seen.
    public private(set) var maxAbsoluteError = 0.0

    public init() {}

    /// Cosine similarity of all elements seen (1 when both are all zero).
    public var cosine: Double {
        if normTest == 0 && normReference == 0 { return 1 }
        guard normTest > 0, normReference > 0 else { return 0 }
        return dot / (normTest.squareRoot() * normReference.squareRoot())
    }

    /// `‖test - reference‖₂ / ‖reference‖₂` (0 when both are zero).
    public var relativeError: Double {
        if normReference == 0 { return squaredError == 0 ? 0 : .infinity }
        return (squaredError / normReference).squareRoot()
    }

    /// Adds one output pair (same shapes).
    public mutating func add(test: [Float], reference: [Float]) {
        for i in 0..<min(test.count, reference.count) {
            let t = Double(test[i]), r = Double(reference[i])
            dot += t * r
            normTest += t * t
            normReference += r * r
            squaredError += (t - r) * (t - r)
            maxAbsoluteError = max(maxAbsoluteError, abs(t - r))
        }
    }
}

/// The accuracy table of `mlu_quantize.compare` (RKNN-Toolkit's accuracy analysis, for Catch models).
public struct AccuracyReport: Sendable {
    public struct Row: Sendable {
        public var name: String
        public var dtype: QuantDType
        /// The quantized model run end to end: errors of earlier layers propagate.
        public var wholeGraph: ErrorStatistics
        /// The layer alone, fed the FP32 model's input to it.
        public var singleLayer: ErrorStatistics
    }

    /// Layers below this cosine are flagged.
    public static let cosineThreshold = 0.99

    public var rows: [Row]
    /// The quantized model's final output against the float model's.
    public var output: ErrorStatistics

    /// Flagged layers: whole-graph or single-layer cosine below the threshold.
    public var flagged: [Row] {
        rows.filter { $0.wholeGraph.cosine < Self.cosineThreshold || $0.singleLayer.cosine < Self.cosineThreshold }
    }

    /// The layer whose own quantization hurts most (largest single-layer relative error; cosines near 1
    /// separate layers less well).
    public var worst: Row? { rows.max { $0.singleLayer.relativeError < $1.singleLayer.relativeError } }

    /// The printed table.
    public var text: String {
        func f(_ x: Double, _ digits: Int = 6) -> String { String(format: "%.\(digits)f", x) }
        func e(_ x: Double) -> String { String(format: "%.3e", x) }
        let width = max(10, rows.map(\.name.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        var lines = ["\(pad("layer", width))  dtype  | whole graph: cosine   max_abs    rel_err  | single layer: cosine   max_abs    rel_err"]
        for r in rows {
            let flag = (r.wholeGraph.cosine < Self.cosineThreshold || r.singleLayer.cosine < Self.cosineThreshold) ? "  <-- cosine < 0.99" : ""
            lines.append("\(pad(r.name, width))  \(pad(r.dtype.rawValue, 5))  |            \(f(r.wholeGraph.cosine)) \(e(r.wholeGraph.maxAbsoluteError)) \(e(r.wholeGraph.relativeError)) |             \(f(r.singleLayer.cosine)) \(e(r.singleLayer.maxAbsoluteError)) \(e(r.singleLayer.relativeError))\(flag)")
        }
        lines.append("\(pad("output", width))         |            \(f(output.cosine)) \(e(output.maxAbsoluteError)) \(e(output.relativeError)) |")
        let bad = flagged
        lines.append(bad.isEmpty ? "no layer below cosine 0.99" : "below cosine 0.99: \(bad.map(\.name).joined(separator: ", ")) — try mixed_layer={\"\(bad.map(\.name).joined(separator: ","))\": \"int16\"}")
        if let w = worst {
            lines.append("worst layer: \(w.name) (single layer: relative error \(e(w.singleLayer.relativeError)), cosine \(f(w.singleLayer.cosine)); whole graph: cosine \(f(w.wholeGraph.cosine)))")
        }
        return lines.joined(separator: "\n")
    }
}

/// Per-layer accuracy of a quantized model against FP32 (`mlu_quantize.compare`).
///
/// For each input: the quantized model runs in float on the CPU (which is the FP32 model, Catch's CPU
/// forward) to record every quantized layer's FP32 input and output; then with integer arithmetic
/// ("whole graph"); then each layer alone with integers on its recorded FP32 input ("single layer").
/// Inputs are what the float model takes: the firstconv layer is fed normalized values and does not
/// normalize again. `floatModel` gives the reference of the final output. Arithmetic is FP32. A model
/// still calibrating gets its scales computed first, as `state_dict()` would.
public func compareQuantization(floatModel: Module, quantizedModel: Module, inputs: [Tensor]) throws -> AccuracyReport {
    let layers = quantizedLayers(of: quantizedModel)
    guard !layers.isEmpty else {
        throw QuantizationError.invalidArgument("compare: the second model has no quantized layer; pass the result of quantize_dynamic_mlu")
    }
    try prepareQuantizedStateDict(quantizedModel)
    let device = quantizedModel.parameters().first?.device ?? .cpu
    let floatDevice = floatModel.parameters().first?.device ?? .cpu
    quantizedModel.to(.cpu)
    floatModel.to(.cpu)
    let savedObservers = layers.map { $0.layer.quantization.observer }
    defer {
        for (i, l) in layers.enumerated() {
            let q = l.layer.quantization
            q.observer = savedObservers[i]
            q.capture = nil
            q.forcesIntegerPath = false
            q.skipsFirstConvNormalization = false
        }
        quantizedModel.to(device)
        floatModel.to(floatDevice)
    }
    var rows = layers.map { AccuracyReport.Row(name: $0.name.isEmpty ? $0.layer.typeName : $0.name, dtype: $0.layer.quantization.dtype,
                                               wholeGraph: ErrorStatistics(), singleLayer: ErrorStatistics()) }
    var output = ErrorStatistics()
    for input in inputs {
        let x = input.to(.cpu)
        var references: [(input: Tensor, output: Tensor)?] = Array(repeating: nil, count: layers.count)
        for (i, l) in layers.enumerated() {
            let q = l.layer.quantization
            q.observer = nil
            q.forcesIntegerPath = false
            q.capture = { inp, out in if references[i] == nil { references[i] = (inp, out) } }
        }
        _ = try quantizedModel.forward(x)
        let floatOut = try floatModel.forward(x)
        var integerOutputs: [Tensor?] = Array(repeating: nil, count: layers.count)
        for (i, l) in layers.enumerated() {
            let q = l.layer.quantization
            q.forcesIntegerPath = true
            q.skipsFirstConvNormalization = true
            q.capture = { _, out in if integerOutputs[i] == nil { integerOutputs[i] = out } }
        }
        let quantOut = try quantizedModel.forward(x)
        output.add(test: quantOut.contiguousFloat32().floats(), reference: floatOut.contiguousFloat32().floats())
        for (i, l) in layers.enumerated() {
            l.layer.quantization.capture = nil
            guard let ref = references[i] else { continue }
            let refOut = ref.output.contiguousFloat32().floats()
            if let whole = integerOutputs[i] { rows[i].wholeGraph.add(test: whole.contiguousFloat32().floats(), reference: refOut) }
            let single = try l.layer.integerForward(ref.input, normalization: nil)
            rows[i].singleLayer.add(test: single.contiguousFloat32().floats(), reference: refOut)
        }
    }
    return AccuracyReport(rows: rows, output: output)
}
