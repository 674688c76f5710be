/// What one layer costs, independent of any device: arithmetic and memory traffic.
///
/// The engine produces one record per `Op` of a traced graph; the roofline model turns records
/// into times for a chosen device and core number.
public struct LayerCost: Equatable, Sendable {
    public var name: String
    /// The op name (e.g. "conv2d"), for the table.
    public var opKind: String
    /// Arithmetic operations; one multiply-accumulate counts as two.
    public var operations: Double
    /// Activation bytes read from DRAM (weights excluded).
    public var bytesRead: Double
    /// Activation bytes written to DRAM.
    public var bytesWritten: Double
    /// Weight and bias bytes read from DRAM.
    public var weightBytes: Double
    public var computeDType: ComputeDType

    public init(name: String, opKind: String, operations: Double, bytesRead: Double, bytesWritten: Double,
                weightBytes: Double = 0, computeDType: ComputeDType) {
        self.name = name
        self.opKind = opKind
        self.operations = operations
        self.bytesRead = bytesRead
        self.bytesWritten = bytesWritten
        self.weightBytes = weightBytes
        self.computeDType = computeDType
    }

    /// A record counted in multiply-accumulates (convolution, linear): operations = 2 × MACs.
    public init(name: String, opKind: String, macs: Double, bytesRead: Double, bytesWritten: Double,
                weightBytes: Double = 0, computeDType: ComputeDType) {
        self.init(name: name, opKind: opKind, operations: 2 * macs, bytesRead: bytesRead, bytesWritten: bytesWritten,
                  weightBytes: weightBytes, computeDType: computeDType)
    }

    /// All DRAM traffic of the layer.
    public var totalBytes: Double { bytesRead + bytesWritten + weightBytes }
}
