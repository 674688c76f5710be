import NN
import Quantization
import Tensors

/// `torch_mlu.core.mlu_quantize`: Catch's `quantize_dynamic_mlu`, plus mlus's accuracy analysis
/// (`compare`) and a calibration loop with progress (`calibrate`).
enum QuantizeModule {
    static func make(_ interpreter: Interpreter) -> Module {
        installScriptCopying()
        MLUBackend.install()
        let m = Module(name: "torch_mlu.core.mlu_quantize")
        m.addFunction("quantize_dynamic_mlu") { args in try quantizeDynamic(args) }
        m.addFunction("compare") { args in try compare(args) }
        m.addFunction("calibrate") { args in try calibrate(args) }
        return m
    }

    // MARK: quantize_dynamic_mlu

    private static func quantizeDynamic(_ args: Arguments) throws -> Value {
        let b = try BoundArguments(args, ["model", "qconfig_spec", "dtype", "mapping", "inplace", "gen_quant", "mixed_layer"], required: 1)
        guard let modelValue = b["model"], let model = ModuleObject.module(modelValue) else {
            throw ScriptError.typeError("quantize_dynamic_mlu() expects an nn.Module, got \(Convert.typeName(b["model"] ?? .none))")
        }
        let warn: (String) -> Void = { args.interpreter.stderr.write("Warning: " + $0 + "\n") }
        let qconfig = try b["qconfig_spec"].map { try parseQConfig($0) }
        let dtype = try b["dtype"].map { v -> QuantDType in
            guard case .str(let s) = v else { throw ScriptError.typeError("quantize_dynamic_mlu(): dtype must be 'int8' or 'int16', not \(Convert.typeName(v))") }
            return try bridge { try QuantDType.parse(s) }
        }
        let mapping = try b["mapping"].map { try parseMapping($0, args.interpreter) }
        let mixed = try b["mixed_layer"].map { try parseMixed($0) } ?? [:]
        let result = try bridge {
            try quantizeDynamicMLU(model, qconfig: qconfig, dtype: dtype, mapping: mapping, inplace: try b.bool("inplace", false),
                                   genQuant: try b.bool("gen_quant", false), mixedLayers: mixed, warn: warn)
        }
        if result === model { return modelValue }
        return ModuleObject.value(result)
    }

    static func parseQConfig(_ value: Value) throws -> QConfig {
        guard case .dict(let d) = value else {
            throw ScriptError.typeError("quantize_dynamic_mlu(): qconfig_spec must be a dict such as {'iteration': 8, 'firstconv': False}, not \(Convert.typeName(value))")
        }
        var entries: [(key: String, value: QConfig.Entry)] = []
        for (k, v) in zip(d.keys, d.values) {
            guard case .str(let key) = k else { throw ScriptError.typeError("qconfig_spec keys must be strings, got \(Convert.typeName(k))") }
            entries.append((key, try entry(v, key: key)))
        }
        return try bridge { try QConfig(entries) }
    }

    private static func entry(_ v: Value, key: String) throws -> QConfig.Entry {
        switch v {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let x): return .float(x)
        case .str(let s): return .string(s)
        case .list(let l): return .list(try l.items.map { try Convert.double($0, "qconfig_spec['\(key)']") })
        case .tuple(let items): return .list(try items.map { try Convert.double($0, "qconfig_spec['\(key)']") })
        default:
            if let t = Convert.tensorOrNil(v) { return .list(t.to(.cpu).scalars()) }
            throw ScriptError.typeError("qconfig_spec['\(key)']: unsupported value of type \(Convert.typeName(v))")
        }
    }

    private static func parseMapping(_ value: Value, _ interpreter: Interpreter) throws -> Set<QuantizableLayer> {
        let keys: [Value]
        switch value {
        case .dict(let d): keys = d.keys
        case .set, .list, .tuple: keys = try interpreter.listItems(value)
        default: throw ScriptError.typeError("quantize_dynamic_mlu(): mapping must be a dict {nn.Conv2d: ..., 'Linear': ...}, not \(Convert.typeName(value))")
        }
        var out = Set<QuantizableLayer>()
        for k in keys {
            let name: String
            switch k {
            case .str(let s): name = s
            case .cls(let c): name = c.name
            default: throw ScriptError.typeError("mapping keys must be layer classes or class names, got \(Convert.typeName(k))")
            }
            guard let kind = QuantizableLayer(rawValue: name) else {
                throw ScriptError.valueError("mapping: mlus quantizes \(QuantizableLayer.allCases.map(\.rawValue).joined(separator: ", ")); '\(name)' cannot be quantized")
            }
            out.insert(kind)
        }
        return out
    }

    private static func parseMixed(_ value: Value) throws -> [String: QuantDType] {
        guard case .dict(let d) = value else {
            throw ScriptError.typeError("quantize_dynamic_mlu(): mixed_layer must be a dict such as {'enc1.0.0, head': 'int16'}, not \(Convert.typeName(value))")
        }
        var out: [String: QuantDType] = [:]
        for (k, v) in zip(d.keys, d.values) {
            guard case .str(let names) = k, case .str(let type) = v else {
                throw ScriptError.typeError("mixed_layer maps a string of layer names to 'int8' or 'int16'")
            }
            guard let t = QuantDType(rawValue: type) else {
                throw ScriptError.valueError("mixed_layer['\(names)']: '\(type)' is not supported; use 'int8' or 'int16'")
            }
            out[names] = t
        }
        return out
    }

    // MARK: compare, calibrate

    private static func tensors(_ value: Value, _ interpreter: Interpreter, _ what: String) throws -> [Tensor] {
        if let t = Convert.tensorOrNil(value) { return [t] }
        return try interpreter.listItems(value).map { try Convert.tensor($0, what) }
    }

    private static func compare(_ args: Arguments) throws -> Value {
        let b = try BoundArguments(args, ["float_model", "quant_model", "inputs", "verbose"], required: 3)
        guard let floatModel = b["float_model"].flatMap(ModuleObject.module), let quantModel = b["quant_model"].flatMap(ModuleObject.module) else {
            throw ScriptError.typeError("compare(float_model, quant_model, inputs) expects two nn.Modules")
        }
        let inputs = try tensors(b["inputs"] ?? .none, args.interpreter, "compare(): inputs")
        let report = try bridge { try compareQuantization(floatModel: floatModel, quantizedModel: quantModel, inputs: inputs) }
        if try b.bool("verbose", true) { args.interpreter.stdout.write(report.text + "\n") }
        return try reportValue(report)
    }

    private static func statsValue(_ s: ErrorStatistics) throws -> Value {
        let d = DictObject()
        try d.set(.str("cosine"), .float(s.cosine))
        try d.set(.str("max_abs_error"), .float(s.maxAbsoluteError))
        try d.set(.str("relative_error"), .float(s.relativeError))
        return .dict(d)
    }

    private static func reportValue(_ report: AccuracyReport) throws -> Value {
        let layers = DictObject()
        for r in report.rows {
            let d = DictObject()
            try d.set(.str("dtype"), .str(r.dtype.rawValue))
            try d.set(.str("whole_graph"), try statsValue(r.wholeGraph))
            try d.set(.str("single_layer"), try statsValue(r.singleLayer))
            try layers.set(.str(r.name), .dict(d))
        }
        let out = DictObject()
        try out.set(.str("layers"), .dict(layers))
        try out.set(.str("output"), try statsValue(report.output))
        try out.set(.str("flagged"), .list(ListObject(report.flagged.map { .str($0.name) })))
        try out.set(.str("worst"), report.worst.map { .str($0.name) } ?? .none)
        return .dict(out)
    }

    /// `calibrate(model, inputs)`: runs the model on every input of any iterable, with a progress line on long runs.
    private static func calibrate(_ args: Arguments) throws -> Value {
        let b = try BoundArguments(args, ["model", "inputs"], required: 2)
        guard let model = b["model"] else { throw ScriptError.typeError("calibrate() expects a model") }
        let interpreter = args.interpreter
        let total: Int? = try? interpreter.length(b["inputs"] ?? .none)
        var progress = ProgressLine(label: "calibrating", total: total)
        var it = try interpreter.iterate(b["inputs"] ?? .none)
        var done = 0
        while let x = try it.next() {
            _ = try interpreter.call(model, [x])
            done += 1
            progress.update(done)
        }
        progress.finish()
        return .int(done)
    }

    // MARK: deep copies of script classes

    nonisolated(unsafe) private static var copyingInstalled = false

    /// Lets `ModuleCopier` rebuild script-class modules (a new instance of the same class, same plain attributes).
    private static func installScriptCopying() {
        guard !copyingInstalled else { return }
        copyingInstalled = true
        ModuleCopier.register { module in
            guard let backed = module as? ScriptBacked, let instance = backed.scriptInstance else { return nil }
            let shell: NNModule & ScriptBacked
            switch module {
            case is ScriptSequential: shell = try ScriptSequential([])
            case is ScriptModuleList: shell = try ScriptModuleList([])
            case is ScriptModuleDict: shell = try ScriptModuleDict([])
            default: shell = ScriptModule()
            }
            let copy = Instance(cls: instance.cls)
            copy.attributes = instance.attributes
            copy.nativeBase = ModuleObject(shell)
            shell.scriptInstance = copy
            shell.interpreter = backed.interpreter
            return shell
        }
    }
}
