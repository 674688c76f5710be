import CDNNL
import Foundation
import Tensors

/// oneDNN's integer convolution (u8/s8 source × s8 weights → s32), the fast path of the MLU emulation.
///
/// Exact only where oneDNN multiplies with VNNI (`vpdpbusd`: four u8·s8 products summed into s32 without
/// intermediate saturation). Older AVX2/AVX-512 kernels use `vpmaddubsw`, whose 16-bit pair sums saturate, and
/// scale s8 weights by 0.5 for an s8 source: their results depend on the CPU. So the engine is used only when
/// oneDNN's effective ISA has VNNI (or AMX) and a self-check on extreme values, which saturating kernels fail,
/// matches exact integer arithmetic; otherwise `QuantizedCompute` keeps the exact float32-chunk path.
///
/// A source of type s8 makes oneDNN add 128 to every value (u8) and subtract `128 · Σw` (precomputed in the
/// weight reorder): `Σ (x + 128)·w − 128·Σw = Σ x·w` for taps inside the image, padding counting as 0.
/// Every product is at most 255·128 in magnitude, so sums of up to `maxTerms` products never leave int32.
final class IntegerConvolutionEngine: @unchecked Sendable {
    /// Its own engine and stream (the float kernels keep theirs), with the per-run scratchpad.
    let runtime: DNNLStream
    var engine: dnnl_engine_t { runtime.engine }
    /// Serialises use of the primitive cache and the scratch buffers.
    let lock = NSLock()
    private var primitives: [String: IntegerConvolutionPrimitive] = [:]
    private var scratch: [Int: ScratchBuffer] = [:]

    /// Largest number of products per output the fast path sums: `maxTerms · 255 · 128 < 2^31`.
    static let maxTerms = 65536

    private static let shared: IntegerConvolutionEngine? = {
        guard hasVNNI else { return nil }
        guard let e = try? IntegerConvolutionEngine() else { return nil }
        return (try? e.selfCheck()) == true ? e : nil
    }()

    /// The engine when this CPU runs oneDNN's integer convolution exactly; nil otherwise.
    static var available: IntegerConvolutionEngine? { shared }

    /// True when oneDNN dispatches to an ISA with VNNI dot products (AVX-512 VNNI, its BF16/AMX successors, AVX2-VNNI).
    static var hasVNNI: Bool {
        let isa = dnnl_get_effective_cpu_isa().rawValue
        let avx512VNNI = dnnl_cpu_isa_avx512_core_vnni.rawValue, avx2VNNI = dnnl_cpu_isa_avx2_vnni.rawValue
        return isa & avx512VNNI == avx512VNNI || isa & avx2VNNI == avx2VNNI
    }

    private init() throws {
        runtime = try DNNLStream()
    }

    static func check(_ status: dnnl_status_t, _ what: String) throws {
        guard status == dnnl_success else {
            throw QuantizationError.invalidArgument("oneDNN \(what) failed with status \(status.rawValue)")
        }
    }

    /// The cached primitive for `problem` (caller holds `lock`).
    func primitive(for problem: IntegerConvolutionProblem) throws -> IntegerConvolutionPrimitive {
        let key = problem.key
        if let p = primitives[key] { return p }
        let p = try IntegerConvolutionPrimitive(self, problem: problem)
        primitives[key] = p
        return p
    }

    /// A reusable buffer of at least `bytes` bytes for slot `slot` (caller holds `lock`).
    func scratch(_ slot: Int, bytes: Int) -> UnsafeMutableRawPointer {
        if let s = scratch[slot], s.bytes >= bytes { return s.pointer }
        let s = ScratchBuffer(bytes: Swift.max(bytes, 64))
        scratch[slot] = s
        return s.pointer
    }

    /// Runs `primitive` with `arguments` (argument id, memory descriptor, data) and waits, with its own
    /// scratchpad when `pd` is given (`DNNLStream.execute`).
    func execute(_ primitive: dnnl_primitive_t, pd: dnnl_primitive_desc_t? = nil,
                 _ arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)]) throws {
        try runtime.execute(primitive, pd: pd, arguments)
    }

    /// Convolves extreme codes (127·127 and 255·127 pairs, which saturate 16-bit pair sums; −128 weights;
    /// padding; groups) with both source types and compares with exact integer sums.
    private func selfCheck() throws -> Bool {
        for (signed, xValue) in [(true, Int8(127)), (false, Int8(-1))] {   // u8 255 is bit pattern -1
            let n = 1, c = 64, h = 5, w = 5, o = 8, k = 3
            let x = [Int8](repeating: xValue, count: n * h * w * c)
            var wt = [Int8](repeating: 127, count: o * c * k * k)
            for i in stride(from: 0, to: wt.count, by: 7) { wt[i] = -128 }
            let problem = IntegerConvolutionProblem(signedSource: signed, n: n, c: c, h: h, w: w, outChannels: o, groups: 1,
                                                    kh: k, kw: k, stride: (1, 1), padding: (1, 1), dilation: (1, 1))
            let weights = IntegerWeights(codes: wt, dims: problem.weightDims)
            let out = try lock.withLock { () -> [Int32] in
                let p = try primitive(for: problem)
                let reordered = try weights.reordered(for: p, engine: self)
                var result = [Int32](repeating: 0, count: problem.outputCount)
                try x.withUnsafeBufferPointer { xs in
                    try result.withUnsafeMutableBufferPointer { rs in
                        guard let xp = xs.baseAddress, let rp = rs.baseAddress else { return }
                        try p.run(self, source: UnsafeMutableRawPointer(mutating: xp), weights: reordered, destination: rp)
                    }
                }
                return result
            }
            let xv = signed ? Int64(xValue) : 255
            for oc in 0..<o {
                for oy in 0..<problem.oh {
                    for ox in 0..<problem.ow {
                        var sum: Int64 = 0
                        for ic in 0..<c {
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let iy = oy - 1 + ky, ix = ox - 1 + kx
                                    if iy < 0 || iy >= h || ix < 0 || ix >= w { continue }
                                    sum += xv * Int64(wt[((oc * c + ic) * k + ky) * k + kx])
                                }
                            }
                        }
                        if Int64(out[(oy * problem.ow + ox) * o + oc]) != sum { return false }
                    }
                }
            }
        }
        return true
    }
}

/// 64-byte aligned memory owned by the engine.
final class ScratchBuffer {
    let pointer: UnsafeMutableRawPointer
    let bytes: Int
    init(bytes: Int) {
        self.bytes = bytes
        pointer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }
    deinit { pointer.deallocate() }
}

/// The shape of one oneDNN integer convolution: NHWC u8/s8 source, s8 weights `[groups, O/groups, C/groups,
/// kh, kw]`, NHWC s32 destination.
struct IntegerConvolutionProblem {
    var signedSource: Bool
    var n, c, h, w: Int
    /// Output channels of the oneDNN call (for the int16 split: groups · (2·O/groups + 1)).
    var outChannels: Int
    var groups: Int
    var kh, kw: Int
    var stride, padding, dilation: (Int, Int)

    var oh: Int { Tensor.convOutputSize(input: h, kernel: kh, stride: stride.0, padding: padding.0, dilation: dilation.0) }
    var ow: Int { Tensor.convOutputSize(input: w, kernel: kw, stride: stride.1, padding: padding.1, dilation: dilation.1) }
    var outputCount: Int { n * oh * ow * outChannels }
    var weightDims: [Int] {
        groups == 1 ? [outChannels, c, kh, kw] : [groups, outChannels / groups, c / groups, kh, kw]
    }
    var key: String {
        "\(signedSource ? "s8" : "u8") \(n),\(c),\(h),\(w) o\(outChannels) g\(groups) k\(kh),\(kw) s\(stride.0),\(stride.1) "
            + "p\(padding.0),\(padding.1) d\(dilation.0),\(dilation.1) t\(omp_get_max_threads())"
    }
}

/// A created oneDNN convolution and the layouts of its arguments.
final class IntegerConvolutionPrimitive {
    let pd: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t
    let source: dnnl_memory_desc_t
    let weights: dnnl_memory_desc_t
    let destination: dnnl_memory_desc_t
    let key: String

    init(_ engine: IntegerConvolutionEngine, problem p: IntegerConvolutionProblem) throws {
        key = p.key
        var src = try memoryDesc([p.n, p.c, p.h, p.w], p.signedSource ? dnnl_s8 : dnnl_u8, dnnl_nhwc)
        var dst = try memoryDesc([p.n, p.outChannels, p.oh, p.ow], dnnl_s32, dnnl_nhwc)
        var wei = try memoryDesc(p.weightDims, dnnl_s8, dnnl_format_tag_any)
        var desc = dnnl_convolution_desc_t()
        let strides: [Int64] = [Int64(p.stride.0), Int64(p.stride.1)]
        let dil: [Int64] = [Int64(p.dilation.0 - 1), Int64(p.dilation.1 - 1)]
        let padL: [Int64] = [Int64(p.padding.0), Int64(p.padding.1)]
        // Equal left and right padding: oneDNN's output size formula then floors like PyTorch's.
        let padR = padL
        try IntegerConvolutionEngine.check(dnnl_dilated_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct,
            &src, &wei, nil, &dst, strides, dil, padL, padR), "convolution_desc_init")
        var pd: dnnl_primitive_desc_t?
        // A user-managed scratchpad (passed by `execute`): oneDNN's own is per creating thread, and this cached
        // primitive may run on another script thread (a later notebook cell or REPL line).
        var attr: dnnl_primitive_attr_t?
        try IntegerConvolutionEngine.check(dnnl_primitive_attr_create(&attr), "attr_create")
        defer { if let attr { dnnl_primitive_attr_destroy(attr) } }
        try IntegerConvolutionEngine.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "attr_set_scratchpad_mode")
        try IntegerConvolutionEngine.check(dnnl_primitive_desc_create(&pd, &desc, attr, engine.engine, nil), "primitive_desc_create")
        guard let pd else { throw QuantizationError.invalidArgument("oneDNN returned no primitive descriptor") }
        var prim: dnnl_primitive_t?
        let status = dnnl_primitive_create(&prim, pd)
        guard status == dnnl_success, let prim else {
            dnnl_primitive_desc_destroy(pd)
            throw QuantizationError.invalidArgument("oneDNN primitive_create failed with status \(status.rawValue)")
        }
        guard let chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0)?.pointee else {
            dnnl_primitive_destroy(prim)
            dnnl_primitive_desc_destroy(pd)
            throw QuantizationError.invalidArgument("oneDNN: no weights layout")
        }
        self.pd = pd
        self.primitive = prim
        self.source = src
        self.weights = chosen
        self.destination = dst
    }

    /// Implementation name (oneDNN's `impl_info_str`), for diagnostics.
    var implementation: String {
        var s: UnsafePointer<CChar>?
        _ = withUnsafeMutablePointer(to: &s) { dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, $0) }
        return s.map { String(cString: $0) } ?? "?"
    }

    func run(_ engine: IntegerConvolutionEngine, source src: UnsafeMutableRawPointer, weights wei: UnsafeMutableRawPointer,
             destination dst: UnsafeMutableRawPointer) throws {
        try engine.execute(primitive, pd: pd, [(DNNL_ARG_SRC, source, src), (DNNL_ARG_WEIGHTS, weights, wei), (DNNL_ARG_DST, destination, dst)])
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }
}

func memoryDesc(_ dims: [Int], _ type: dnnl_data_type_t, _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
    var md = dnnl_memory_desc_t()
    try IntegerConvolutionEngine.check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), type, tag), "memory_desc_init")
    return md
}
