import CDNNL
import Foundation

/// A oneDNN CPU engine with one stream, running primitives one caller at a time, each run with its own
/// scratchpad. The float kernels (`DNNLContext`) and the quantizer's integer convolution each own one.
///
/// Primitives are created with a user-managed scratchpad, so `execute` allocates scratch memory per run:
/// oneDNN's library-managed scratchpad is per creating thread, and a primitive cached by one script thread (a
/// notebook cell, a REPL line) and run by another would use scratch memory freed with the first thread (a crash
/// seen with Winograd convolutions; `CrossThreadPrimitiveTests`).
public final class DNNLStream: @unchecked Sendable {
    public let engine: dnnl_engine_t
    public let stream: dnnl_stream_t
    /// Serialises execution: one stream, one caller at a time.
    private let lock = NSLock()

    /// - Throws: `TensorError` when oneDNN cannot create a CPU engine or stream.
    public init() throws {
        EngineProcess.configureAllocator()
        var e: dnnl_engine_t?
        try DNNLStream.check(dnnl_engine_create(&e, dnnl_cpu, 0), "engine_create")
        guard let engine = e else { throw TensorError.invalidArgument("oneDNN: no CPU engine") }
        var s: dnnl_stream_t?
        try DNNLStream.check(dnnl_stream_create(&s, engine, dnnl_stream_default_flags.rawValue), "stream_create")
        guard let stream = s else { throw TensorError.invalidArgument("oneDNN: no stream") }
        self.engine = engine
        self.stream = stream
    }

    /// Throws `TensorError` naming the call when `status` is not success.
    public static func check(_ status: dnnl_status_t, _ what: String) throws {
        guard status == dnnl_success else {
            throw TensorError.invalidArgument("oneDNN \(what) failed with status \(status.rawValue)")
        }
    }

    /// Runs `primitive` with `arguments` (argument id, memory descriptor, data pointer) and waits for it.
    /// - Parameter pd: the primitive's descriptor, asked for its scratchpad size (nil: no scratchpad).
    public func execute(_ primitive: dnnl_primitive_t, pd: dnnl_primitive_desc_t?,
                        _ arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)]) throws {
        var args = arguments
        var scratchpad: UnsafeMutableRawPointer?
        defer { scratchpad?.deallocate() }
        if let pd, var md = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0)?.pointee, dnnl_memory_desc_get_size(&md) > 0 {
            let buffer = UnsafeMutableRawPointer.allocate(byteCount: dnnl_memory_desc_get_size(&md), alignment: 64)
            scratchpad = buffer
            args.append((DNNL_ARG_SCRATCHPAD, md, buffer))
        }
        var memories = [dnnl_memory_t?]()
        defer { for m in memories { if let m { dnnl_memory_destroy(m) } } }
        var execArgs = [dnnl_exec_arg_t]()
        for (arg, md, pointer) in args {
            var desc = md
            var m: dnnl_memory_t?
            try DNNLStream.check(dnnl_memory_create(&m, &desc, engine, pointer), "memory_create")
            memories.append(m)
            execArgs.append(dnnl_exec_arg_t(arg: arg, memory: m))
        }
        lock.lock(); defer { lock.unlock() }
        try DNNLStream.check(dnnl_primitive_execute(primitive, stream, Int32(execArgs.count), execArgs), "execute")
        try DNNLStream.check(dnnl_stream_wait(stream), "stream_wait")
    }
}
