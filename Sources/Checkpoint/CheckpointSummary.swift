import Tensors

/// What `mlus inspect` reports about a checkpoint: container, protocol, kind, every tensor and totals.
public struct CheckpointSummary {
    /// One tensor of the file, with its flattened key (`state_dict.conv.weight`, `optimizer.state.0.exp_avg`).
    public struct Entry {
        public var key: String
        /// `float32`, ..., or a PyTorch dtype name mlus keeps opaque (`complex64`, `qint8`).
        public var dtype: String
        public var shape: [Int]
        public var numel: Int
        /// `numel × itemsize` (what the tensor's elements occupy, not its whole storage).
        public var bytes: Int
    }

    public var format: CheckpointFormat
    public var pickleProtocol: Int
    /// `OrderedDict` (state dict), `dict` (checkpoint), the class of a whole model, ...
    public var kind: String
    public var entries: [Entry]
    /// Class tree of a whole pickled model, `nil` otherwise.
    public var classTree: [String]?

    public var totalElements: Int { entries.reduce(0) { $0 + $1.numel } }
    public var totalBytes: Int { entries.reduce(0) { $0 + $1.bytes } }

    public init(_ loaded: LoadedCheckpoint) {
        format = loaded.format
        pickleProtocol = loaded.pickleProtocol
        kind = loaded.value.typeName
        var list: [Entry] = []
        CheckpointSummary.collect(loaded.value, prefix: "", into: &list, depth: 0)
        entries = list
        classTree = (try? ModuleTree(loaded.value))?.classTree()
    }

    private static func collect(_ v: PickleValue, prefix: String, into out: inout [Entry], depth: Int) {
        guard depth < 300 else { return }
        func join(_ k: String) -> String { prefix.isEmpty ? k : prefix + "." + k }
        switch v {
        case .tensor(let t):
            out.append(Entry(key: prefix, dtype: t.dtype.rawValue, shape: t.shape, numel: t.count, bytes: t.count * t.dtype.itemSize))
        case .opaqueTensor(let o):
            let n = o.shape.reduce(1, *)
            out.append(Entry(key: prefix, dtype: o.dtypeName, shape: o.shape, numel: n, bytes: n * o.itemSize))
        case .quantizedTensor(let q):
            out.append(Entry(key: prefix, dtype: q.dtypeName, shape: q.integers.shape, numel: q.integers.count,
                             bytes: q.integers.count * q.integers.dtype.itemSize))
        case .dict(let d):
            for e in d.entries {
                let k: String
                switch e.key {
                case .string(let s): k = s
                case .int(let i): k = String(i)
                default: k = e.key.typeName
                }
                collect(e.value, prefix: join(k), into: &out, depth: depth + 1)
            }
        case .list(let xs), .tuple(let xs):
            for (i, x) in xs.enumerated() { collect(x, prefix: "\(prefix)[\(i)]", into: &out, depth: depth + 1) }
        case .object:
            if let tree = try? ModuleTree(v) {
                for (k, t) in tree.stateDict() {
                    out.append(Entry(key: join(k), dtype: t.dtype.rawValue, shape: t.shape, numel: t.count, bytes: t.count * t.dtype.itemSize))
                }
            }
        default: break
        }
    }
}
