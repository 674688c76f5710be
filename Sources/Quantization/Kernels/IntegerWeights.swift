import CDNNL
import Foundation

/// The s8 weight codes of one integer convolution, in PyTorch's `[O, C/g, kh, kw]` order (`[g, O/g, C/g, kh, kw]`
/// for groups), and their copies reordered into the layouts oneDNN's primitives chose. A reorder into the
/// layout of an s8-source primitive also stores the `128 · Σw` compensation. Reorders are made once per
/// layout and kept (callers hold the engine's lock).
final class IntegerWeights {
    let codes: [Int8]
    let dims: [Int]
    private var layouts: [(desc: dnnl_memory_desc_t, buffer: ScratchBuffer)] = []

    init(codes: [Int8], dims: [Int]) {
        self.codes = codes
        self.dims = dims
    }

    /// The codes in `primitive`'s weight layout.
    func reordered(for primitive: IntegerConvolutionPrimitive, engine: IntegerConvolutionEngine) throws -> UnsafeMutableRawPointer {
        for (desc, buffer) in layouts {
            var a = desc, b = primitive.weights
            if dnnl_memory_desc_equal(&a, &b) != 0 { return buffer.pointer }
        }
        var plain = try memoryDesc(dims, dnnl_s8, dims.count == 4 ? dnnl_oihw : dnnl_goihw)
        var target = primitive.weights
        let buffer = ScratchBuffer(bytes: Swift.max(dnnl_memory_desc_get_size(&target), 64))
        var pd: dnnl_primitive_desc_t?
        try IntegerConvolutionEngine.check(dnnl_reorder_primitive_desc_create(&pd, &plain, engine.engine, &target, engine.engine, nil),
                                           "reorder_desc_create")
        guard let pd else { throw QuantizationError.invalidArgument("oneDNN returned no reorder descriptor") }
        defer { dnnl_primitive_desc_destroy(pd) }
        var reorder: dnnl_primitive_t?
        try IntegerConvolutionEngine.check(dnnl_primitive_create(&reorder, pd), "reorder_create")
        guard let reorder else { throw QuantizationError.invalidArgument("oneDNN returned no reorder") }
        defer { dnnl_primitive_destroy(reorder) }
        try codes.withUnsafeBufferPointer { c in
            guard let base = c.baseAddress else { throw QuantizationError.invalidArgument("empty integer weights") }
            try engine.execute(reorder, [(DNNL_ARG_FROM, plain, UnsafeMutableRawPointer(mutating: base)),
                                         (DNNL_ARG_TO, target, buffer.pointer)])
        }
        layouts.append((target, buffer))
        return buffer.pointer
    }
}
