import Foundation
import Tensors

/// The firstconv normalization the MLU's first convolution applies to raw 0..255 pixels
/// (reference §2): `(x - 255·mean) / (255·std)` per input channel. Values are stored ×255.
public struct FirstConvNormalization: Equatable, Sendable {
    /// `mean × 255`, one per input channel (the `input_mean` buffer).
    public var mean255: [Float]
    /// `std × 255`, one per input channel (the `input_std` buffer).
    public var std255: [Float]

    public init(mean255: [Float], std255: [Float]) {
        self.mean255 = mean255
        self.std255 = std255
    }

    /// From the user's `mean`/`std` in [0, 1], broadcast to `channels` when one value is given.
    public init(mean: [Float], std: [Float], channels: Int) throws {
        func fit(_ v: [Float], _ key: String) throws -> [Float] {
            if v.count == channels { return v }
            if v.count == 1 { return [Float](repeating: v[0], count: channels) }
            throw QuantizationError.invalidConfig(key: key, message: "has \(v.count) values but the first conv has \(channels) input channels")
        }
        mean255 = try fit(mean, "mean").map { $0 * 255 }
        std255 = try fit(std, "std").map { $0 * 255 }
    }
}

/// The integer arithmetic of a quantized conv/linear on the MLU (reference §1.6, §9):
/// quantize input with `s_in` and weight with `s_w` (round half away from zero, clamp), exact integer
/// convolution, `acc / (s_in · s_w)` per output channel, plus the float bias.
public enum QuantizedCompute {
    /// Quantized 2-D convolution of an NCHW float input; returns float32 on the input's device.
    ///
    /// - Parameters:
    ///   - normalization: the firstconv normalization applied to `input` before quantizing, or nil.
    ///   - epilogue: BatchNorm/ReLU fused after the dequantization (fused mode), applied per output channel.
    ///   - outputFormat: the output's memory format; nil takes the input's (as PyTorch's convolutions do).
    ///   - inputIsCodes: `input` is int8 codes at `inputScale` (a previous convolution's `outputCodeScale`
    ///     output), taken as they are instead of quantized (int8 only).
    ///   - outputCodeScale: return the int8 codes the next convolution makes of the output with this input scale
    ///     (`clamp(round(y · s))`, the quantizer's arithmetic) instead of the float output (int8 only): fused
    ///     mode's `passingCodesBetweenQuantizedConvolutions`.
    ///
    /// Runs on oneDNN's exact integer kernels where the CPU has them (`FastIntegerConvolution`), else on the
    /// float32-chunk reference (`referenceConv2d`); both give the same bits. The output takes the input's
    /// memory format (channels-last in, channels-last out, as PyTorch's convolutions do).
    public static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry,
                              dtype: QuantDType, inputScale: Float, weightScales: [Float],
                              normalization: FirstConvNormalization? = nil, epilogue: ConvolutionEpilogue = .none,
                              outputFormat: MemoryFormat? = nil, inputIsCodes: Bool = false, outputCodeScale: Float? = nil) throws -> Tensor {
        try validate(input, weight: weight, bias: bias, weightScales: weightScales, normalization: normalization, epilogue: epilogue)
        try validateCodes(input: input, dtype: dtype, inputIsCodes: inputIsCodes, outputCodeScale: outputCodeScale, normalization: normalization)
        // A oneDNN failure on the fast path (an unsupported geometry, no memory) leaves the reference to run or
        // to report the problem in its own words.
        if fastPathEnabled,
           let y = try? FastIntegerConvolution.conv2d(input, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                      inputScale: inputScale, weightScales: weightScales, normalization: normalization,
                                                      epilogue: epilogue, outputFormat: outputFormat, inputIsCodes: inputIsCodes,
                                                      outputCodeScale: outputCodeScale) {
            return y
        }
        return try referenceConv2d(input, weight: weight, bias: bias, geometry: geometry, dtype: dtype, inputScale: inputScale,
                                   weightScales: weightScales, normalization: normalization, epilogue: epilogue,
                                   inputIsCodes: inputIsCodes, outputCodeScale: outputCodeScale)
            .laidOut(outputFormat)
    }

    private static func validateCodes(input: Tensor, dtype: QuantDType, inputIsCodes: Bool, outputCodeScale: Float?,
                                      normalization: FirstConvNormalization?) throws {
        guard inputIsCodes || outputCodeScale != nil else { return }
        guard dtype == .int8 else { throw QuantizationError.invalidArgument("quantized conv2d: only int8 convolutions pass codes") }
        if inputIsCodes {
            guard input.dtype == .int8, normalization == nil else {
                throw QuantizationError.invalidArgument("quantized conv2d: codes input must be int8 without firstconv normalization, got \(input.dtype.rawValue)")
            }
        }
        if let s = outputCodeScale, !(s.isFinite && s > 0) {
            throw QuantizationError.invalidArgument("quantized conv2d: output code scale \(s) must be positive")
        }
    }

    /// The quantized convolution of `cat(parts, dim: 1)`, the same bits as concatenating first: fused mode
    /// hands a convolution the inputs of the `cat` it reads (`absorbingConcatIntoQuantizedConvolutions`), and
    /// the fast path quantizes each part straight into its channels instead of copying the floats.
    public static func conv2d(concatenating parts: [Tensor], weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry,
                              dtype: QuantDType, inputScale: Float, weightScales: [Float],
                              epilogue: ConvolutionEpilogue = .none, outputFormat: MemoryFormat? = nil) throws -> Tensor {
        try conv2d(concatenating: parts.map { ConvolutionInput($0) }, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                   inputScale: inputScale, weightScales: weightScales, epilogue: epilogue, outputFormat: outputFormat)
    }

    /// `conv2d(concatenating:)` on parts some of which are resized first (`ConvolutionInput.resize`, an
    /// `interpolate` fused mode let the convolution absorb): the same bits as resizing, then concatenating.
    /// `outputCodeScale`: as in `conv2d(_:...)`.
    public static func conv2d(concatenating parts: [ConvolutionInput], weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry,
                              dtype: QuantDType, inputScale: Float, weightScales: [Float],
                              epilogue: ConvolutionEpilogue = .none, outputFormat: MemoryFormat? = nil,
                              outputCodeScale: Float? = nil) throws -> Tensor {
        guard let first = parts.first else { throw QuantizationError.invalidArgument("quantized conv2d: no input to concatenate") }
        if parts.count == 1 && first.resize == nil {
            return try conv2d(first.tensor, weight: weight, bias: bias, geometry: geometry, dtype: dtype, inputScale: inputScale,
                              weightScales: weightScales, epilogue: epilogue, outputFormat: outputFormat, outputCodeScale: outputCodeScale)
        }
        let shapes = parts.map(\.shape)
        for (p, shape) in zip(parts, shapes) {
            guard shape.count == 4, shape[0] == shapes[0][0], shape[2] == shapes[0][2], shape[3] == shapes[0][3],
                  p.tensor.device == first.tensor.device else {
                throw QuantizationError.invalidArgument("quantized conv2d: cannot concatenate inputs \(shapes) along channels")
            }
        }
        let shape = [shapes[0][0], shapes.reduce(0) { $0 + $1[1] }, shapes[0][2], shapes[0][3]]
        try validate(shape: shape, weight: weight, bias: bias, weightScales: weightScales, normalization: nil, epilogue: epilogue)
        try validateCodes(input: first.tensor, dtype: dtype, inputIsCodes: false, outputCodeScale: outputCodeScale, normalization: nil)
        if fastPathEnabled,
           let y = try? FastIntegerConvolution.conv2d(concatenating: parts, weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                                                      inputScale: inputScale, weightScales: weightScales, normalization: nil,
                                                      epilogue: epilogue, outputFormat: outputFormat, outputCodeScale: outputCodeScale) {
            return y
        }
        let tensors = try parts.map { try $0.materialized() }
        let x = try (tensors.count == 1 ? tensors[0] : Tensor.cat(tensors, dim: 1)).to(first.tensor.device)
        return try referenceConv2d(x, weight: weight, bias: bias, geometry: geometry, dtype: dtype, inputScale: inputScale,
                                   weightScales: weightScales, epilogue: epilogue, outputCodeScale: outputCodeScale).laidOut(outputFormat)
    }

    /// Whether `conv2d` may use oneDNN's integer kernels (default true; the environment variable
    /// `MLUS_QUANT_REFERENCE=1` turns them off, for measurements and cross-checks).
    nonisolated(unsafe) public static var fastPathEnabled = ProcessInfo.processInfo.environment["MLUS_QUANT_REFERENCE"] != "1"

    /// True when this CPU runs oneDNN's integer convolution exactly (VNNI), so `conv2d` can take the fast path.
    public static var fastPathAvailable: Bool { IntegerConvolutionEngine.available != nil }

    private static func validate(_ input: Tensor, weight: Tensor, bias: Tensor?, weightScales: [Float],
                                 normalization: FirstConvNormalization?, epilogue: ConvolutionEpilogue) throws {
        try validate(shape: input.shape, weight: weight, bias: bias, weightScales: weightScales, normalization: normalization, epilogue: epilogue)
    }

    private static func validate(shape: [Int], weight: Tensor, bias: Tensor?, weightScales: [Float],
                                 normalization: FirstConvNormalization?, epilogue: ConvolutionEpilogue) throws {
        guard shape.count == 4, weight.rank == 4 else {
            throw QuantizationError.invalidArgument("quantized conv2d: expected 4-D input and weight, got \(shape) and \(weight.shape)")
        }
        let outChannels = weight.shape[0]
        guard weightScales.count == 1 || weightScales.count == outChannels else {
            throw QuantizationError.invalidArgument("quantized conv2d: \(weightScales.count) weight scales for \(outChannels) output channels")
        }
        if let bias, bias.count != outChannels {
            throw QuantizationError.invalidArgument("quantized conv2d: bias of \(bias.count) values for \(outChannels) output channels")
        }
        if let affine = epilogue.affine, affine.scale.count != outChannels || affine.shift.count != outChannels {
            throw QuantizationError.invalidArgument("quantized conv2d: fused BatchNorm of \(affine.scale.count) channels for \(outChannels) output channels")
        }
        if let normalization {
            let c = shape[1]
            guard normalization.mean255.count == c, normalization.std255.count == c else {
                throw QuantizationError.invalidArgument("firstconv: input_mean/input_std have \(normalization.mean255.count) values but the input has \(c) channels")
            }
        }
    }

    /// The exact reference: integer operands held in float32, oneDNN float32 convolutions over chunks small
    /// enough to sum exactly, float64 accumulation (`ExactIntegerConvolution`), float64 division, float32 bias,
    /// then the epilogue.
    public static func referenceConv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry,
                                       dtype: QuantDType, inputScale: Float, weightScales: [Float],
                                       normalization: FirstConvNormalization? = nil, epilogue: ConvolutionEpilogue = .none,
                                       inputIsCodes: Bool = false, outputCodeScale: Float? = nil) throws -> Tensor {
        try validate(input, weight: weight, bias: bias, weightScales: weightScales, normalization: normalization, epilogue: epilogue)
        try validateCodes(input: input, dtype: dtype, inputIsCodes: inputIsCodes, outputCodeScale: outputCodeScale, normalization: normalization)
        let outChannels = weight.shape[0]
        var x = input.to(.cpu).contiguousFloat32().floats()
        if let normalization {
            let c = input.shape[1], plane = input.shape[2] * input.shape[3]
            guard normalization.mean255.count == c, normalization.std255.count == c else {
                throw QuantizationError.invalidArgument("firstconv: input_mean/input_std have \(normalization.mean255.count) values but the input has \(c) channels")
            }
            for b in 0..<input.shape[0] {
                for ch in 0..<c {
                    let base = (b * c + ch) * plane
                    let m = normalization.mean255[ch], s = normalization.std255[ch]
                    x.withUnsafeMutableBufferPointer { p in
                        for i in base..<(base + plane) { p[i] = (p[i] - m) / s }
                    }
                }
            }
        }
        let qx = inputIsCodes ? x : quantize(x, scale: inputScale, dtype: dtype)
        let w = weight.to(.cpu).contiguousFloat32().floats()
        let qw = weightScales.count == 1 ? quantize(w, scale: weightScales[0], dtype: dtype)
            : quantizePerChannel(w, scales: weightScales, dtype: dtype)
        let (acc, shape) = try ExactIntegerConvolution.conv2d(input: qx, inputShape: input.shape, weight: qw, weightShape: weight.shape,
                                                              geometry: geometry, dtype: dtype)
        let b = try bias.map { t -> [Float] in
            guard t.count == outChannels else {
                throw QuantizationError.invalidArgument("quantized conv2d: bias of \(t.count) values for \(outChannels) output channels")
            }
            return t.to(.cpu).contiguousFloat32().floats()
        }
        let plane = shape[2] * shape[3]
        var out = [Float](repeating: 0, count: acc.count)
        let sIn = Double(inputScale)
        acc.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { o in
                for n in 0..<shape[0] {
                    for c in 0..<outChannels {
                        let divisor = sIn * Double(weightScales.count == 1 ? weightScales[0] : weightScales[c])
                        let bc = b?[c] ?? 0
                        let base = (n * outChannels + c) * plane
                        if epilogue.isNone {
                            for i in base..<(base + plane) { o[i] = Float(a[i] / divisor) + bc }
                        } else {
                            for i in base..<(base + plane) { o[i] = epilogue.apply(Float(a[i] / divisor) + bc, channel: c) }
                        }
                    }
                }
            }
        }
        if let codeScale = outputCodeScale {
            return Tensor(quantize(out, scale: codeScale, dtype: .int8), shape: shape).to(.int8).to(input.device)
        }
        return Tensor(out, shape: shape).to(input.device)
    }
}

private extension Tensor {
    /// `self` in `format` (nil: as it is); the values are unchanged.
    func laidOut(_ format: MemoryFormat?) throws -> Tensor {
        guard let format, rank == 4, suggestedMemoryFormat != format else { return self }
        return try contiguous(memoryFormat: format)
    }
}
