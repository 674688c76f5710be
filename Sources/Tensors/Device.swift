/// Where a tensor or module lives.
///
/// The MLU is emulated on the CPU: the tag decides which backend executes an operation
/// (float CPU kernels, or the MLU rules of quantized integer and FP16 arithmetic).
public enum Device: Sendable, Hashable, CustomStringConvertible {
    case cpu
    case mlu(index: Int)

    public static let mlu = Device.mlu(index: 0)

    public var isMLU: Bool { if case .mlu = self { return true } else { return false } }

    /// PyTorch's spelling: `cpu`, `mlu:0`.
    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .mlu(let index): return "mlu:\(index)"
        }
    }
}
