/// The efficiency factors of the roofline model: what fraction of the data-sheet peaks a real
/// layer reaches. They are assumptions, not measurements, and every estimate prints them.
public struct RooflineAssumptions: Equatable, Sendable {
    /// Fraction of peak arithmetic throughput reached. Default 0.5: Cambricon's own CNML conv
    /// sample reached 118.2 of 128 TOPS (92 %) on one large convolution (reference §7), and typical
    /// CNN layers, with small channel counts and edges, reach much less; half is a middle guess.
    public var computeEfficiency: Double
    /// Fraction of DRAM bandwidth reached. Default 0.7, usual for streaming DDR access.
    public var memoryEfficiency: Double
    /// Fixed time added per layer (kernel launch, synchronisation). Default 0: a fused offline
    /// model runs as one kernel.
    public var perLayerOverheadSeconds: Double

    public init(computeEfficiency: Double = 0.5, memoryEfficiency: Double = 0.7, perLayerOverheadSeconds: Double = 0) {
        self.computeEfficiency = computeEfficiency
        self.memoryEfficiency = memoryEfficiency
        self.perLayerOverheadSeconds = perLayerOverheadSeconds
    }

    public static let standard = RooflineAssumptions()
}
