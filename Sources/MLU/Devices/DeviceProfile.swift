/// What the performance model and the runtime know about one MLU: a table of numbers, each with
/// its source and confidence (reference cambricon.md §7).
///
/// Profiles are data (`DeviceProfile.mlu270`, `.mlu220`) and `Codable`, so they can be printed,
/// saved as JSON, or replaced by a measured profile.
public struct DeviceProfile: Sendable, Codable, Equatable {
    public var coreVersion: CoreVersion
    public var clusters: Sourced<Int>
    public var coresPerCluster: Sourced<Int>
    /// The values `ct.set_core_number` accepts for this version.
    public var validCoreNumbers: Sourced<[Int]>
    public var clockMHz: Sourced<Double>
    /// DRAM bandwidth in GB/s (10^9 bytes per second).
    public var memoryBandwidthGBps: Sourced<Double>
    public var nramBytesPerCore: Sourced<Int>
    public var wramBytesPerCore: Sourced<Int>
    public var sramBytesPerCluster: Sourced<Int>
    /// Peak operations per second for the whole chip (all cores), per compute dtype; one
    /// multiply-accumulate counts as two operations.
    public var peakOpsPerSecond: [ComputeDType: Sourced<Double>]

    /// All cores of the chip.
    public var totalCores: Int { clusters.value * coresPerCluster.value }

    /// The profile of `version`.
    public static func profile(for version: CoreVersion) -> DeviceProfile {
        switch version {
        case .mlu220: return .mlu220
        case .mlu270: return .mlu270
        }
    }

    /// Peak operations per second on `coreNumber` cores, assuming the chip's peak divides evenly
    /// among its cores.
    public func peakOps(_ dtype: ComputeDType, coreNumber: Int) -> Double {
        let chip = peakOpsPerSecond[dtype]?.value ?? 0
        return chip * Double(coreNumber) / Double(max(totalCores, 1))
    }
}
