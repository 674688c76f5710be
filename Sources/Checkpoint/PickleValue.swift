import Foundation
import Tensors

/// A Python value decoded from (or to be encoded into) a pickle, without running any Python.
///
/// This neutral tree is what `loadCheckpoint` returns and what `saveCheckpoint` takes, so the
/// script bindings can map it to their own objects. Containers keep Python's order; classes
/// that a whole-model pickle names are kept as inert `ObjectRecord`s, never instantiated.
public indirect enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer outside 64 bits, as little-endian two's complement bytes (the legacy magic number is one).
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    case dict(PickleDict)
    case set([PickleValue])
    case tensor(Tensor)
    /// A tensor whose dtype `Tensors.DType` cannot hold (complex, uint16, float8, ...): raw bytes kept.
    case opaqueTensor(OpaqueTensor)
    case quantizedTensor(QuantizedTensor)
    /// A storage pickled on its own (`torch.save(t.untyped_storage())`), not through a tensor.
    case storage(PickledStorage)
    /// A class, function, dtype or storage type named by a pickle (never resolved to code).
    case global(GlobalRef)
    /// An instance of a class the loader does not run (whole-model pickles), or a call to write.
    case object(ObjectRecord)
}

/// `module.name` of a Python global, after Python 2 name fix-ups (`__builtin__` → `builtins`).
public struct GlobalRef: Hashable, CustomStringConvertible, Sendable {
    public var module: String
    public var name: String
    public init(module: String, name: String) {
        self.module = module
        self.name = name
    }
    public var description: String { "\(module).\(name)" }
}

/// An ordered dictionary with keys of any hashable Python type.
public struct PickleDict {
    /// Which Python type held the items; the writer reproduces it (`OrderedDict` for state dicts).
    public enum Kind: Sendable { case dict, orderedDict, counter }
    public var kind: Kind
    public var entries: [(key: PickleValue, value: PickleValue)]
    /// The object state a `BUILD` gave the dict (PyTorch stores `{'_metadata': ...}` on state dicts).
    public var state: PickleValue?

    public init(kind: Kind = .dict, entries: [(key: PickleValue, value: PickleValue)] = [], state: PickleValue? = nil) {
        self.kind = kind
        self.entries = entries
        self.state = state
    }

    /// The value stored under the string key `key`, if any.
    public subscript(key: String) -> PickleValue? {
        for entry in entries { if case .string(let k) = entry.key, k == key { return entry.value } }
        return nil
    }
}

/// An instance of a Python class kept as data: how it was made and the state `BUILD` gave it.
///
/// Protocol 2 makes objects with `GLOBAL cls; args; NEWOBJ` (`cls.__new__(cls, *args)`) then
/// `state; BUILD`; a `REDUCE` record is a call `callable(*args)`. The writer emits the same pattern.
public struct ObjectRecord {
    public enum Construction: Sendable { case newObject, reduce }
    public var type: GlobalRef
    public var construction: Construction
    public var args: [PickleValue]
    public var state: PickleValue?

    public init(type: GlobalRef, construction: Construction = .newObject, args: [PickleValue] = [], state: PickleValue? = nil) {
        self.type = type
        self.construction = construction
        self.args = args
        self.state = state
    }
}

/// A storage without a tensor view: its PyTorch storage class and its bytes.
public struct PickledStorage {
    /// `torch.FloatStorage`, `torch.storage.UntypedStorage`, ...
    public var storageClass: GlobalRef
    public var itemSize: Int
    public var storage: Storage

    public init(storageClass: GlobalRef, itemSize: Int, storage: Storage) {
        self.storageClass = storageClass
        self.itemSize = itemSize
        self.storage = storage
    }
}

/// A tensor of a dtype outside `DType`: its PyTorch dtype name, view and raw storage.
public struct OpaqueTensor {
    public var dtypeName: String
    public var itemSize: Int
    public var shape: [Int]
    public var strides: [Int]
    public var offset: Int
    public var storage: Storage
}

/// A quantized tensor: its integer representation and the quantizer that maps it to reals.
public struct QuantizedTensor {
    public enum Scheme {
        case perTensorAffine(scale: Double, zeroPoint: Int)
        case perChannelAffine(scales: Tensor, zeroPoints: Tensor, axis: Int)
    }
    /// `qint8` / `quint8` / `qint32`.
    public var dtypeName: String
    /// The integer values (`int_repr()`), int8 / uint8 / int32.
    public var integers: Tensor
    public var scheme: Scheme

    /// Real values `(q - zero_point) * scale` as a contiguous float32 tensor.
    public func dequantized() throws -> Tensor {
        let q = integers.scalars()
        var out = Tensor(zeros: integers.shape, dtype: .float32)
        let p = out.storage.bytes.assumingMemoryBound(to: Float.self)
        switch scheme {
        case .perTensorAffine(let scale, let zeroPoint):
            for (i, v) in q.enumerated() { p[i] = Float((v - Double(zeroPoint)) * scale) }
        case .perChannelAffine(let scales, let zeroPoints, let axis):
            guard axis >= 0, axis < integers.rank else {
                throw CheckpointError.malformed(file: "", detail: "quantized axis \(axis) outside rank \(integers.rank)")
            }
            let s = scales.scalars(), z = zeroPoints.scalars()
            guard s.count == integers.shape[axis], z.count == s.count else {
                throw CheckpointError.malformed(file: "", detail: "per-channel quantizer has \(s.count) scales for \(integers.shape[axis]) channels")
            }
            let inner = integers.shape[(axis + 1)...].reduce(1, *)
            for (i, v) in q.enumerated() {
                let c = (i / max(inner, 1)) % integers.shape[axis]
                p[i] = Float((v - z[c]) * s[c])
            }
        }
        out.offset = 0
        return out
    }
}

extension PickleValue {
    /// An `OrderedDict` with string keys, the shape of a PyTorch state dict.
    public static func orderedDict(_ items: [(String, PickleValue)]) -> PickleValue {
        .dict(PickleDict(kind: .orderedDict, entries: items.map { (key: .string($0.0), value: $0.1) }))
    }

    /// A plain `dict` with string keys.
    public static func stringDict(_ items: [(String, PickleValue)]) -> PickleValue {
        .dict(PickleDict(kind: .dict, entries: items.map { (key: .string($0.0), value: $0.1) }))
    }

    /// An `nn.Parameter` as PyTorch pickles it: `torch._utils._rebuild_parameter(tensor, requires_grad, OrderedDict())`.
    public static func parameter(_ tensor: Tensor, requiresGrad: Bool = true) -> PickleValue {
        .object(ObjectRecord(type: GlobalRef(module: "torch._utils", name: "_rebuild_parameter"), construction: .reduce,
                             args: [.tensor(tensor), .bool(requiresGrad), .orderedDict([])]))
    }

    /// Python's type name of the value, for error messages.
    public var typeName: String {
        switch self {
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigInt: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict(let d):
            switch d.kind {
            case .dict: return "dict"
            case .orderedDict: return "OrderedDict"
            case .counter: return "Counter"
            }
        case .set: return "set"
        case .tensor, .opaqueTensor: return "Tensor"
        case .quantizedTensor: return "QuantizedTensor"
        case .storage(let s): return s.storageClass.description
        case .global(let g): return "global \(g)"
        case .object(let o): return o.type.description
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }
    public var dictValue: PickleDict? { if case .dict(let d) = self { return d } else { return nil } }
    public var tensorValue: Tensor? { if case .tensor(let t) = self { return t } else { return nil } }
}
