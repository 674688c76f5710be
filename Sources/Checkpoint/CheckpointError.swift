/// Everything that can go wrong reading or writing a checkpoint or `.npy` file.
///
/// Cases are stable (tests and the script bindings match on them); each message names the file
/// and, where one exists, the byte offset of the pickle opcode, the key or the global involved.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
    /// A global outside the allow-list (`os.system`, `builtins.eval`, ...): nothing is executed.
    case forbiddenGlobal(file: String, global: String, offset: Int)
    /// `REDUCE`/`NEWOBJ`/`BUILD` applied to something the loader refuses to call or update.
    case forbiddenOperation(file: String, detail: String, offset: Int)
    /// An opcode the reader does not implement (or that has no meaning without Python).
    case unsupportedOpcode(file: String, opcode: UInt8, offset: Int)
    /// The stream ends before an opcode's argument or before `STOP`.
    case truncated(file: String, detail: String, offset: Int)
    /// Structurally wrong pickle: bad stack, memo index, nesting too deep, size claims too large.
    case invalidPickle(file: String, detail: String, offset: Int)
    /// Container-level damage: zip directory, legacy framing, storage sizes, `.npy` header.
    case malformed(file: String, detail: String)
    /// Something real PyTorch writes that mlus cannot represent (a dtype, a quantization scheme, ...).
    case unsupportedFeature(file: String, feature: String)
    /// `loadStateDict` found no state dict in the object (with what it found instead).
    case notAStateDict(file: String, detail: String)
    /// The value cannot be written (an unsupported value type, two dtypes on one storage, ...).
    case cannotWrite(file: String, detail: String)
    /// The operating system refused a read, map or write.
    case io(file: String, detail: String)

    public var description: String {
        switch self {
        case .forbiddenGlobal(let f, let g, let o):
            return "\(f): pickle at byte \(o) references global '\(g)', which is not allowed (only PyTorch tensor/storage types, containers and module classes load; nothing is executed)"
        case .forbiddenOperation(let f, let d, let o): return "\(f): pickle at byte \(o): \(d)"
        case .unsupportedOpcode(let f, let op, let o):
            return "\(f): pickle at byte \(o): unsupported opcode 0x\(String(op, radix: 16, uppercase: true))"
        case .truncated(let f, let d, let o): return "\(f): truncated at byte \(o): \(d)"
        case .invalidPickle(let f, let d, let o): return "\(f): invalid pickle at byte \(o): \(d)"
        case .malformed(let f, let d): return "\(f): \(d)"
        case .unsupportedFeature(let f, let feature): return "\(f): unsupported: \(feature)"
        case .notAStateDict(let f, let d): return "\(f): not a state dict: \(d)"
        case .cannotWrite(let f, let d): return "\(f): cannot write: \(d)"
        case .io(let f, let d): return "\(f): \(d)"
        }
    }

    /// The same error attributed to `file` (inner readers work on bytes and do not know the path).
    func naming(_ file: String) -> CheckpointError {
        switch self {
        case .forbiddenGlobal(_, let g, let o): return .forbiddenGlobal(file: file, global: g, offset: o)
        case .forbiddenOperation(_, let d, let o): return .forbiddenOperation(file: file, detail: d, offset: o)
        case .unsupportedOpcode(_, let op, let o): return .unsupportedOpcode(file: file, opcode: op, offset: o)
        case .truncated(_, let d, let o): return .truncated(file: file, detail: d, offset: o)
        case .invalidPickle(_, let d, let o): return .invalidPickle(file: file, detail: d, offset: o)
        case .malformed(_, let d): return .malformed(file: file, detail: d)
        case .unsupportedFeature(_, let f): return .unsupportedFeature(file: file, feature: f)
        case .notAStateDict(_, let d): return .notAStateDict(file: file, detail: d)
        case .cannotWrite(_, let d): return .cannotWrite(file: file, detail: d)
        case .io(_, let d): return .io(file: file, detail: d)
        }
    }
}
