import CDNNL
import CQuantKernels
import Foundation
import Tensors

/// The quantized convolution of `QuantizedCompute` on oneDNN's exact integer kernels (VNNI): the same numbers
/// as the float32-chunk reference (`QuantizedCompute.referenceConv2d`), bit for bit, several times faster.
///
/// - int8: the input codes (NHWC s8) convolve with the s8 weight codes into s32: exact while at most
///   `IntegerConvolutionEngine.maxTerms` products are summed per output (checked; larger layers take the
///   reference path).
/// - int16: `x = 256·xh + xl` with `xh = x >> 8` (s8) and `xl = x & 255` (u8); `w = 256·wh + wl + 128` with
///   `wh = w >> 8` (s8) and `wl = (w & 255) − 128` (s8). Per group the weight tensor holds `[wh; wl]`
///   (2·O/g output channels, a whole number of oneDNN's 16-channel blocks for CarSegNet's layers); the
///   window sums Σxh and Σxl come from `mlus_window_sums_nhwc` (an all-ones weight channel would cost the
///   convolutions a whole extra block). Two convolutions (xh, xl) give every product sum in s32
///   (terms ≤ 255·128), and
///   `Σx·w = 65536·Σxh·wh + 256·Σxh·wl + 32768·Σxh + 256·Σxl·wh + Σxl·wl + 128·Σxl`,
///   recombined in float64: exact, since every partial value is an integer below 2^53.
/// - Dequantization `Float(acc / (s_in·s_w)) + bias` as in the reference (CQuantKernels explains why its
///   multiply-by-reciprocal rounds identically), then the fused epilogue (`ConvolutionEpilogue`) in the same pass.
/// Quantized and reordered weights are kept per weight tensor and checked against the float weights on every
/// call (a changed weight or scale makes new codes).
enum FastIntegerConvolution {
    /// Returns nil when the fast path does not apply (no exact oneDNN integer kernels on this CPU, a kernel
    /// window of more than `maxTerms` products, an empty tensor); the caller then uses the reference.
    /// Arguments are validated by the caller.
    static func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry,
                       dtype: QuantDType, inputScale: Float, weightScales: [Float],
                       normalization: FirstConvNormalization?, epilogue: ConvolutionEpilogue = .none,
                       outputFormat: MemoryFormat? = nil, inputIsCodes: Bool = false, outputCodeScale: Float? = nil) throws -> Tensor? {
        try conv2d(concatenating: [ConvolutionInput(input)], weight: weight, bias: bias, geometry: geometry, dtype: dtype,
                   inputScale: inputScale, weightScales: weightScales, normalization: normalization, epilogue: epilogue,
                   outputFormat: outputFormat, inputIsCodes: inputIsCodes, outputCodeScale: outputCodeScale)
    }

    /// The convolution of `cat(parts, dim: 1)` without building the concatenation: each part is quantized
    /// straight into its channels of the integer input, a resized part (`ConvolutionInput.resize`) row by row
    /// from its source when that is channels-last float32. The parts share N, H and W (checked by the caller).
    static func conv2d(concatenating inputs: [ConvolutionInput], weight: Tensor, bias: Tensor?, geometry: ExactIntegerConvolution.Geometry,
                       dtype: QuantDType, inputScale: Float, weightScales: [Float],
                       normalization: FirstConvNormalization?, epilogue: ConvolutionEpilogue = .none,
                       outputFormat: MemoryFormat? = nil, inputIsCodes: Bool = false, outputCodeScale: Float? = nil) throws -> Tensor? {
        guard let engine = IntegerConvolutionEngine.available, let first = inputs.first,
              normalization == nil || (inputs.count == 1 && first.resize == nil),
              !inputIsCodes || (inputs.count == 1 && first.resize == nil && dtype == .int8 && normalization == nil),
              outputCodeScale == nil || dtype == .int8 else { return nil }
        // int8 codes in (a previous convolution's `outputCodeScale`): dense NHWC bytes, the integer input itself.
        let codes = inputIsCodes ? try first.tensor.to(.cpu).contiguous(memoryFormat: .channelsLast) : nil
        if let codes, codes.dtype != .int8 { return nil }
        let parts = inputIsCodes ? [] : try inputs.map(QuantizedPart.init)
        let shape = first.shape
        guard shape.count == 4 else { return nil }
        let (n, c, h, w) = (shape[0], codes?.shape[1] ?? parts.reduce(0) { $0 + $1.channels }, shape[2], shape[3])
        let (o, cg, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let g = geometry.groups
        guard geometry.stride.count == 2, geometry.padding.count == 2, geometry.dilation.count == 2,
              geometry.stride.allSatisfy({ $0 > 0 }), geometry.dilation.allSatisfy({ $0 > 0 }), geometry.padding.allSatisfy({ $0 >= 0 }),
              g > 0, c == cg * g, o % g == 0, n > 0, c > 0, h > 0, w > 0, o > 0, kh > 0, kw > 0,
              cg * kh * kw <= IntegerConvolutionEngine.maxTerms else { return nil }
        let og = o / g
        let split = dtype == .int16
        let convChannels = split ? g * 2 * og : o
        let problem = IntegerConvolutionProblem(signedSource: true, n: n, c: c, h: h, w: w, outChannels: convChannels, groups: g,
                                                kh: kh, kw: kw, stride: (geometry.stride[0], geometry.stride[1]),
                                                padding: (geometry.padding[0], geometry.padding[1]),
                                                dilation: (geometry.dilation[0], geometry.dilation[1]))
        let (oh, ow) = (problem.oh, problem.ow)
        guard oh > 0, ow > 0 else { return nil }
        let floatWeight = weight.to(.cpu).contiguousFloat32()
        let b = bias?.to(.cpu).contiguousFloat32()
        let format: MemoryFormat = outputCodeScale != nil ? .channelsLast
            : outputFormat ?? ((codes ?? parts[0].source).suggestedMemoryFormat == .channelsLast ? .channelsLast : .contiguous)
        let out = Tensor(uninitialized: [n, o, oh, ow], memoryFormat: format, dtype: outputCodeScale != nil ? .int8 : .float32)
        let divisors = (0..<o).map { Double(inputScale) * Double(weightScales.count == 1 ? weightScales[0] : weightScales[$0]) }

        try engine.lock.withLock {
            let weights = try WeightCache.shared.codes(for: weight, values: floatWeight, dtype: dtype, scales: weightScales, groups: g)
            let pixels = n * h * w * c
            let high = codes?.baseAddress ?? engine.scratch(0, bytes: pixels)
            let low = split ? engine.scratch(1, bytes: pixels) : nil
            let mean = normalization?.mean255, std = normalization?.std255
            // int16: per-pixel channel sums of both pieces, accumulated while quantizing (window sums start there).
            var channelSums: (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>)?
            if split && g == 1 {
                let bytes = n * h * w * MemoryLayout<Int32>.size
                let a = engine.scratch(6, bytes: bytes), b = engine.scratch(7, bytes: bytes)
                memset(a, 0, bytes)
                memset(b, 0, bytes)
                channelSums = (a.assumingMemoryBound(to: Int32.self), b.assumingMemoryBound(to: Int32.self))
            }
            var offset = 0
            for part in parts {
                let source = part.source.baseAddress.assumingMemoryBound(to: Float.self)
                if let (resize, steps) = part.resize {
                    let (ih, iw) = (part.source.shape[2], part.source.shape[3])
                    let status = mlus_quantize_resized_to_nhwc(source, Int64(n), Int64(part.channels), Int64(ih), Int64(iw), Int64(h), Int64(w),
                                                               resize.alignCorners == true ? 1 : 0, steps.0, steps.1, inputScale, split ? 1 : 0,
                                                               high.assumingMemoryBound(to: Int8.self), low?.assumingMemoryBound(to: UInt8.self),
                                                               Int64(c), Int64(offset), channelSums?.0, channelSums?.1)
                    guard status == 0 else { throw QuantizationError.invalidArgument("quantized conv2d: out of memory for \(out.shape)") }
                } else {
                    var shape: [Int64] = part.source.shape.map(Int64.init), strides = part.source.strides.map(Int64.init)
                    mean.withOptionalBuffer { m in
                        std.withOptionalBuffer { s in
                            mlus_quantize_to_nhwc(source, &shape, &strides, inputScale, m, s, split ? 1 : 0, high.assumingMemoryBound(to: Int8.self),
                                                  low?.assumingMemoryBound(to: UInt8.self), Int64(c), Int64(offset), channelSums?.0, channelSums?.1)
                        }
                    }
                }
                offset += part.channels
            }
            let accBytes = problem.outputCount * MemoryLayout<Int32>.size
            let accHigh = engine.scratch(2, bytes: accBytes)
            let signed = try engine.primitive(for: problem)
            try signed.run(engine, source: high, weights: try weights.reordered(for: signed, engine: engine), destination: accHigh)
            var accLow: UnsafeMutableRawPointer?
            if let low {
                var unsignedProblem = problem
                unsignedProblem.signedSource = false
                let unsigned = try engine.primitive(for: unsignedProblem)
                let acc = engine.scratch(3, bytes: accBytes)
                try unsigned.run(engine, source: low, weights: try weights.reordered(for: unsigned, engine: engine), destination: acc)
                accLow = acc
            }
            // int16: the window sums of both pieces (the +128 shift of the low weight piece), per pixel and group.
            var sumHigh: UnsafeMutableRawPointer?, sumLow: UnsafeMutableRawPointer?
            if let low {
                let sumBytes = n * oh * ow * g * MemoryLayout<Int32>.size
                let sh = engine.scratch(4, bytes: sumBytes), sl = engine.scratch(5, bytes: sumBytes)
                let status = mlus_window_sums_nhwc(high.assumingMemoryBound(to: Int8.self), low.assumingMemoryBound(to: UInt8.self),
                                                   channelSums?.0, channelSums?.1, Int64(n), Int64(c), Int64(h), Int64(w), Int64(g), Int64(kh), Int64(kw),
                                                   Int64(geometry.stride[0]), Int64(geometry.stride[1]),
                                                   Int64(geometry.padding[0]), Int64(geometry.padding[1]),
                                                   Int64(geometry.dilation[0]), Int64(geometry.dilation[1]), Int64(oh), Int64(ow),
                                                   sh.assumingMemoryBound(to: Int32.self), sl.assumingMemoryBound(to: Int32.self))
                guard status == 0 else { throw QuantizationError.invalidArgument("quantized conv2d: out of memory for \(out.shape)") }
                (sumHigh, sumLow) = (sh, sl)
            }
            if let codeScale = outputCodeScale {
                try writeCodes(accHigh.assumingMemoryBound(to: Int32.self), into: out, divisors: divisors, bias: b, epilogue: epilogue,
                               codeScale: codeScale)
                return
            }
            var outStrides = out.strides.map(Int64.init)
            let status = withChannelPointers(divisors, b, epilogue) { d, bp, scale, shift in
                mlus_dequantize_nhwc(accHigh.assumingMemoryBound(to: Int32.self), accLow?.assumingMemoryBound(to: Int32.self),
                                     sumHigh?.assumingMemoryBound(to: Int32.self), sumLow?.assumingMemoryBound(to: Int32.self),
                                     split ? 2 : 1, Int64(n), Int64(oh), Int64(ow), Int64(g), Int64(og), d, bp, scale, shift,
                                     epilogue.relu ? 1 : 0, out.baseAddress.assumingMemoryBound(to: Float.self), &outStrides)
            }
            guard status == 0 else { throw QuantizationError.invalidArgument("quantized conv2d: out of memory for \(out.shape)") }
        }
        return withExtendedLifetime(codes) { out.to(first.tensor.device) }
    }

    /// The int8 sums `acc` (dense NHWC, `out`'s shape) dequantized, through the epilogue, then quantized with the
    /// next convolution's scale into `out` (int8, channels-last): in one pass where `mlus_dequantize_to_codes_nhwc`
    /// applies, else as floats then `mlus_quantize_to_nhwc`, the same codes.
    private static func writeCodes(_ acc: UnsafeMutablePointer<Int32>, into out: Tensor, divisors: [Double], bias: Tensor?,
                                   epilogue: ConvolutionEpilogue, codeScale: Float) throws {
        let (n, o, oh, ow) = (out.shape[0], out.shape[1], out.shape[2], out.shape[3])
        let codes = out.baseAddress.assumingMemoryBound(to: Int8.self)
        let status = withChannelPointers(divisors, bias, epilogue) { d, bp, scale, shift in
            mlus_dequantize_to_codes_nhwc(acc, Int64(n), Int64(oh), Int64(ow), Int64(o), d, bp, scale, shift, epilogue.relu ? 1 : 0,
                                          codeScale, codes)
        }
        guard status != 0 else { return }
        guard status == 1 else { throw QuantizationError.invalidArgument("quantized conv2d: out of memory for \(out.shape)") }
        let floats = Tensor(uninitialized: out.shape, memoryFormat: .channelsLast)
        var floatStrides = floats.strides.map(Int64.init)
        let dequantized = withChannelPointers(divisors, bias, epilogue) { d, bp, scale, shift in
            mlus_dequantize_nhwc(acc, nil, nil, nil, 1, Int64(n), Int64(oh), Int64(ow), 1, Int64(o), d, bp, scale, shift,
                                 epilogue.relu ? 1 : 0, floats.baseAddress.assumingMemoryBound(to: Float.self), &floatStrides)
        }
        guard dequantized == 0 else { throw QuantizationError.invalidArgument("quantized conv2d: out of memory for \(out.shape)") }
        var shape: [Int64] = floats.shape.map(Int64.init)
        mlus_quantize_to_nhwc(floats.baseAddress.assumingMemoryBound(to: Float.self), &shape, &floatStrides, codeScale, nil, nil, 0,
                              codes, nil, Int64(o), 0, nil, nil)
    }
}

/// One input of the fast path, on the CPU in float32: a tensor to quantize as it is, or the channels-last
/// source of a resize the quantizer computes row by row. A resize of any other source is done first
/// (`ConvolutionInput.materialized`, the same values).
private struct QuantizedPart {
    let source: Tensor
    let resize: (BilinearResize, steps: (Float, Float))?

    init(_ input: ConvolutionInput) throws {
        if let resize = input.resize {
            let t = input.tensor.to(.cpu)
            if t.rank == 4, t.dtype == .float32, t.suggestedMemoryFormat == .channelsLast, t.shape[2] > 0, t.shape[3] > 0 {
                source = t
                self.resize = (resize, resize.steps(inputHeight: t.shape[2], inputWidth: t.shape[3]))
                return
            }
        }
        let t = try input.materialized()
        source = t.dtype == .float32 ? t : t.contiguousFloat32()
        resize = nil
    }

    var channels: Int { source.shape[1] }
}

/// The per-output-channel arrays the dequantize kernels take (divisors, bias, the fused BatchNorm's scale and shift),
/// as pointers for the duration of `body`; nil for an absent bias or BatchNorm.
private func withChannelPointers<R>(_ divisors: [Double], _ bias: Tensor?, _ epilogue: ConvolutionEpilogue,
                                    _ body: (UnsafePointer<Double>?, UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafePointer<Float>?) -> R) -> R {
    divisors.withUnsafeBufferPointer { d in
        bias.withFloats { bp in
            (epilogue.affine?.scale).withOptionalBuffer { scale in
                (epilogue.affine?.shift).withOptionalBuffer { shift in body(d.baseAddress, bp, scale, shift) }
            }
        }
    }
}

private extension Optional where Wrapped == [Float] {
    func withOptionalBuffer<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case .some(let values): return values.withUnsafeBufferPointer { body($0.baseAddress) }
        }
    }
}

private extension Optional where Wrapped == Tensor {
    func withFloats<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        switch self {
        case .none: return body(nil)
        case .some(let t): return body(UnsafePointer(t.baseAddress.assumingMemoryBound(to: Float.self)))
        }
    }
}

/// Integer weight codes per float weight tensor, rebuilt when the weight's values, the scales, the type or
/// the groups change (callers hold the engine's lock).
final class WeightCache {
    static let shared = WeightCache()

    private struct Key: Hashable {
        let storage: ObjectIdentifier
        let offset: Int
        let shape: [Int]
        let strides: [Int]
        let floatType: DType
        let dtype: QuantDType
        let scales: [Float]
        let groups: Int
    }

    private struct Entry {
        /// The float weights the codes were made from; compared on every use.
        let values: [Float]
        let weights: IntegerWeights
        /// Keeps the storage alive so its identity cannot be reused by another tensor.
        let storage: Storage
    }

    private var entries: [Key: Entry] = [:]
    private static let capacity = 512

    /// - Parameters:
    ///   - weight: the layer's weight tensor as given (its storage identifies the cache entry);
    ///   - values: the same weight as contiguous float32 (compared with the entry's values).
    func codes(for weight: Tensor, values floatWeight: Tensor, dtype: QuantDType, scales: [Float], groups: Int) throws -> IntegerWeights {
        let key = Key(storage: ObjectIdentifier(weight.storage), offset: weight.offset, shape: weight.shape, strides: weight.strides,
                      floatType: weight.dtype, dtype: dtype, scales: scales, groups: groups)
        let count = floatWeight.count
        let current = UnsafeBufferPointer(start: floatWeight.baseAddress.assumingMemoryBound(to: Float.self), count: count)
        if let e = entries[key], e.values.elementsEqualBitwise(current) {
            return e.weights
        }
        let values = Array(current)
        let weights = Self.make(values, shape: floatWeight.shape, dtype: dtype, scales: scales, groups: groups)
        if entries.count >= Self.capacity { entries.removeAll() }
        entries[key] = Entry(values: values, weights: weights, storage: weight.storage)
        return weights
    }

    /// Quantizes with the reference functions, then lays the codes out as `IntegerWeights` (int16: `[wh; wl]`
    /// per group, see `FastIntegerConvolution`).
    static func make(_ values: [Float], shape: [Int], dtype: QuantDType, scales: [Float], groups: Int) -> IntegerWeights {
        let codes = scales.count == 1 ? quantize(values, scale: scales[0], dtype: dtype)
            : quantizePerChannel(values, scales: scales, dtype: dtype)
        let (o, cg, kh, kw) = (shape[0], shape[1], shape[2], shape[3])
        let og = o / groups, k = cg * kh * kw
        switch dtype {
        case .int8:
            let dims = groups == 1 ? shape : [groups, og, cg, kh, kw]
            return IntegerWeights(codes: codes.map { Int8($0) }, dims: dims)
        case .int16:
            let per = 2 * og
            var out = [Int8](repeating: 0, count: groups * per * k)
            for gi in 0..<groups {
                for j in 0..<og {
                    let src = (gi * og + j) * k
                    let hi = (gi * per + j) * k, lo = (gi * per + og + j) * k
                    for t in 0..<k {
                        let q = Int32(codes[src + t])
                        out[hi + t] = Int8(q >> 8)
                        out[lo + t] = Int8((q & 255) - 128)
                    }
                }
            }
            let dims = groups == 1 ? [per, cg, kh, kw] : [groups, per, cg, kh, kw]
            return IntegerWeights(codes: out, dims: dims)
        }
    }
}

private extension Array where Element == Float {
    /// Same bits as `other` (a NaN equals itself, −0 differs from +0): the weights did not change.
    func elementsEqualBitwise(_ other: UnsafeBufferPointer<Float>) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { mine in
            guard let a = mine.baseAddress, let b = other.baseAddress else { return mine.count == 0 }
            return memcmp(a, b, mine.count) == 0
        }
    }
}
