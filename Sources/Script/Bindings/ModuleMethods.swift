import NN
import Quantization
import Tensors

/// The methods of `nn.Module` (`model.eval()`, `model.state_dict()`, `model.load_state_dict(sd)`).
/// Methods that return the module return the *receiver*, so a script subclass stays itself.
enum ModuleMethods {
    static let names = [
        "forward", "state_dict", "load_state_dict", "eval", "train", "to", "cpu", "half", "float", "parameters",
        "named_parameters", "buffers", "named_buffers", "modules", "named_modules", "children", "named_children",
        "register_buffer", "register_parameter", "add_module", "apply", "zero_grad", "extra_repr", "append", "keys",
        "items", "values", "requires_grad_", "type",
    ]

    static func method(_ name: String, of object: ModuleObject, receiver: Value) -> Value? {
        guard names.contains(name) else { return nil }
        let self_ = receiver.isNoneValue ? Value.native(object) : receiver
        return .builtin(BuiltinFunction("\(object.module.typeName).\(name)") { args in
            try call(name, object.module, self_, args)
        })
    }

    private static func pairs(_ items: [(String, Value)]) -> Value {
        .list(ListObject(items.map { .tuple([.str($0.0), $0.1]) }))
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private static func call(_ name: String, _ module: NNModule, _ receiver: Value, _ args: Arguments) throws -> Value {
        try bridge {
            switch name {
            case "forward":
                guard args.positional.count == 1 else {
                    throw ScriptError.typeError("\(module.typeName).forward() takes one tensor argument")
                }
                return Convert.wrap(try module.forward(try Convert.tensor(args.positional[0], "input")))
            case "state_dict":
                let prefix = try args.string(1, "prefix", default: "")
                return StateDictValue.make(try MLUDeviceRules.stateDict(module, prefix: prefix))
            case "load_state_dict":
                let b = try BoundArguments(args, ["state_dict", "strict"], required: 1)
                let strict = try b.bool("strict", true)
                let value = b["state_dict"] ?? Value.none
                let entries = try StateDictValue.entries(value, loadingInto: module)
                let keys = try MLUDeviceRules.loadStateDict(module, entries, strict: strict)
                return .native(IncompatibleKeysObject(keys))
            case "eval": _ = module.eval(); return receiver
            case "train": _ = module.train(try args.bool(0, "mode", default: true)); return receiver
            case "to":
                for v in args.positional + args.keywords.map(\.1) {
                    if case .native(let n) = v, let d = n as? DTypeObject { _ = module.to(d.dtype) }
                    else if case .bool = v { continue }
                    else { try MLUDeviceRules.moveModule(module, to: try DeviceObject.parse(v, "device")) }
                }
                return receiver
            case "cpu": _ = module.to(.cpu); return receiver
            case "half": _ = module.half(); return receiver
            case "float": _ = module.float(); return receiver
            case "type":
                if let d = args.value(0, "dst_type") { _ = module.to(try DTypeObject.parse(d, "dst_type")) }
                return receiver
            case "requires_grad_", "zero_grad": return name == "zero_grad" ? Value.none : receiver
            case "parameters":
                return .list(ListObject(module.parameters(recurse: try args.bool(0, "recurse", default: true)).map { .native(TensorObject($0, isParameter: true)) }))
            case "named_parameters":
                return pairs(module.namedParameters().map { ($0.name, .native(TensorObject($0.tensor, isParameter: true))) })
            case "buffers": return .list(ListObject(module.buffers().map(Convert.wrap)))
            case "named_buffers": return pairs(module.namedBuffers().map { ($0.name, Convert.wrap($0.tensor)) })
            case "modules": return .list(ListObject(module.modules().map(ModuleObject.value)))
            case "named_modules": return pairs(module.namedModules().map { ($0.name, ModuleObject.value($0.module)) })
            case "children": return .list(ListObject(module.children().map(ModuleObject.value)))
            case "named_children": return pairs(module.namedChildren().map { ($0.name, ModuleObject.value($0.module)) })
            case "keys": return .list(ListObject(module.namedChildren().map { .str($0.name) }))
            case "values": return .list(ListObject(module.children().map(ModuleObject.value)))
            case "items": return pairs(module.namedChildren().map { ($0.name, ModuleObject.value($0.module)) })
            case "register_buffer":
                let b = try BoundArguments(args, ["name", "tensor", "persistent"], required: 2)
                try module.registerBuffer(try b.string("name", ""), try b.tensor("tensor"), persistent: try b.bool("persistent", true))
                return Value.none
            case "register_parameter":
                let b = try BoundArguments(args, ["name", "param"], required: 2)
                try module.registerParameter(try b.string("name", ""), try b.tensor("param"))
                return Value.none
            case "add_module":
                let b = try BoundArguments(args, ["name", "module"], required: 2)
                try module.registerModule(try b.string("name", ""), b["module"].flatMap(ModuleObject.module))
                return Value.none
            case "append":
                guard let child = ModuleObject.module(try args.required(0, "module")) else {
                    throw ScriptError.typeError("append() expects an nn.Module")
                }
                try module.registerModule(String(module.namedChildren().count), child)
                return receiver
            case "apply":
                let fn = try args.required(0, "fn")
                for m in module.modules().reversed() { _ = try args.interpreter.call(fn, [ModuleObject.value(m)]) }
                return receiver
            case "extra_repr": return .str(module.extraRepr)
            default:
                throw ScriptError.attributeError("'\(module.typeName)' object has no attribute '\(name)'")
            }
        }
    }
}

extension Value {
    var isNoneValue: Bool { if case .none = self { return true } else { return false } }
}

/// What `load_state_dict` returns; prints like PyTorch's `_IncompatibleKeys`.
final class IncompatibleKeysObject: NativeObject {
    let keys: IncompatibleKeys
    init(_ keys: IncompatibleKeys) { self.keys = keys }
    var typeName: String { "_IncompatibleKeys" }
    func repr(context: NativeContext) throws -> String {
        if keys.missingKeys.isEmpty && keys.unexpectedKeys.isEmpty { return "<All keys matched successfully>" }
        return keys.description
    }
    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "missing_keys": return .list(ListObject(keys.missingKeys.map { .str($0) }))
        case "unexpected_keys": return .list(ListObject(keys.unexpectedKeys.map { .str($0) }))
        default: return nil
        }
    }
}

/// State dicts as script values: ordered `dict`s of name → tensor.
enum StateDictValue {
    static func make(_ entries: [(key: String, tensor: Tensor)]) -> Value {
        let d = DictObject()
        for (k, t) in entries { try? d.set(.str(k), Convert.wrap(t)) }
        return .dict(d)
    }

    /// The entries of a script dict; a whole model passed by mistake gets PyTorch-user advice.
    static func entries(_ value: Value, loadingInto module: NNModule) throws -> [(key: String, tensor: Tensor)] {
        if let loaded = ModuleObject.module(value) {
            throw ScriptError.typeError("load_state_dict() expected a state_dict (a dict of tensors) but got a whole model (\(loaded.typeName)), as written by torch.save(model, path). Use model.load_state_dict(loaded.state_dict()), or save the weights with torch.save(model.state_dict(), path)")
        }
        guard case .dict(let d) = value else {
            throw ScriptError.typeError("Expected state_dict to be dict-like, got \(Convert.typeName(value)).")
        }
        var out: [(key: String, tensor: Tensor)] = []
        for (k, v) in zip(d.keys, d.values) {
            guard case .str(let key) = k else { throw ScriptError.typeError("state_dict keys must be strings, got \(Convert.typeName(k))") }
            guard let t = Convert.tensorOrNil(v) else {
                if case .dict = v, ["state_dict", "model", "model_state_dict"].contains(key) {
                    throw ScriptError.typeError("this looks like a training checkpoint: pass checkpoint['\(key)'] to load_state_dict")
                }
                throw ScriptError.typeError("state_dict entry '\(key)' is a \(Convert.typeName(v)), not a Tensor")
            }
            out.append((key, t))
        }
        return out
    }
}

/// Device rules for modules: moving to the MLU keeps the module usable only when its Conv/Linear are quantized.
/// Quantized models compute their scales when their state dict is taken and accept quantized state dicts
/// only through the two-step load (module Quantization).
enum MLUDeviceRules {
    static func moveModule(_ module: NNModule, to device: Device) throws {
        if device.isMLU { MLUBackend.install() }
        _ = module.to(device)
    }

    static func stateDict(_ module: NNModule, prefix: String) throws -> [(key: String, tensor: Tensor)] {
        try prepareQuantizedStateDict(module)
        return module.stateDict(prefix: prefix)
    }

    static func loadStateDict(_ module: NNModule, _ entries: [(key: String, tensor: Tensor)], strict: Bool) throws -> IncompatibleKeys {
        try loadQuantizedStateDict(module, entries, strict: strict)
    }
}
