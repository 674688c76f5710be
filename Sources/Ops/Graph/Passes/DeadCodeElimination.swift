extension Graph {
    /// Removes nodes none of whose outputs reach a graph output, and every value (constants included)
    /// that no remaining node or output refers to; value ids are then renumbered (`compacted`).
    ///
    /// Every `Op` is pure (dropout in training mode draws random numbers but has no other effect), so a
    /// node whose results are unused can go.
    /// - Returns: the rewritten graph (`self` is unchanged).
    public func eliminatingDeadCode() -> Graph {
        var live = Set(outputs)
        var keep = [Bool](repeating: false, count: nodes.count)
        for n in nodes.indices.reversed() where nodes[n].outputs.contains(where: live.contains) {
            keep[n] = true
            live.formUnion(nodes[n].inputs)
        }
        var g = self
        g.nodes = nodes.enumerated().filter { keep[$0.offset] }.map(\.element)
        let referenced = Set(g.inputs).union(g.outputs).union(g.nodes.flatMap(\.inputs))
        g.constants = g.constants.filter { referenced.contains($0.key) }
        return g.compacted()
    }
}
