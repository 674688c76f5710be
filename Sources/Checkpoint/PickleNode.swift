/// The pickle machine's working values.
///
/// Containers are reference objects because pickles mutate them after memoising them
/// (`EMPTY_DICT BINPUT ... SETITEMS`). Scalars are plain values. The finished tree is converted to
/// the immutable `PickleValue` once, after storages are known.
enum VMValue {
    case scalar(PickleValue)
    case global(GlobalRef)
    case node(PickleNode)

    var depth: Int { if case .node(let n) = self { return n.depth } else { return 0 } }

    var typeName: String {
        switch self {
        case .scalar(let v): return v.typeName
        case .global(let g): return "global \(g)"
        case .node(let n): return n.kind.typeName
        }
    }
}

/// Where a storage's bytes come from: the container's key, the element type and the element count.
struct StorageSpec {
    var key: String
    var element: ElementType
    var numel: Int
    /// The storage class global as the pickle named it.
    var storageClass: GlobalRef = GlobalRef(module: "torch", name: "UntypedStorage")
    /// Legacy `view_metadata`: the pid denotes `root[viewOffset ..< viewOffset + viewSize]` (elements).
    var viewOffset: Int = 0
    var viewSize: Int?
}

/// A tensor as `_rebuild_tensor_*` described it; its storage is attached during conversion.
struct TensorSpec {
    var storage: StorageSpec
    var element: ElementType
    var offset: Int
    var shape: [Int]
    var strides: [Int]
}

enum QuantizerSpec {
    case perTensor(scale: Double, zeroPoint: Int)
    case perChannel(scales: PickleNode, zeroPoints: PickleNode, axis: Int)
}

final class PickleNode {
    enum Kind {
        case list, tuple, set, frozenset
        case dict(PickleDict.Kind)
        case object(GlobalRef, ObjectRecord.Construction)
        case storage(StorageSpec)
        case tensor(TensorSpec)
        case quantized(TensorSpec, QuantizerSpec)

        var typeName: String {
            switch self {
            case .list: return "list"
            case .tuple: return "tuple"
            case .set: return "set"
            case .frozenset: return "frozenset"
            case .dict(.dict): return "dict"
            case .dict(.orderedDict): return "OrderedDict"
            case .dict(.counter): return "Counter"
            case .object(let g, _): return "\(g) object"
            case .storage: return "storage"
            case .tensor, .quantized: return "Tensor"
            }
        }
    }

    let kind: Kind
    /// Elements of list/tuple/set, the args of an object, or the values of a dict.
    var items: [VMValue]
    /// Keys of a dict, parallel to `items`.
    var keys: [VMValue] = []
    var keyIndex: [HashKey: Int] = [:]
    /// State given by `BUILD`.
    var state: VMValue?
    /// An upper bound of the nesting below this node, as far as known when children were added.
    var depth: Int

    init(kind: Kind, items: [VMValue] = [], depth: Int = 1) {
        self.kind = kind
        self.items = items
        self.depth = depth
    }
}

/// Python's hash equality for dict keys: `True == 1 == 1.0`, tuples by value, objects by identity.
indirect enum HashKey: Hashable {
    case none
    case int(Int)
    case big([UInt8])
    case float(UInt64)
    case string(String)
    case bytes([UInt8])
    case tuple([HashKey])
    case global(GlobalRef)
    case identity(ObjectIdentifier)

    /// `nil` for unhashable values (list, dict, set).
    init?(_ v: VMValue) {
        switch v {
        case .scalar(let s):
            switch s {
            case .none: self = .none
            case .bool(let b): self = .int(b ? 1 : 0)
            case .int(let i): self = .int(i)
            case .bigInt(let b): self = .big(b)
            case .float(let d):
                if d.rounded() == d, abs(d) < 9.2e18 { self = .int(Int(d)) } else { self = .float(d.bitPattern) }
            case .string(let s): self = .string(s)
            case .bytes(let b): self = .bytes(b)
            default: return nil
            }
        case .global(let g): self = .global(g)
        case .node(let n):
            switch n.kind {
            case .tuple:
                var parts: [HashKey] = []
                for item in n.items {
                    guard let k = HashKey(item) else { return nil }
                    parts.append(k)
                }
                self = .tuple(parts)
            case .list, .set, .dict: return nil
            case .frozenset, .object, .storage, .tensor, .quantized: self = .identity(ObjectIdentifier(n))
            }
        }
    }
}
