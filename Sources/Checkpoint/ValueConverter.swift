import Tensors

/// Supplies the bytes of a storage named by a persistent id (zip record or legacy blob).
protocol StorageProvider: AnyObject {
    /// A storage of at least `spec.numel * spec.element.itemSize` bytes for `spec.key`.
    func storage(for spec: StorageSpec) throws -> Storage
}

/// Turns the machine's nodes into the immutable `PickleValue` tree, attaching storages.
///
/// Shared nodes are converted once (memo references stay cheap, tied weights keep one storage);
/// cycles, over-deep nesting and sharing that expands past `maxExpandedValues` are errors, never unbounded
/// recursion or exponential work for the consumers that walk the result as a tree.
final class ValueConverter {
    private let storages: StorageProvider
    private let maxDepth: Int
    private let maxExpandedValues: Int
    private var done: [ObjectIdentifier: PickleValue] = [:]
    /// Each converted node's size as a tree: itself plus its children's tree sizes, shared children counted
    /// every time they appear (computed once per node, so linear in the pickle).
    private var treeSizes: [ObjectIdentifier: Int] = [:]
    private var inProgress: Set<ObjectIdentifier> = []

    init(storages: StorageProvider, maxDepth: Int, maxExpandedValues: Int = PickleReadOptions().maxExpandedValues) {
        self.storages = storages
        self.maxDepth = maxDepth
        self.maxExpandedValues = maxExpandedValues
    }

    func convert(_ v: VMValue) throws -> PickleValue {
        try convert(v, depth: 0)
    }

    /// Dict keys and list indices from the root to the value being converted, for error messages.
    private var path: [String] = []

    private var location: String { path.isEmpty ? "the root object" : "'" + path.joined(separator: ".") + "'" }

    private func fail(_ detail: String) -> CheckpointError {
        .malformed(file: "", detail: "\(location): \(detail)")
    }

    private func convertAll(_ values: [VMValue], depth: Int) throws -> [PickleValue] {
        var out: [PickleValue] = []
        out.reserveCapacity(values.count)
        for v in values { out.append(try convert(v, depth: depth)) }
        return out
    }

    private func convert(_ v: VMValue, depth: Int) throws -> PickleValue {
        switch v {
        case .scalar(let s): return s
        case .global(let g): return .global(g)
        case .node(let n):
            let id = ObjectIdentifier(n)
            if let cached = done[id] { return cached }
            guard depth < maxDepth else { throw fail("nesting deeper than \(maxDepth) levels") }
            guard !inProgress.contains(id) else { throw fail("recursive structure: a \(n.kind.typeName) contains itself") }
            inProgress.insert(id)
            defer { inProgress.remove(id) }
            let value = try convertNode(n, depth: depth + 1)
            let size = treeSize(of: n)
            guard size <= maxExpandedValues else {
                throw fail("shared references expand to more than \(maxExpandedValues) values (a 'billion laughs' pickle?)")
            }
            treeSizes[id] = size
            done[id] = value
            return value
        }
    }

    /// 1 + the tree sizes of `n`'s children (all converted already), saturating instead of overflowing.
    private func treeSize(of n: PickleNode) -> Int {
        func size(_ v: VMValue) -> Int {
            if case .node(let child) = v { return treeSizes[ObjectIdentifier(child)] ?? 1 }
            return 1
        }
        var total = 1
        for v in n.items { total = min(total + size(v), Int.max / 2) }
        for v in n.keys { total = min(total + size(v), Int.max / 2) }
        if let state = n.state { total = min(total + size(state), Int.max / 2) }
        return total
    }

    private func convertNode(_ n: PickleNode, depth: Int) throws -> PickleValue {
        switch n.kind {
        case .list:
            var out: [PickleValue] = []
            out.reserveCapacity(n.items.count)
            for (i, v) in n.items.enumerated() {
                path.append("[\(i)]")
                defer { path.removeLast() }
                out.append(try convert(v, depth: depth))
            }
            return .list(out)
        case .tuple: return .tuple(try convertAll(n.items, depth: depth))
        case .set, .frozenset: return .set(try convertAll(n.items, depth: depth))
        case .dict(let kind):
            var d = PickleDict(kind: kind)
            d.entries.reserveCapacity(n.keys.count)
            for (k, v) in zip(n.keys, n.items) {
                let key = try convert(k, depth: depth)
                let name: String
                switch key {
                case .string(let s): name = s
                case .int(let i): name = String(i)
                default: name = key.typeName
                }
                path.append(name)
                defer { path.removeLast() }
                d.entries.append((key: key, value: try convert(v, depth: depth)))
            }
            d.state = try n.state.map { try convert($0, depth: depth) }
            return .dict(d)
        case .object(let type, let construction):
            return .object(ObjectRecord(type: type, construction: construction, args: try convertAll(n.items, depth: depth),
                                        state: try n.state.map { try convert($0, depth: depth) }))
        case .storage(let spec):
            do {
                let (storage, base) = try storageAndBase(TensorSpec(storage: spec, element: spec.element, offset: 0, shape: [], strides: []))
                guard base == 0, spec.viewSize == nil else {
                    throw CheckpointError.unsupportedFeature(file: "", feature: "a bare storage view (legacy view_metadata) outside a tensor")
                }
                return .storage(PickledStorage(storageClass: spec.storageClass, itemSize: spec.element.itemSize, storage: storage))
            } catch let e as CheckpointError {
                throw located(e)
            }
        case .tensor(let spec):
            do {
                return try makeTensor(spec)
            } catch let e as CheckpointError {
                throw located(e)
            }
        case .quantized(let spec, let quantizer):
          do {
            guard case .quantized(let name, let integerType) = spec.element else {
                throw fail("quantized tensor on a \(spec.element.name) storage")
            }
            let (storage, base) = try storageAndBase(spec)
            _ = try checkedOffset(spec, base: base, storage: storage)
            try TensorView.check(shape: spec.shape, strides: spec.strides, offset: base + spec.offset,
                                 itemSize: integerType.itemSize, storageBytes: storage.byteCount, key: spec.storage.key)
            let integers = Tensor(storage: storage, shape: spec.shape, strides: spec.strides, offset: base + spec.offset, dtype: integerType)
            let scheme: QuantizedTensor.Scheme
            switch quantizer {
            case .perTensor(let scale, let zp): scheme = .perTensorAffine(scale: scale, zeroPoint: zp)
            case .perChannel(let s, let z, let axis):
                guard case .tensor(let st) = try convert(.node(s), depth: depth), case .tensor(let zt) = try convert(.node(z), depth: depth) else {
                    throw fail("per-channel scales and zero points must be dense tensors")
                }
                scheme = .perChannelAffine(scales: st, zeroPoints: zt, axis: axis)
            }
            return .quantizedTensor(QuantizedTensor(dtypeName: name, integers: integers, scheme: scheme))
          } catch let e as CheckpointError {
            throw located(e)
          }
        }
    }

    /// Storage and view errors (raised without context) rewritten to name the value's path.
    private func located(_ e: CheckpointError) -> CheckpointError {
        switch e {
        case .malformed(let f, let d) where !d.hasPrefix(location): return .malformed(file: f, detail: "\(location): \(d)")
        case .unsupportedFeature(let f, let d): return .unsupportedFeature(file: f, feature: "\(d) (at \(location))")
        default: return e
        }
    }

    private func storageAndBase(_ spec: TensorSpec) throws -> (Storage, Int) {
        let storage = try storages.storage(for: spec.storage)
        let item = spec.storage.element.itemSize
        var base = 0
        if spec.storage.viewSize != nil || spec.storage.viewOffset != 0 {
            let size = spec.storage.viewSize ?? (spec.storage.numel - spec.storage.viewOffset)
            let (end, overflow) = spec.storage.viewOffset.addingReportingOverflow(size)
            guard !overflow, end <= spec.storage.numel else {
                throw fail("storage view [\(spec.storage.viewOffset), +\(size)) outside storage '\(spec.storage.key)' of \(spec.storage.numel) elements")
            }
            base = spec.storage.viewOffset * item / max(spec.element.itemSize, 1)
        }
        return (storage, base)
    }

    /// Offset within the storage and an element count that cannot overflow (checked before `Tensors` sees them).
    private func checkedOffset(_ spec: TensorSpec, base: Int, storage: Storage) throws -> Int {
        let (offset, o1) = base.addingReportingOverflow(spec.offset)
        let (_, o5) = offset.multipliedReportingOverflow(by: max(spec.element.itemSize, 1))
        // PyTorch lets an empty view start past its storage (`t[1:]` of a 1-row tensor); others must start inside.
        let empty = spec.shape.contains(0)
        guard !o1, !o5, empty || offset <= storage.byteCount / max(spec.element.itemSize, 1) else {
            throw fail("tensor offset \(spec.offset) lies outside storage '\(spec.storage.key)'")
        }
        var count = 1
        for n in spec.shape {
            let (c, o2) = count.multipliedReportingOverflow(by: max(n, 1))
            guard !o2 else { throw fail("tensor size \(spec.shape) overflows") }
            count = c
        }
        try TensorView.check(shape: spec.shape, strides: spec.strides, offset: offset, itemSize: spec.element.itemSize,
                             storageBytes: storage.byteCount, key: spec.storage.key)
        return offset
    }

    private func makeTensor(_ spec: TensorSpec) throws -> PickleValue {
        let (storage, base) = try storageAndBase(spec)
        _ = try checkedOffset(spec, base: base, storage: storage)
        switch spec.element {
        case .dense(let dtype):
            do {
                try Tensor.validateFits(shape: spec.shape, strides: spec.strides, offset: base + spec.offset, dtype: dtype, storageBytes: storage.byteCount)
            } catch let e as TensorError {
                throw fail("tensor on storage '\(spec.storage.key)': \(e.description)")
            }
            return .tensor(Tensor(storage: storage, shape: spec.shape, strides: spec.strides, offset: base + spec.offset, dtype: dtype))
        case .opaque(let name, let size):
            try TensorView.check(shape: spec.shape, strides: spec.strides, offset: base + spec.offset, itemSize: size,
                                 storageBytes: storage.byteCount, key: spec.storage.key)
            return .opaqueTensor(OpaqueTensor(dtypeName: name, itemSize: size, shape: spec.shape, strides: spec.strides,
                                              offset: base + spec.offset, storage: storage))
        case .quantized, .untyped:
            throw fail("tensor with element type \(spec.element.name) outside _rebuild_qtensor")
        }
    }
}

/// View bounds for element sizes `DType` does not cover (the same rule as `Tensor.validateFits`).
enum TensorView {
    static func check(shape: [Int], strides: [Int], offset: Int, itemSize: Int, storageBytes: Int, key: String) throws {
        guard shape.count == strides.count, offset >= 0, shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw CheckpointError.malformed(file: "", detail: "invalid view \(shape) strides \(strides) offset \(offset) on storage '\(key)'")
        }
        if shape.contains(0) { return }
        var last = offset
        for (n, s) in zip(shape, strides) {
            let (span, o1) = (n - 1).multipliedReportingOverflow(by: s)
            let (sum, o2) = last.addingReportingOverflow(span)
            guard !o1, !o2 else { throw CheckpointError.malformed(file: "", detail: "view \(shape) strides \(strides) overflows") }
            last = sum
        }
        let (elements, o4) = last.addingReportingOverflow(1)
        let (needed, o3) = elements.multipliedReportingOverflow(by: itemSize)
        guard !o3, !o4 else {
            throw CheckpointError.malformed(file: "", detail: "view \(shape) strides \(strides) offset \(offset) overflows")
        }
        guard needed <= storageBytes else {
            throw CheckpointError.malformed(file: "", detail: "view \(shape) strides \(strides) offset \(offset) needs \(needed) bytes, storage '\(key)' has \(storageBytes)")
        }
    }
}
