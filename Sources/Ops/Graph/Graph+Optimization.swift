extension Graph {
    /// The fused-mode pipeline whose result offline models store: BN folding, activation fusion, dead-code
    /// removal, then memory planning. Each step is a pure function; the result computes the same numbers as
    /// `self` within float rounding (docs/graph.md, "Tolerances").
    /// - Throws: `GraphError` when `self` breaks an invariant, or a pass finds inconsistent parameters.
    public func optimized() throws -> Graph {
        try validate()
        return try foldingBatchNorm().fusingActivations().eliminatingDeadCode().planningMemory()
    }

    /// What fused mode and the offline runtime execute: `optimized()` plus the fusions that exist only as
    /// kernel fusions, not as ops a file could store: a quantized convolution's BatchNorm and ReLU
    /// (`fusingBatchNormIntoQuantizedConvolutions`), the channel concatenation it reads
    /// (`absorbingConcatIntoQuantizedConvolutions`), the bilinear resizes feeding it
    /// (`absorbingResizeIntoQuantizedConvolutions`), and int8 codes in place of the floats between two quantized
    /// convolutions (`passingCodesBetweenQuantizedConvolutions`). Computes exactly the numbers of `optimized()`.
    /// - Throws: as `optimized()`.
    public func optimizedForExecution() throws -> Graph {
        try validate()
        return try foldingBatchNorm().fusingBatchNormIntoQuantizedConvolutions().fusingActivations()
            .absorbingConcatIntoQuantizedConvolutions().absorbingResizeIntoQuantizedConvolutions()
            .passingCodesBetweenQuantizedConvolutions().eliminatingDeadCode().planningMemory()
    }
}
