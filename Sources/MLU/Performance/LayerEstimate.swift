/// The estimated time of one layer and why.
public struct LayerEstimate: Equatable, Sendable {
    public var cost: LayerCost
    /// Operations ÷ (peak for the dtype × cores used / all cores × compute efficiency).
    public var computeSeconds: Double
    /// DRAM bytes ÷ (bandwidth × memory efficiency).
    public var memorySeconds: Double
    /// max(compute, memory) + per-layer overhead.
    public var seconds: Double
    public var bound: RooflineBound
    /// The weights do not fit in the WRAM of the cores used; they must stream from DRAM during the
    /// layer (already counted in `memorySeconds`), and tiling may cost more than estimated.
    public var weightsExceedOnChipMemory: Bool
}
