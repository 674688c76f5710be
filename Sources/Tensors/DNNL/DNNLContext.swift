import CDNNL
import Foundation

/// The float kernels' oneDNN engine and stream (`DNNLStream`) and a cache of created primitives keyed by
/// shape and attributes.
///
/// oneDNN threads with OpenMP (libgomp); it is the only thread pool on the hot path (DESIGN §8). Primitive
/// creation JIT-compiles kernels (1–2.5 ms), so every primitive is kept and reused for the same key.
final class DNNLContext: @unchecked Sendable {
    let runtime: DNNLStream
    var engine: dnnl_engine_t { runtime.engine }
    private let lock = NSLock()
    private var cache: [String: DNNLPrimitive] = [:]
    /// Weights converted to the layouts of cached primitives (checked against the caller's bytes on each use).
    let weights = DNNLWeightCache()

    private static let result: Result<DNNLContext, TensorError> = {
        do { return .success(try DNNLContext()) } catch let e as TensorError { return .failure(e) } catch {
            return .failure(.invalidArgument("oneDNN: \(error)"))
        }
    }()

    /// The shared context; throws when oneDNN cannot create a CPU engine.
    static func shared() throws -> DNNLContext { try result.get() }

    private init() throws {
        runtime = try DNNLStream()
    }

    static func check(_ status: dnnl_status_t, _ what: String) throws {
        try DNNLStream.check(status, what)
    }

    /// The cached primitive for `key`, created by `make` on first use.
    func primitive(_ key: String, make: () throws -> DNNLPrimitive) throws -> DNNLPrimitive {
        lock.lock(); defer { lock.unlock() }
        if let p = cache[key] { return p }
        let p = try make()
        cache[key] = p
        return p
    }

    /// Number of cached primitives (for tests and diagnostics).
    var cachedCount: Int { lock.lock(); defer { lock.unlock() }; return cache.count }

    /// Runs `primitive` on the stream with its own scratchpad (`DNNLStream.execute`).
    func execute(_ primitive: dnnl_primitive_t, pd: dnnl_primitive_desc_t?,
                 _ arguments: [(Int32, dnnl_memory_desc_t, UnsafeMutableRawPointer)]) throws {
        try runtime.execute(primitive, pd: pd, arguments)
    }

    /// A memory descriptor of `dims` with a format tag (`dnnl_format_tag_any` lets the primitive choose).
    static func desc(_ dims: [Int], _ tag: dnnl_format_tag_t, _ type: dnnl_data_type_t = dnnl_f32) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        try check(dnnl_memory_desc_init_by_tag(&md, Int32(dims.count), dims.map(Int64.init), type, tag), "memory_desc_init")
        return md
    }

    /// A memory descriptor of `dims` with explicit element strides (views without copies).
    static func desc(_ dims: [Int], strides: [Int], _ type: dnnl_data_type_t = dnnl_f32) throws -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        try check(dnnl_memory_desc_init_by_strides(&md, Int32(dims.count), dims.map(Int64.init), type, strides.map(Int64.init)), "memory_desc_init")
        return md
    }

    static func equal(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var x = a, y = b
        return dnnl_memory_desc_equal(&x, &y) != 0
    }

    static func size(_ md: dnnl_memory_desc_t) -> Int {
        var m = md
        return dnnl_memory_desc_get_size(&m)
    }
}

/// A created primitive with the memory layouts it chose, and reorders from/to the caller's plain layouts.
final class DNNLPrimitive: @unchecked Sendable {
    let pd: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t
    /// Layouts the primitive wants, by argument id (DNNL_ARG_SRC, ...).
    let layouts: [Int32: dnnl_memory_desc_t]
    /// Reorders from the plain layout to the primitive's (inputs) or back (output), by argument id.
    let reorders: [Int32: DNNLReorder]

    init(pd: dnnl_primitive_desc_t, primitive: dnnl_primitive_t, layouts: [Int32: dnnl_memory_desc_t], reorders: [Int32: DNNLReorder]) {
        self.pd = pd
        self.primitive = primitive
        self.layouts = layouts
        self.reorders = reorders
    }

    /// Creates the primitive for `opDesc` and reorders for arguments whose chosen layout differs from `plain`.
    static func make(_ context: DNNLContext, opDesc: UnsafeRawPointer, attr: dnnl_primitive_attr_t?,
                     plain: [Int32: dnnl_memory_desc_t], queries: [Int32: dnnl_query_t]) throws -> DNNLPrimitive {
        var pd: dnnl_primitive_desc_t?
        try userScratchpad(attr) { a in
            try DNNLContext.check(dnnl_primitive_desc_create(&pd, opDesc, a, context.engine, nil), "primitive_desc_create")
        }
        guard let pd else { throw TensorError.invalidArgument("oneDNN returned no primitive descriptor") }
        var p: dnnl_primitive_t?
        try DNNLContext.check(dnnl_primitive_create(&p, pd), "primitive_create")
        guard let p else { throw TensorError.invalidArgument("oneDNN returned no primitive") }
        var layouts = [Int32: dnnl_memory_desc_t]()
        var reorders = [Int32: DNNLReorder]()
        for (arg, query) in queries {
            guard let chosen = dnnl_primitive_desc_query_md(pd, query, 0)?.pointee else { continue }
            layouts[arg] = chosen
            if let user = plain[arg], !DNNLContext.equal(user, chosen) {
                let isOutput = arg == DNNL_ARG_DST
                reorders[arg] = try DNNLReorder(context, from: isOutput ? chosen : user, to: isOutput ? user : chosen)
            }
        }
        return DNNLPrimitive(pd: pd, primitive: p, layouts: layouts, reorders: reorders)
    }

    /// Calls `body` with `attr` (or a new attribute when nil) set to a user-managed scratchpad
    /// (`DNNLContext.execute` passes each run its own).
    static func userScratchpad(_ attr: dnnl_primitive_attr_t?, _ body: (dnnl_primitive_attr_t?) throws -> Void) throws {
        var own: dnnl_primitive_attr_t?
        defer { if let own { dnnl_primitive_attr_destroy(own) } }
        var a = attr
        if a == nil {
            try DNNLContext.check(dnnl_primitive_attr_create(&own), "attr_create")
            a = own
        }
        try DNNLContext.check(dnnl_primitive_attr_set_scratchpad_mode(a, dnnl_scratchpad_mode_user), "attr_set_scratchpad_mode")
        try body(a)
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }
}

/// A layout conversion between two memory descriptors of the same logical shape.
final class DNNLReorder: @unchecked Sendable {
    let primitive: dnnl_primitive_t
    let pd: dnnl_primitive_desc_t
    let source: dnnl_memory_desc_t
    let destination: dnnl_memory_desc_t

    init(_ context: DNNLContext, from source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t) throws {
        var s = source, d = destination
        var pd: dnnl_primitive_desc_t?
        try DNNLPrimitive.userScratchpad(nil) { a in
            try DNNLContext.check(dnnl_reorder_primitive_desc_create(&pd, &s, context.engine, &d, context.engine, a), "reorder_desc_create")
        }
        guard let pd else { throw TensorError.invalidArgument("oneDNN returned no reorder descriptor") }
        var p: dnnl_primitive_t?
        try DNNLContext.check(dnnl_primitive_create(&p, pd), "reorder_create")
        guard let p else { throw TensorError.invalidArgument("oneDNN returned no reorder") }
        self.pd = pd
        self.primitive = p
        self.source = source
        self.destination = destination
    }

    func run(_ context: DNNLContext, from: UnsafeMutableRawPointer, to: UnsafeMutableRawPointer) throws {
        try context.execute(primitive, pd: pd, [(DNNL_ARG_FROM, source, from), (DNNL_ARG_TO, destination, to)])
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(pd)
    }
}

/// Threading of the oneDNN kernels (OpenMP). Primitives keep the thread count they were created with.
public enum EngineThreads {
    /// Sets the OpenMP thread count for primitives created from now on.
    public static func set(_ count: Int) { omp_set_num_threads(Int32(Swift.max(count, 1))) }
    /// The OpenMP thread count new primitives will use.
    public static var current: Int { Int(omp_get_max_threads()) }
}
