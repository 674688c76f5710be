extension Graph {
    /// The fused-mode pipeline: BN folding, activation fusion, dead-code removal, then memory planning.
    /// Each step is a pure function; the result computes the same numbers as `self` within float rounding
    /// (docs/graph.md, "Tolerances").
    /// - Throws: `GraphError` when `self` breaks an invariant, or a pass finds inconsistent parameters.
    public func optimized() throws -> Graph {
        try validate()
        return try foldingBatchNorm().fusingActivations().eliminatingDeadCode().planningMemory()
    }
}
