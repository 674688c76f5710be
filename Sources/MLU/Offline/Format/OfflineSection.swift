/// The sections of a `.cambricon` file, in the order the writer emits them.
public enum OfflineSection: String, CaseIterable, Sendable, CustomStringConvertible {
    case graph = "GRPH"
    case tensors = "TENS"
    case io = "IODS"
    case target = "TRGT"
    case provenance = "PROV"

    /// The 4-byte tag as stored in the section table.
    var tag: [UInt8] { Array(rawValue.utf8) }

    public var description: String {
        switch self {
        case .graph: return "GRPH (graph)"
        case .tensors: return "TENS (constant tensors)"
        case .io: return "IODS (input/output descriptors)"
        case .target: return "TRGT (target)"
        case .provenance: return "PROV (provenance)"
        }
    }
}
