/// A per-layer roofline estimate of MLU latency, from a device profile and a core number.
///
/// Each layer takes the longer of its compute time and its DRAM time (plus an optional fixed
/// overhead); the total is the sum. Compute scales with the cores used; DRAM bandwidth is shared
/// by the chip and does not. It is an estimate resting on the profile's numbers (several of
/// confidence L) and on `RooflineAssumptions`, and says so wherever it is printed.
public struct RooflineModel: Sendable {
    public let profile: DeviceProfile
    public let coreNumber: Int
    public let assumptions: RooflineAssumptions

    /// - Throws: `DeviceError.invalidCoreNumber` (listing the valid values) or
    ///   `PerformanceError.invalidAssumption`.
    public init(profile: DeviceProfile, coreNumber: Int, assumptions: RooflineAssumptions = .standard) throws {
        try validateCoreNumber(coreNumber, for: profile.coreVersion)
        for (field, v) in [("computeEfficiency", assumptions.computeEfficiency), ("memoryEfficiency", assumptions.memoryEfficiency)] {
            guard v.isFinite, v > 0, v <= 1 else { throw PerformanceError.invalidAssumption(field: field, value: v) }
        }
        let overhead = assumptions.perLayerOverheadSeconds
        guard overhead.isFinite, overhead >= 0 else {
            throw PerformanceError.invalidAssumption(field: "perLayerOverheadSeconds", value: overhead)
        }
        self.profile = profile
        self.coreNumber = coreNumber
        self.assumptions = assumptions
    }

    /// Convenience for `ct.estimate(traced, core_version, core_number)`.
    public init(coreVersion: CoreVersion, coreNumber: Int, assumptions: RooflineAssumptions = .standard) throws {
        try self.init(profile: .profile(for: coreVersion), coreNumber: coreNumber, assumptions: assumptions)
    }

    /// Achieved arithmetic rate (operations per second) for `dtype` on the cores used.
    public func computeRate(_ dtype: ComputeDType) -> Double {
        profile.peakOps(dtype, coreNumber: coreNumber) * assumptions.computeEfficiency
    }

    /// Achieved DRAM rate in bytes per second.
    public var memoryRate: Double { profile.memoryBandwidthGBps.value * 1e9 * assumptions.memoryEfficiency }

    /// The estimate of one layer.
    /// - Throws: `PerformanceError.invalidCost` for a negative or non-finite figure.
    public func estimate(_ cost: LayerCost) throws -> LayerEstimate {
        for (field, v) in [("operations", cost.operations), ("bytesRead", cost.bytesRead),
                           ("bytesWritten", cost.bytesWritten), ("weightBytes", cost.weightBytes)] {
            guard v.isFinite, v >= 0 else { throw PerformanceError.invalidCost(layer: cost.name, field: field, value: v) }
        }
        let rate = computeRate(cost.computeDType)
        let compute = cost.operations == 0 ? 0 : cost.operations / rate
        let memory = cost.totalBytes / memoryRate
        let wram = Double(profile.wramBytesPerCore.value * coreNumber)
        return LayerEstimate(cost: cost, computeSeconds: compute, memorySeconds: memory,
                             seconds: max(compute, memory) + assumptions.perLayerOverheadSeconds,
                             bound: compute >= memory ? .compute : .memory,
                             weightsExceedOnChipMemory: cost.weightBytes > wram)
    }

    /// The estimate of a whole network: every layer, and their sum.
    public func estimate(_ costs: [LayerCost]) throws -> PerformanceEstimate {
        PerformanceEstimate(profile: profile, coreNumber: coreNumber, assumptions: assumptions,
                            layers: try costs.map(estimate))
    }
}
