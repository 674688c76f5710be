import Tensors

/// Exact integer convolution built from float32 oneDNN convolutions (reference §1.6, DESIGN §8).
///
/// Operands are integers held in floats. A float32 sum of integers is exact while every partial sum
/// stays below 2^24 in magnitude, whatever the summation order; so each oneDNN call sums at most
/// `2^24 / maxProduct` products (input channels are split into chunks), and the chunks are added in
/// float64, exact for any realistic layer (|acc| < 2^53). int8 products reach 2^14: up to 1024 terms per
/// call. int16 operands are split `q = 256·hi + lo` (hi in [-128, 127], lo in [0, 255]); the four partial
/// convolutions (products < 2^16, up to 258 terms per call) recombine as
/// `65536·(hi·hi) + 256·(hi·lo + lo·hi) + lo·lo`. The result equals exact 64-bit integer accumulation.
public enum ExactIntegerConvolution {
    /// The geometry of one 2-D convolution (NCHW input, OIHW weight).
    public struct Geometry: Equatable, Sendable {
        public var stride: [Int]
        public var padding: [Int]
        public var dilation: [Int]
        public var groups: Int

        public init(stride: [Int] = [1, 1], padding: [Int] = [0, 0], dilation: [Int] = [1, 1], groups: Int = 1) {
            self.stride = stride.count == 1 ? [stride[0], stride[0]] : stride
            self.padding = padding.count == 1 ? [padding[0], padding[0]] : padding
            self.dilation = dilation.count == 1 ? [dilation[0], dilation[0]] : dilation
            self.groups = groups
        }
    }

    /// Largest number of products a single float32 convolution may sum exactly.
    static func maxTerms(maxProduct: Int) -> Int { (1 << 24) / maxProduct }

    /// `sum q_x · q_w` per output element, exactly, as float64 values; output shape `[N, O, OH, OW]`.
    ///
    /// - Parameters:
    ///   - input: integer values of an `[N, C, H, W]` tensor, row-major.
    ///   - weight: integer values of an `[O, C/groups, kh, kw]` tensor, row-major.
    ///   - dtype: the integer type the values belong to (decides the splitting).
    public static func conv2d(input: [Float], inputShape: [Int], weight: [Float], weightShape: [Int],
                              geometry: Geometry, dtype: QuantDType) throws -> (values: [Double], shape: [Int]) {
        guard inputShape.count == 4, weightShape.count == 4, input.count == inputShape.reduce(1, *),
              weight.count == weightShape.reduce(1, *) else {
            throw QuantizationError.invalidArgument("integer conv2d: expected 4-D input and weight, got \(inputShape) and \(weightShape)")
        }
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (o, cg, kh, kw) = (weightShape[0], weightShape[1], weightShape[2], weightShape[3])
        let g = geometry.groups
        guard g > 0, c == cg * g, o % g == 0 else {
            throw QuantizationError.invalidArgument("integer conv2d: input \(inputShape) and weight \(weightShape) do not match groups=\(g)")
        }
        let oh = Tensor.convOutputSize(input: h, kernel: kh, stride: geometry.stride[0], padding: geometry.padding[0], dilation: geometry.dilation[0])
        let ow = Tensor.convOutputSize(input: w, kernel: kw, stride: geometry.stride[1], padding: geometry.padding[1], dilation: geometry.dilation[1])
        guard oh > 0, ow > 0 else {
            throw QuantizationError.invalidArgument("integer conv2d: kernel \(weightShape) larger than padded input \(inputShape)")
        }
        let outShape = [n, o, oh, ow]
        var acc = [Double](repeating: 0, count: outShape.reduce(1, *))
        let job = Job(n: n, c: c, h: h, w: w, o: o, cg: cg, kh: kh, kw: kw, oh: oh, ow: ow, geometry: geometry)
        switch dtype {
        case .int8:
            try job.accumulate(input, weight, factor: 1, maxTerms: maxTerms(maxProduct: 128 * 128), into: &acc)
        case .int16:
            let (xh, xl) = split16(input), (wh, wl) = split16(weight)
            let limit = maxTerms(maxProduct: 255 * 255)
            try job.accumulate(xh, wh, factor: 65536, maxTerms: limit, into: &acc)
            try job.accumulate(xh, wl, factor: 256, maxTerms: limit, into: &acc)
            try job.accumulate(xl, wh, factor: 256, maxTerms: limit, into: &acc)
            try job.accumulate(xl, wl, factor: 1, maxTerms: limit, into: &acc)
        }
        return (acc, outShape)
    }

    /// `q = 256·hi + lo` with `lo` in [0, 255] and `hi = floor(q / 256)`.
    static func split16(_ values: [Float]) -> (high: [Float], low: [Float]) {
        var high = [Float](repeating: 0, count: values.count), low = high
        values.withUnsafeBufferPointer { v in
            high.withUnsafeMutableBufferPointer { hi in
                low.withUnsafeMutableBufferPointer { lo in
                    for i in 0..<v.count {
                        let x = v[i]
                        let q = x.isFinite ? Int32(Swift.min(Swift.max(x.rounded(), -32768), 32767)) : 0
                        hi[i] = Float(q >> 8)
                        lo[i] = Float(q & 255)
                    }
                }
            }
        }
        return (high, low)
    }

    /// An operand as an integer; non-finite values (never produced by quantization) count as 0.
    private static func integer(_ v: Float) -> Int64 {
        v.isFinite ? Int64(Swift.min(Swift.max(v.rounded(), -65536), 65536)) : 0
    }

    /// Reference integer convolution with 64-bit accumulation, used when one kernel window alone has
    /// more products than a float32 call may sum.
    static func directInt64(_ x: [Float], xShape: [Int], _ wt: [Float], wShape: [Int], geometry: Geometry) -> [Int64] {
        let (n, c, h, w) = (xShape[0], xShape[1], xShape[2], xShape[3])
        let (o, cg, kh, kw) = (wShape[0], wShape[1], wShape[2], wShape[3])
        let og = o / geometry.groups
        let (sh, sw) = (geometry.stride[0], geometry.stride[1])
        let (ph, pw) = (geometry.padding[0], geometry.padding[1])
        let (dh, dw) = (geometry.dilation[0], geometry.dilation[1])
        let oh = Tensor.convOutputSize(input: h, kernel: kh, stride: sh, padding: ph, dilation: dh)
        let ow = Tensor.convOutputSize(input: w, kernel: kw, stride: sw, padding: pw, dilation: dw)
        var out = [Int64](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n {
            for oc in 0..<o {
                let g = oc / og
                for y in 0..<oh {
                    for xo in 0..<ow {
                        var sum: Int64 = 0
                        for ic in 0..<cg {
                            let cIn = g * cg + ic
                            for ky in 0..<kh {
                                let iy = y * sh - ph + ky * dh
                                if iy < 0 || iy >= h { continue }
                                for kx in 0..<kw {
                                    let ix = xo * sw - pw + kx * dw
                                    if ix < 0 || ix >= w { continue }
                                    sum += integer(x[((b * c + cIn) * h + iy) * w + ix]) * integer(wt[((oc * cg + ic) * kh + ky) * kw + kx])
                                }
                            }
                        }
                        out[((b * o + oc) * oh + y) * ow + xo] = sum
                    }
                }
            }
        }
        return out
    }
}

/// One integer convolution problem, split into exact float32 calls.
private struct Job {
    let n, c, h, w, o, cg, kh, kw, oh, ow: Int
    let geometry: ExactIntegerConvolution.Geometry

    var groups: Int { geometry.groups }
    var og: Int { o / groups }

    func accumulate(_ x: [Float], _ wt: [Float], factor: Double, maxTerms: Int, into acc: inout [Double]) throws {
        if cg * kh * kw <= maxTerms {
            try addConv(x, channels: c, wt, outChannels: o, inPerGroup: cg, groups: groups, factor: factor, outOffset: 0, into: &acc)
            return
        }
        for g in 0..<groups {
            let xg = sliceChannels(x, channels: c, from: g * cg, count: cg)
            let wg = Array(wt[(g * og * cg * kh * kw)..<((g + 1) * og * cg * kh * kw)])
            if kh * kw > maxTerms {
                let direct = ExactIntegerConvolution.directInt64(xg, xShape: [n, cg, h, w], wg, wShape: [og, cg, kh, kw],
                                                                  geometry: .init(stride: geometry.stride, padding: geometry.padding,
                                                                                  dilation: geometry.dilation, groups: 1))
                let plane = oh * ow
                for b in 0..<n {
                    for oc in 0..<og {
                        for p in 0..<plane {
                            acc[(b * o + g * og + oc) * plane + p] += Double(direct[(b * og + oc) * plane + p]) * factor
                        }
                    }
                }
                continue
            }
            let chunk = max(1, maxTerms / (kh * kw))
            var start = 0
            while start < cg {
                let count = min(chunk, cg - start)
                let xs = sliceChannels(xg, channels: cg, from: start, count: count)
                let ws = sliceWeightInputs(wg, outChannels: og, inChannels: cg, from: start, count: count)
                try addConv(xs, channels: count, ws, outChannels: og, inPerGroup: count, groups: 1, factor: factor,
                            outOffset: g * og, into: &acc)
                start += count
            }
        }
    }

    private func addConv(_ x: [Float], channels: Int, _ wt: [Float], outChannels: Int, inPerGroup: Int, groups: Int,
                         factor: Double, outOffset: Int, into acc: inout [Double]) throws {
        let xt = Tensor(x, shape: [n, channels, h, w])
        let wtT = Tensor(wt, shape: [outChannels, inPerGroup, kh, kw])
        let y = try xt.conv2d(weight: wtT, bias: nil, stride: geometry.stride, padding: geometry.padding,
                              dilation: geometry.dilation, groups: groups).contiguousFloat32()
        let values = UnsafeBufferPointer(start: y.baseAddress.assumingMemoryBound(to: Float.self), count: y.count)
        add(values, outChannels: outChannels, factor: factor, outOffset: outOffset, into: &acc)
    }

    private func add(_ values: UnsafeBufferPointer<Float>, outChannels: Int, factor: Double, outOffset: Int, into acc: inout [Double]) {
        let plane = oh * ow
        acc.withUnsafeMutableBufferPointer { out in
            guard let dst = out.baseAddress, let src = values.baseAddress else { return }
            for b in 0..<n {
                for oc in 0..<outChannels {
                    let s = src + (b * outChannels + oc) * plane
                    let d = dst + (b * o + outOffset + oc) * plane
                    for p in 0..<plane { d[p] += Double(s[p]) * factor }
                }
            }
        }
    }

    private func sliceChannels(_ x: [Float], channels: Int, from start: Int, count: Int) -> [Float] {
        let plane = h * w
        var out = [Float]()
        out.reserveCapacity(n * count * plane)
        for b in 0..<n {
            let base = (b * channels + start) * plane
            out.append(contentsOf: x[base..<(base + count * plane)])
        }
        return out
    }

    private func sliceWeightInputs(_ wt: [Float], outChannels: Int, inChannels: Int, from start: Int, count: Int) -> [Float] {
        let k = kh * kw
        var out = [Float]()
        out.reserveCapacity(outChannels * count * k)
        for oc in 0..<outChannels {
            let base = (oc * inChannels + start) * k
            out.append(contentsOf: wt[base..<(base + count * k)])
        }
        return out
    }
}
