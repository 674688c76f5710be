extension Op {
    /// True when the CPU kernel may return a view of input 0 instead of new storage.
    var mayAliasInput: Bool {
        switch self {
        case .view, .reshape, .permute, .transpose, .flatten, .squeeze, .unsqueeze, .expand, .contiguous,
             .split, .splitSizes, .chunk:
            return true
        case .index(let components):
            return !components.contains(.tensorInput)
        case .dropout(_, let training):
            return !training
        default:
            return false
        }
    }
}

extension Graph {
    /// Computes a `MemoryPlan` and returns the graph with it attached (`memoryPlan`); nodes and values are
    /// unchanged.
    ///
    /// Greedy in node order: a node's outputs get buffers before its inputs are released (a kernel reads its
    /// inputs while writing its outputs); a new output takes the smallest free buffer that fits, else grows
    /// the largest free one, else opens a new buffer. Complexity O(nodes × buffers).
    public func planningMemory() -> Graph {
        let end = nodes.count
        var lastUse = [Int: Int]()
        for (n, node) in nodes.enumerated() { for id in node.inputs { lastUse[id] = n } }
        for id in outputs { lastUse[id] = end }
        // Roots own storage; aliases point at their root.
        var root = [Int: Int]()
        var aliasOf = [Int: Int]()
        var owned = [Int]()
        for node in nodes {
            for id in node.outputs {
                if node.op.mayAliasInput, let source = node.inputs.first {
                    let r = root[source] ?? source
                    aliasOf[id] = r
                    root[id] = r
                } else {
                    root[id] = id
                    owned.append(id)
                }
            }
        }
        // A root lives until the last use of itself or any alias (inputs/constants as roots are not planned).
        var rootEnd = [Int: Int]()
        for (id, r) in root { rootEnd[r] = max(rootEnd[r] ?? -1, lastUse[id] ?? -1) }
        var bufferOf = [Int: Int]()
        var sizes = [Int]()
        var free = Set<Int>()
        var live = [Int: Int]()  // root → bytes, for the peak figure
        var peak = 0
        let ownedSet = Set(owned)
        for (n, node) in nodes.enumerated() {
            for id in node.outputs where ownedSet.contains(id) {
                let bytes = values.indices.contains(id) ? values[id].byteCount : 0
                let fitting = free.filter { sizes[$0] >= bytes }.min { (sizes[$0], $0) < (sizes[$1], $1) }
                let buffer: Int
                if let fitting {
                    buffer = fitting
                } else if let largest = free.max(by: { (sizes[$0], -$0) < (sizes[$1], -$1) }) {
                    buffer = largest
                    sizes[buffer] = bytes
                } else {
                    buffer = sizes.count
                    sizes.append(bytes)
                }
                free.remove(buffer)
                bufferOf[id] = buffer
                live[id] = bytes
            }
            peak = max(peak, live.values.reduce(0, +))
            for id in node.outputs + node.inputs {
                guard let r = root[id], ownedSet.contains(r), let b = bufferOf[r], (rootEnd[r] ?? -1) <= n,
                      live[r] != nil else { continue }
                live[r] = nil
                free.insert(b)
            }
        }
        let plan = MemoryPlan(bufferOf: bufferOf, aliasOf: aliasOf, bufferSizes: sizes,
                              lastUse: lastUse.filter { root[$0.key] != nil },
                              unplannedBytes: owned.map { values.indices.contains($0) ? values[$0].byteCount : 0 }.reduce(0, +),
                              plannedBytes: sizes.reduce(0, +), peakLiveBytes: peak)
        var g = self
        g.memoryPlan = plan
        return g
    }
}
