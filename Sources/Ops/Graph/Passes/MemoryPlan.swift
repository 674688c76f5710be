/// A liveness-based buffer plan for the intermediate values of a graph (`Graph.planningMemory`).
///
/// Each node output that owns storage gets a buffer; a buffer is reused once every value placed in it
/// (and every view of it) has been read for the last time. View-producing ops (`view`, `reshape`,
/// `permute`, `transpose`, `flatten`, `squeeze`, `unsqueeze`, `expand`, `split`, `chunk`, constant
/// `__getitem__`, `contiguous`, eval `dropout`) are taken to alias their first input, whose buffer then
/// lives as long as the last view. Inputs and constants are not planned (the caller owns them).
public struct MemoryPlan: Hashable, Sendable {
    /// Buffer index of each value that owns storage.
    public var bufferOf: [Int: Int]
    /// For each view value, the value whose buffer it reads.
    public var aliasOf: [Int: Int]
    /// Bytes of each buffer (the largest value placed in it).
    public var bufferSizes: [Int]
    /// For every planned value and alias: the index of the last node that reads it, or `nodeCount` when
    /// it is a graph output (alive at the end).
    public var lastUse: [Int: Int]
    /// Bytes with one buffer per intermediate value (no reuse): the "before" figure.
    public var unplannedBytes: Int
    /// Bytes of all buffers of the plan: the "after" figure.
    public var plannedBytes: Int
    /// The largest total size of values alive at once: a lower bound for any plan.
    public var peakLiveBytes: Int

    public init(bufferOf: [Int: Int], aliasOf: [Int: Int], bufferSizes: [Int], lastUse: [Int: Int],
                unplannedBytes: Int, plannedBytes: Int, peakLiveBytes: Int) {
        self.bufferOf = bufferOf
        self.aliasOf = aliasOf
        self.bufferSizes = bufferSizes
        self.lastUse = lastUse
        self.unplannedBytes = unplannedBytes
        self.plannedBytes = plannedBytes
        self.peakLiveBytes = peakLiveBytes
    }
}

extension MemoryPlan: CustomStringConvertible {
    /// One line for reports: buffer count, planned vs unplanned bytes, and the live peak.
    public var description: String {
        "memory plan: \(bufferSizes.count) buffers, \(plannedBytes) bytes planned vs \(unplannedBytes) unplanned (peak live \(peakLiveBytes))"
    }
}
