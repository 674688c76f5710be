extension Graph {
    /// What a node-merging pass asks about the graph it rewrites: who defines and who reads each value (as in
    /// `self`, before any rewrite), the graph outputs, and the nodes merged away so far.
    struct MergeContext {
        /// Node index defining each value id (nil for inputs and constants).
        let producer: [Int?]
        /// Node indices reading each value id.
        let uses: [[Int]]
        let outputs: Set<Int>
        /// Nodes merged into another one; they are dropped after the walk.
        var removed = Set<Int>()

        /// The node defining `value`, unless it is an input, a constant or already merged away.
        func liveProducer(of value: Int) -> Int? {
            guard producer.indices.contains(value), let p = producer[value], !removed.contains(p) else { return nil }
            return p
        }

        /// True when `value` is read by `reader` alone and is not a graph output: folding the two is safe.
        func isPrivate(_ value: Int, to reader: Int) -> Bool {
            uses.indices.contains(value) && uses[value] == [reader] && !outputs.contains(value)
        }
    }

    /// The walk shared by the passes that merge one node into a neighbour (BN folding, activation fusion,
    /// the quantized epilogue and concat passes): `merge` sees every node of `self` in order with a copy of the
    /// graph to edit, and returns the index of a node it merged away (dropped at the end), or nil.
    /// - Returns: the rewritten graph, memory plan cleared (`self` is unchanged).
    func mergingNodes(_ merge: (_ graph: inout Graph, _ index: Int, _ node: Node, _ context: MergeContext) throws -> Int?) rethrows -> Graph {
        var g = self
        g.memoryPlan = nil
        var context = MergeContext(producer: producers(), uses: consumers(), outputs: Set(outputs))
        for (index, node) in nodes.enumerated() {
            if let gone = try merge(&g, index, node, context) { context.removed.insert(gone) }
        }
        g.nodes = g.nodes.enumerated().filter { !context.removed.contains($0.offset) }.map(\.element)
        return g
    }
}
