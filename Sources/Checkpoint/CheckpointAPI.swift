import Foundation
import Tensors

/// Loads a `.pt`/`.pth` file of either format (sniffed from its first bytes) without running Python.
///
/// Storages are memory-mapped from the file, not copied. Throws `CheckpointError` naming the file
/// and the offending global, opcode offset or record.
public func loadCheckpoint(contentsOf url: URL) throws -> PickleValue {
    try readCheckpoint(contentsOf: url).value
}

/// Like `loadCheckpoint(contentsOf:)` but also says which container and pickle protocol the file used.
public func readCheckpoint(contentsOf url: URL, options: PickleReadOptions = PickleReadOptions()) throws -> LoadedCheckpoint {
    let file = try MappedFile(url: url)
    return try CheckpointReader.read(file, options: options)
}

/// Loads checkpoint bytes already in memory (`name` appears in error messages).
public func loadCheckpoint(data: Data, name: String = "<memory>", options: PickleReadOptions = PickleReadOptions()) throws -> PickleValue {
    try CheckpointReader.read(MappedFile(data: data, name: name), options: options).value
}

/// Loads the state dict of a checkpoint, in file order.
///
/// Accepts a plain state dict, a checkpoint dict that holds one under `state_dict`, `model` or
/// `model_state_dict`, and a whole pickled model (its `_parameters`/`_buffers`/`_modules`, in
/// PyTorch's `state_dict()` order). `module.` prefixes written by `DataParallel` are stripped.
/// Quantized tensors come back dequantized (float32); a dtype `DType` cannot hold (complex, uint16,
/// float8) is `CheckpointError.unsupportedFeature` naming the key — use `loadCheckpoint` to see those.
public func loadStateDict(contentsOf url: URL) throws -> [(key: String, tensor: Tensor)] {
    let value = try loadCheckpoint(contentsOf: url)
    do {
        return try StateDictExtraction.extract(value)
    } catch let e as CheckpointError {
        throw e.naming(url.path)
    }
}

/// The state dict inside an already loaded value (see `loadStateDict(contentsOf:)`).
public func stateDict(in value: PickleValue) throws -> [(key: String, tensor: Tensor)] {
    try StateDictExtraction.extract(value)
}

/// Writes `entries` as a PyTorch state dict (`OrderedDict` of tensors) that
/// `torch.load(weights_only=True)` reads; `.legacy` is also readable by PyTorch 1.3.
public func saveStateDict(_ entries: [(key: String, tensor: Tensor)], to url: URL, format: CheckpointFormat) throws {
    try saveCheckpoint(.orderedDict(entries.map { ($0.key, PickleValue.tensor($0.tensor)) }), to: url, format: format)
}

/// Writes any value tree (checkpoint dicts, whole models built from `ObjectRecord`s) atomically.
public func saveCheckpoint(_ value: PickleValue, to url: URL, format: CheckpointFormat) throws {
    do {
        try CheckpointWriter.write(value, to: url, format: format)
    } catch let e as CheckpointError {
        throw e.naming(url.path)
    }
}
