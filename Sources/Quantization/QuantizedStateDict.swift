import NN
import Tensors

/// Computes the scales of every calibrating layer (Catch does it inside `state_dict()`), so the buffers
/// `stateDict()` then returns hold them.
///
/// - Throws: `QuantizationError.notCalibrated` naming the first layer that saw no input; nothing is changed then.
public func prepareQuantizedStateDict(_ model: Module) throws {
    let layers = quantizedLayers(of: model)
    for (_, layer) in layers {
        if let obs = layer.quantization.observer, !obs.hasObservations {
            throw QuantizationError.notCalibrated(layer: layer.quantization.name)
        }
    }
    for (_, layer) in layers { try layer.refreshScales() }
}

/// `model.state_dict()` of a quantized model with its scales computed (reference §3 keys).
public func quantizedStateDict(_ model: Module) throws -> [(key: String, tensor: Tensor)] {
    try prepareQuantizedStateDict(model)
    return model.stateDict()
}

/// Checks, before a load, that a quantized state dict goes into a quantized model, and gives each swapped
/// layer the per-channel and firstconv buffers the dict has (Catch's two-step load).
///
/// - Throws: when the dict is quantized but the model is float, explaining the two-step load.
public func prepareQuantizedLoad(_ model: Module, keys: [String]) throws {
    let keySet = Set(keys)
    let quantizedPrefixes = keys.filter { $0.hasSuffix("quantized_mode") }.map { String($0.dropLast("quantized_mode".count)) }
    let modules = Dictionary(model.namedModules().map { ($0.name, $0.module) }, uniquingKeysWith: { a, _ in a })
    for prefix in quantizedPrefixes {
        let path = prefix.hasSuffix(".") ? String(prefix.dropLast()) : prefix
        guard let m = modules[path] else { continue }
        if !(m is MLUQuantizedLayer) && QuantizableLayer.kind(of: m) != nil {
            throw QuantizationError.invalidArgument("this state_dict is quantized ('\(prefix)scale', '\(prefix)quantized_mode') but '\(path.isEmpty ? m.typeName : path)' is a float \(m.typeName). Load it in two steps: model = quantize_dynamic_mlu(model) (no qconfig: it only swaps the layers), then model.load_state_dict(state_dict)")
        }
    }
    for (name, layer) in quantizedLayers(of: model) where keySet.contains((name.isEmpty ? "" : name + ".") + "scale") {
        try layer.alignBuffers(toKeys: keySet, prefix: name.isEmpty ? "" : name + ".")
    }
}

/// `model.load_state_dict(entries)` for a quantized model: aligns the layers with the dict, loads, and
/// makes the loaded scales the ones the MLU computes with.
@discardableResult
public func loadQuantizedStateDict(_ model: Module, _ entries: [(key: String, tensor: Tensor)], strict: Bool = true) throws -> IncompatibleKeys {
    try prepareQuantizedLoad(model, keys: entries.map(\.key))
    let result = try model.loadStateDict(entries, strict: strict)
    for (_, layer) in quantizedLayers(of: model) { layer.syncFromBuffers() }
    return result
}
