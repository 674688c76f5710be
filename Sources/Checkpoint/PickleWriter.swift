import Tensors

/// A storage the writer has assigned a key to, with the bytes that go into the container.
struct WrittenStorage {
    var key: String
    var storage: Storage
    var className: GlobalRef
    var numel: Int
    var itemSize: Int
    var byteCount: Int { numel * itemSize }
}

/// Encodes a `PickleValue` as protocol-2 pickle bytes, the opcode subset of reference §5.3.
///
/// No memo is used (GLOBALs are re-emitted), so the output is accepted by PyTorch 1.3's
/// `pickle.Unpickler` and by 2.x's `weights_only` unpickler. Tensors become
/// `torch._utils._rebuild_tensor_v2` with six arguments and persistent ids for their storages:
/// 5-tuples for zip, 6-tuples (trailing `None`) for legacy.
struct PickleWriter {
    private(set) var bytes: [UInt8] = [0x80, 0x02]
    private(set) var storages: [WrittenStorage] = []
    private var keyByStorage: [ObjectIdentifier: Int] = [:]
    let legacy: Bool
    let maxDepth = 256

    init(legacy: Bool) { self.legacy = legacy }

    mutating func finish() -> [UInt8] {
        bytes.append(0x2E)
        return bytes
    }

    private func fail(_ detail: String) -> CheckpointError { .cannotWrite(file: "", detail: detail) }

    // MARK: primitives

    mutating func int(_ v: Int) {
        if v >= 0 && v < 256 { bytes += [0x4B, UInt8(v)] }
        else if v >= 0 && v < 65536 { bytes += [0x4D, UInt8(v & 0xFF), UInt8(v >> 8)] }
        else if v >= Int(Int32.min) && v <= Int(Int32.max) {
            let u = UInt32(bitPattern: Int32(v))
            bytes += [0x4A, UInt8(u & 0xFF), UInt8((u >> 8) & 0xFF), UInt8((u >> 16) & 0xFF), UInt8(u >> 24)]
        } else {
            // LONG1: shortest little-endian two's complement.
            var le: [UInt8] = []
            var x = Int64(v)
            for _ in 0..<8 { le.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
            while le.count > 1 {
                let last = le[le.count - 1], prev = le[le.count - 2]
                if (last == 0 && prev & 0x80 == 0) || (last == 0xFF && prev & 0x80 != 0) { le.removeLast() } else { break }
            }
            bytes += [0x8A, UInt8(le.count)] + le
        }
    }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        let n = UInt32(utf8.count)
        bytes += [0x58, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        bytes += utf8
    }

    mutating func global(_ g: GlobalRef) {
        // Protocol 2 spells Python 3's `builtins` as Python 2's `__builtin__` (as CPython's fix_imports does).
        let module = g.module == "builtins" ? "__builtin__" : g.module
        bytes.append(0x63)
        bytes += Array(module.utf8) + [0x0A] + Array(g.name.utf8) + [0x0A]
    }

    mutating func emptyOrderedDict() {
        global(GlobalRef(module: "collections", name: "OrderedDict"))
        bytes += [0x29, 0x52]
    }

    // MARK: values

    mutating func value(_ v: PickleValue, depth: Int = 0) throws {
        guard depth < maxDepth else { throw fail("value nested deeper than \(maxDepth) levels") }
        let d = depth + 1
        switch v {
        case .none: bytes.append(0x4E)
        case .bool(let b): bytes.append(b ? 0x88 : 0x89)
        case .int(let i): int(i)
        case .bigInt(let le):
            if le.count < 256 { bytes += [0x8A, UInt8(le.count)] + le }
            else {
                let n = UInt32(le.count)
                bytes += [0x8B, UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)] + le
            }
        case .float(let x):
            let bits = x.bitPattern
            bytes.append(0x47)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8((bits >> UInt64(shift)) & 0xFF)) }
        case .string(let s): string(s)
        case .bytes(let b):
            // `_codecs.encode(latin-1 text, 'latin1')` as CPython's protocol 2 writes it — also for b'', where
            // CPython uses `builtins.bytes()`, which torch's weights_only loader refuses.
            global(GlobalRef(module: "_codecs", name: "encode"))
            var latin1 = String.UnicodeScalarView()
            for byte in b { latin1.append(Unicode.Scalar(byte)) }
            string(String(latin1))
            string("latin1")
            bytes += [0x86, 0x52]
        case .list(let items):
            bytes.append(0x5D)
            try appends(items, depth: d)
        case .tuple(let items): try tuple(items, depth: d)
        case .set(let items):
            global(GlobalRef(module: "builtins", name: "set"))
            bytes.append(0x5D)
            try appends(items, depth: d)
            bytes += [0x85, 0x52]
        case .dict(let dict):
            switch dict.kind {
            case .dict: bytes.append(0x7D)
            case .orderedDict: emptyOrderedDict()
            case .counter:
                global(GlobalRef(module: "collections", name: "Counter"))
                bytes += [0x29, 0x52]
            }
            var i = 0
            while i < dict.entries.count {
                let batch = dict.entries[i..<min(i + 1000, dict.entries.count)]
                if batch.count > 1 { bytes.append(0x28) }
                for e in batch {
                    try value(e.key, depth: d)
                    try value(e.value, depth: d)
                }
                bytes.append(batch.count > 1 ? 0x75 : 0x73)
                i += batch.count
            }
            if let state = dict.state {
                try value(state, depth: d)
                bytes.append(0x62)
            }
        case .tensor(let t): try tensor(t)
        case .opaqueTensor(let t): try opaqueTensor(t)
        case .quantizedTensor(let q): try quantizedTensor(q)
        case .storage(let s):
            guard s.itemSize > 0 else { throw fail("storage with item size \(s.itemSize)") }
            try persistentID(s.storage, className: s.storageClass, itemSize: s.itemSize, dtypeName: s.storageClass.name)
        case .global(let g): global(g)
        case .object(let o):
            global(o.type)
            try tuple(o.args, depth: d)
            bytes.append(o.construction == .newObject ? 0x81 : 0x52)
            if let state = o.state {
                try value(state, depth: d)
                bytes.append(0x62)
            }
        }
    }

    private mutating func appends(_ items: [PickleValue], depth: Int) throws {
        var i = 0
        while i < items.count {
            let batch = items[i..<min(i + 1000, items.count)]
            if batch.count > 1 { bytes.append(0x28) }
            for item in batch { try value(item, depth: depth) }
            bytes.append(batch.count > 1 ? 0x65 : 0x61)
            i += batch.count
        }
    }

    private mutating func tuple(_ items: [PickleValue], depth: Int) throws {
        switch items.count {
        case 0: bytes.append(0x29)
        case 1...3:
            for item in items { try value(item, depth: depth) }
            bytes.append([0x85, 0x86, 0x87][items.count - 1])
        default:
            bytes.append(0x28)
            for item in items { try value(item, depth: depth) }
            bytes.append(0x74)
        }
    }

    private mutating func ints(_ xs: [Int]) {
        switch xs.count {
        case 0: bytes.append(0x29)
        case 1...3:
            for x in xs { int(x) }
            bytes.append([0x85, 0x86, 0x87][xs.count - 1])
        default:
            bytes.append(0x28)
            for x in xs { int(x) }
            bytes.append(0x74)
        }
    }

    /// Emits the persistent id of `storage` (registering it on first use) and `BINPERSID`.
    private mutating func persistentID(_ storage: Storage, className: GlobalRef, itemSize: Int, dtypeName: String) throws {
        let id = ObjectIdentifier(storage)
        let entry: WrittenStorage
        if let i = keyByStorage[id] {
            entry = storages[i]
            guard entry.className == className else {
                throw fail("two tensors view the same storage as different types (\(entry.className.name), \(className.name)); torch cannot save that either")
            }
        } else {
            guard storage.byteCount % itemSize == 0 else {
                throw fail("a \(dtypeName) storage of \(storage.byteCount) bytes is not a whole number of elements")
            }
            entry = WrittenStorage(key: String(storages.count), storage: storage, className: className,
                                   numel: storage.byteCount / itemSize, itemSize: itemSize)
            keyByStorage[id] = storages.count
            storages.append(entry)
        }
        bytes.append(0x28)
        string("storage")
        global(className)
        string(entry.key)
        string("cpu")
        int(entry.numel)
        if legacy { bytes.append(0x4E) }
        bytes += [0x74, 0x51]
    }

    private mutating func tensor(_ t: Tensor) throws {
        do {
            try Tensor.validateFits(shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype, storageBytes: t.storage.byteCount)
        } catch let e as TensorError {
            throw fail("tensor view does not fit its storage: \(e.description)")
        }
        global(GlobalRef(module: "torch._utils", name: "_rebuild_tensor_v2"))
        bytes.append(0x28)
        try persistentID(t.storage, className: GlobalRef(module: "torch", name: ElementType.storageClassName(for: t.dtype)),
                         itemSize: t.dtype.itemSize, dtypeName: t.dtype.rawValue)
        int(t.offset)
        ints(t.shape)
        ints(t.strides)
        bytes.append(0x89)
        emptyOrderedDict()
        bytes += [0x74, 0x52]
    }

    /// `torch._utils._rebuild_qtensor(storage, offset, size, stride, quantizer_params, False, OrderedDict())`
    /// with a `Q(U)Int8Storage`/`QInt32Storage` holding the integer representation (reference §4).
    private mutating func quantizedTensor(_ q: QuantizedTensor) throws {
        let t = q.integers
        let className: String
        switch (q.dtypeName, t.dtype) {
        case ("qint8", .int8): className = "QInt8Storage"
        case ("quint8", .uint8): className = "QUInt8Storage"
        case ("qint32", .int32): className = "QInt32Storage"
        default: throw fail("quantized dtype \(q.dtypeName) with \(t.dtype.rawValue) integers")
        }
        do {
            try Tensor.validateFits(shape: t.shape, strides: t.strides, offset: t.offset, dtype: t.dtype, storageBytes: t.storage.byteCount)
        } catch let e as TensorError {
            throw fail("quantized tensor view does not fit its storage: \(e.description)")
        }
        global(GlobalRef(module: "torch._utils", name: "_rebuild_qtensor"))
        bytes.append(0x28)
        try persistentID(t.storage, className: GlobalRef(module: "torch", name: className), itemSize: t.dtype.itemSize, dtypeName: q.dtypeName)
        int(t.offset)
        ints(t.shape)
        ints(t.strides)
        switch q.scheme {
        case .perTensorAffine(let scale, let zeroPoint):
            global(GlobalRef(module: "torch", name: "per_tensor_affine"))
            try value(.float(scale))
            int(zeroPoint)
            bytes.append(0x87)
        case .perChannelAffine(let scales, let zeroPoints, let axis):
            bytes.append(0x28)
            global(GlobalRef(module: "torch", name: "per_channel_affine"))
            try tensor(scales)
            try tensor(zeroPoints)
            int(axis)
            bytes.append(0x74)
        }
        bytes.append(0x89)
        emptyOrderedDict()
        bytes += [0x74, 0x52]
    }

    private mutating func opaqueTensor(_ t: OpaqueTensor) throws {
        try TensorView.check(shape: t.shape, strides: t.strides, offset: t.offset, itemSize: t.itemSize,
                             storageBytes: t.storage.byteCount, key: "tensor")
        switch t.dtypeName {
        case "complex64", "complex128":
            global(GlobalRef(module: "torch._utils", name: "_rebuild_tensor_v2"))
            bytes.append(0x28)
            try persistentID(t.storage, className: GlobalRef(module: "torch", name: t.dtypeName == "complex64" ? "ComplexFloatStorage" : "ComplexDoubleStorage"),
                             itemSize: t.itemSize, dtypeName: t.dtypeName)
            int(t.offset); ints(t.shape); ints(t.strides)
            bytes.append(0x89)
            emptyOrderedDict()
            bytes += [0x74, 0x52]
        default:
            global(GlobalRef(module: "torch._utils", name: "_rebuild_tensor_v3"))
            bytes.append(0x28)
            try persistentID(t.storage, className: GlobalRef(module: "torch.storage", name: "UntypedStorage"), itemSize: 1, dtypeName: t.dtypeName)
            int(t.offset); ints(t.shape); ints(t.strides)
            bytes.append(0x89)
            emptyOrderedDict()
            global(GlobalRef(module: "torch", name: t.dtypeName))
            bytes += [0x74, 0x52]
        }
    }
}
