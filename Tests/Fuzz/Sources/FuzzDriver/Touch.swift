import Checkpoint
import Tensors

/// Reads every element of every (not too large) tensor in a loaded value, so a storage that is shorter
/// than its tensor's shape claims shows up as an AddressSanitizer report instead of passing silently.
public func touchTensors(in value: PickleValue, depth: Int = 0) {
    guard depth < 64 else { return }
    switch value {
    case .tensor(let t): touch(t)
    case .list(let items), .tuple(let items), .set(let items):
        for item in items { touchTensors(in: item, depth: depth + 1) }
    case .dict(let d):
        for entry in d.entries { touchTensors(in: entry.value, depth: depth + 1) }
    default: break
    }
}

/// Reads every element of `tensor` when it has at most `maxElementsToTouch` of them.
public func touch(_ tensor: Tensor) {
    guard tensor.count <= maxElementsToTouch else { return }
    _ = tensor.scalars()
}

/// What a caller of `torch.load` does next: extract the state dict (whole models included) and read it.
public func exerciseLoaded(_ value: PickleValue) {
    touchTensors(in: value)
    if let entries = try? stateDict(in: value) {
        for entry in entries { touch(entry.tensor) }
    }
}
