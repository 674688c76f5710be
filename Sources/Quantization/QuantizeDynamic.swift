import Foundation
import NN
import Tensors

/// The float layer types the quantizer swaps (Catch's `DEFAULT_MLU_MODULE_MAPPING` without Conv3d,
/// which mlus does not have).
public enum QuantizableLayer: String, CaseIterable, Sendable {
    case conv1d = "Conv1d", conv2d = "Conv2d", linear = "Linear"

    /// The kind of `module` when it is exactly one of the float layers (subclasses, script subclasses and
    /// ConvTranspose stay float, as in Catch).
    static func kind(of module: Module) -> QuantizableLayer? {
        guard module.scriptClassName == nil else { return nil }
        if type(of: module) == Conv2d.self { return .conv2d }
        if type(of: module) == Conv1d.self { return .conv1d }
        if type(of: module) == Linear.self { return .linear }
        return nil
    }
}

/// Writes a warning line to stderr (Catch prints its warnings).
public func quantizationWarning(_ message: String) {
    FileHandle.standardError.write(Data(("[mlus quantize] " + message + "\n").utf8))
}

/// Catch's `torch_mlu.core.mlu_quantize.quantize_dynamic_mlu` (reference §1.5, §2).
///
/// Swaps every `Conv1d`/`Conv2d`/`Linear` (exact types, in module-registration order) for
/// `MLUConv1d`/`MLUConv2d`/`MLULinear`. With `genQuant` each swapped layer observes its input on CPU
/// forwards and computes its scales at `state_dict()` time (see `prepareQuantizedStateDict`). Without
/// `genQuant` (`quantize_dynamic_mlu(model)`) it only swaps, ready for `loadQuantizedStateDict`.
///
/// - Parameters:
///   - qconfig: the `qconfig_spec`; nil uses Catch's defaults (including `firstconv=True`).
///   - dtype: `int8` (the default) or `int16`.
///   - mapping: which float layer types to swap; nil swaps all three.
///   - inplace: swap inside `model` instead of a deep copy (a model that cannot be copied is quantized in
///     place with a warning, as in Catch).
///   - mixedLayers: layer-name prefixes and the dtype they get instead of `dtype` (`mixed_layer`).
/// - Returns: the quantized model (a copy unless `inplace`), in eval mode.
/// - Throws: `QuantizationError` for a firstconv layer without 1, 3 or 4 input channels, mean/std that do
///   not fit it, or a model that cannot be copied. Nothing is changed when it throws.
public func quantizeDynamicMLU(_ model: Module, qconfig: QConfig? = nil, dtype: QuantDType? = nil,
                               mapping: Set<QuantizableLayer>? = nil, inplace: Bool = false, genQuant: Bool = false,
                               mixedLayers: [String: QuantDType] = [:],
                               warn: @escaping (String) -> Void = quantizationWarning) throws -> Module {
    let config = qconfig ?? QConfig()
    let baseType = dtype ?? .int8
    let allowed = mapping ?? Set(QuantizableLayer.allCases)
    if !config.ignoredKeys.isEmpty {
        warn("qconfig keys not used by quantize_dynamic_mlu: \(config.ignoredKeys.map { "'\($0)'" }.joined(separator: ", ")) (known keys: iteration, use_avg, data_scale, mean, std, firstconv, per_channel, method)")
    }
    let mixed = mixedLayers.flatMap { key, value in
        key.split(separator: ",").map { ($0.trimmingCharacters(in: .whitespaces), value) }
    }.filter { !$0.0.isEmpty }

    // Catch's iteration-limit warning, once per quantized model rather than once per layer.
    let limitNotice = LimitNotice(warn: warn)

    // Plan every swap first, so bad input changes nothing.
    struct Swap { let parent: Module?; let childName: String; let path: String; let module: Module; let kind: QuantizableLayer }
    var swaps: [Swap] = []
    var seen = Set<ObjectIdentifier>()
    if let kind = QuantizableLayer.kind(of: model), allowed.contains(kind) {
        swaps.append(Swap(parent: nil, childName: "", path: "", module: model, kind: kind))
    }
    func visit(_ m: Module, _ prefix: String) {
        for (name, child) in m.namedChildren() {
            let path = prefix.isEmpty ? name : prefix + "." + name
            if let kind = QuantizableLayer.kind(of: child), allowed.contains(kind) {
                swaps.append(Swap(parent: m, childName: name, path: path, module: child, kind: kind))
                continue
            }
            guard !seen.contains(ObjectIdentifier(child)) else { continue }
            seen.insert(ObjectIdentifier(child))
            visit(child, path)
        }
    }
    visit(model, "")
    var firstConvIndex: Int?
    if config.firstConv, let i = swaps.firstIndex(where: { $0.kind == .conv2d }), let conv = swaps[i].module as? Conv2d {
        guard [1, 3, 4].contains(conv.inChannels) else {
            throw QuantizationError.invalidArgument("firstconv: the first conv '\(swaps[i].path.isEmpty ? conv.typeName : swaps[i].path)' has \(conv.inChannels) input channels; firstconv needs 1, 3 or 4 (pass 'firstconv': False in qconfig_spec)")
        }
        _ = try FirstConvNormalization(mean: config.mean, std: config.std, channels: conv.inChannels)
        firstConvIndex = i
    }

    // Copy, then swap in the copy: the plan's paths locate the same layers there.
    var target = model
    if !inplace {
        do {
            target = try ModuleCopier.deepCopy(model)
        } catch {
            // Catch falls back to quantizing in place when deepcopy fails.
            warn("could not deep-copy the model (\(error)); quantizing it in place, as Catch does")
        }
    }
    let targetModules = Dictionary(target.namedModules().map { ($0.name, $0.module) }, uniquingKeysWith: { a, _ in a })
    var replaced: [ObjectIdentifier: Module] = [:]
    var root = target
    for (i, s) in swaps.enumerated() {
        let parentPath = s.path.split(separator: ".").dropLast().joined(separator: ".")
        let parent = s.parent == nil ? nil : targetModules[parentPath]
        guard let current = s.parent == nil ? target : parent?.child(s.childName) else { continue }
        if let done = replaced[ObjectIdentifier(current)] {
            try parent?.registerModule(s.childName, done)
            continue
        }
        let layerType = mixed.first { s.path == $0.0 || s.path.hasPrefix($0.0 + ".") }?.1 ?? baseType
        var firstConv: FirstConvNormalization?
        if i == firstConvIndex, let conv = current as? Conv2d {
            firstConv = try FirstConvNormalization(mean: config.mean, std: config.std, channels: conv.inChannels)
            if genQuant && !config.explicitKeys.contains("mean") && !config.explicitKeys.contains("std") {
                warn("firstconv is on with the default mean [0,0,0] and std [1,1,1]: on the MLU '\(s.path)' will only divide its raw 0..255 input by 255. Pass the model's normalization as 'mean'/'std' in [0,1], or 'firstconv': False")
            }
        }
        let quantization = LayerQuantization(name: s.path.isEmpty ? current.typeName : s.path, dtype: layerType,
                                             perChannel: config.perChannel,
                                             observer: genQuant ? MinMaxObserver(config: config) : nil,
                                             firstConv: firstConv, warn: warn, limitNotice: limitNotice)
        let swapped: Module
        switch (s.kind, current) {
        case (.conv2d, let c as Conv2d): swapped = try MLUConv2d(from: c, quantization: quantization)
        case (.conv1d, let c as Conv1d): swapped = try MLUConv1d(from: c, quantization: quantization)
        case (.linear, let l as Linear): swapped = try MLULinear(from: l, quantization: quantization)
        default: continue
        }
        replaced[ObjectIdentifier(current)] = swapped
        if let parent { try parent.registerModule(s.childName, swapped) } else { root = swapped }
    }
    root.eval()
    return root
}

/// The swapped layers of a quantized model with their dotted names, in registration order.
public func quantizedLayers(of model: Module) -> [(name: String, layer: MLUQuantizedLayer)] {
    model.namedModules().compactMap { name, m in (m as? MLUQuantizedLayer).map { (name, $0) } }
}
