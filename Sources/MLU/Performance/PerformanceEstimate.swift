import Foundation

/// A whole-network latency estimate: per-layer rows and the total, with the disclaimer.
public struct PerformanceEstimate: Sendable {
    public var profile: DeviceProfile
    public var coreNumber: Int
    public var assumptions: RooflineAssumptions
    public var layers: [LayerEstimate]

    /// The sum of the layer times.
    public var totalSeconds: Double { layers.reduce(0) { $0 + $1.seconds } }

    /// Printed above every table.
    public static let disclaimer =
        "ESTIMATE, not a measurement: a roofline model from published and assumed MLU figures; no MLU hardware was used."

    /// A fixed-width table: one row per layer (times in microseconds), the total, the
    /// assumptions and the peaks used with their confidence.
    public func formattedTable() -> String {
        var out = [String]()
        out.append("Latency estimate — \(profile.coreVersion.rawValue), \(coreNumber) of \(profile.totalCores) cores")
        out.append(Self.disclaimer)
        let header = pad("layer", 24) + pad("op", 20) + pad("dtype", 8) + lpad("MOPs", 12) + lpad("MB", 10)
            + lpad("compute us", 12) + lpad("memory us", 12) + lpad("time us", 12) + "  bound"
        out.append(header)
        out.append(String(repeating: "-", count: header.count))
        for l in layers {
            var row = pad(l.cost.name, 24) + pad(l.cost.opKind, 20) + pad(l.cost.computeDType.rawValue, 8)
            row += lpad(fixed(l.cost.operations / 1e6, 2), 12) + lpad(fixed(l.cost.totalBytes / 1e6, 3), 10)
            row += lpad(fixed(l.computeSeconds * 1e6, 2), 12) + lpad(fixed(l.memorySeconds * 1e6, 2), 12)
            row += lpad(fixed(l.seconds * 1e6, 2), 12) + "  " + l.bound.rawValue
            if l.weightsExceedOnChipMemory { row += " (weights exceed WRAM)" }
            out.append(row)
        }
        out.append(String(repeating: "-", count: header.count))
        out.append(pad("total (estimate)", 24 + 20 + 8 + 12 + 10 + 12 + 12) + lpad(fixed(totalSeconds * 1e6, 2), 12))
        out.append("Assumptions: compute efficiency \(fixed(assumptions.computeEfficiency * 100, 0))%, "
                   + "memory efficiency \(fixed(assumptions.memoryEfficiency * 100, 0))%, "
                   + "per-layer overhead \(fixed(assumptions.perLayerOverheadSeconds * 1e6, 2)) us.")
        var peaks = [String]()
        for dtype in ComputeDType.allCases {
            if let p = profile.peakOpsPerSecond[dtype] {
                peaks.append("\(dtype.rawValue) \(fixed(p.value / 1e12, 1)) TOPS [\(p.confidence.rawValue)]")
            }
        }
        out.append("Peaks (whole chip): " + peaks.joined(separator: ", ")
                   + "; DRAM \(fixed(profile.memoryBandwidthGBps.value, 2)) GB/s [\(profile.memoryBandwidthGBps.confidence.rawValue)].")
        return out.joined(separator: "\n") + "\n"
    }

    private func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? String(s.prefix(n - 1)) + " " : s + String(repeating: " ", count: n - s.count)
    }
    private func lpad(_ s: String, _ n: Int) -> String {
        s.count >= n ? s : String(repeating: " ", count: n - s.count) + s
    }
}
