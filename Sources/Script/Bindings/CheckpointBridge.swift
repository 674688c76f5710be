import Checkpoint
import Foundation
import MLU
import NN
import Tensors

/// `torch.load` / `torch.save`: the Checkpoint module's neutral pickle values mapped to script values.
enum CheckpointBridge {
    static func load(_ args: Arguments) throws -> Value {
        let b = try BoundArguments(args, ["f", "map_location", "pickle_module", "weights_only", "mmap"], required: 1)
        let path = try b.string("f", "")
        let device = try b["map_location"].flatMap { v -> Device? in
            if case .str(let s) = v, s.hasPrefix("cuda") { return .cpu }
            return try DeviceObject.parse(v, "map_location")
        }
        let loaded: LoadedCheckpoint
        do { loaded = try readCheckpoint(contentsOf: URL(fileURLWithPath: path)) } catch let e as CheckpointError {
            if FileManager.default.fileExists(atPath: path) == false {
                throw ScriptError.fileNotFoundError("[Errno 2] No such file or directory: '\(path)'")
            }
            throw ScriptError.runtimeError("torch.load('\(path)'): \(e)")
        }
        OfflineGenerationSettings.shared.noteCheckpointLoaded(path)   // provenance of offline models (docs/runtime.md)
        return try value(loaded.value, device: device, interpreter: args.interpreter)
    }

    /// Converts a pickled value to a script value; whole models become modules.
    static func value(_ p: PickleValue, device: Device?, interpreter: Interpreter) throws -> Value {
        func rec(_ p: PickleValue) throws -> Value {
            switch p {
            case .none: return .none
            case .bool(let b): return .bool(b)
            case .int(let i): return .int(i)
            case .bigInt: throw ScriptError.overflowError("checkpoint holds an integer wider than 64 bits")
            case .float(let d): return .float(d)
            case .string(let s): return .str(s)
            case .bytes(let bytes): return .str(String(decoding: bytes, as: UTF8.self))
            case .list(let items): return .list(ListObject(try items.map(rec)))
            case .tuple(let items): return .tuple(try items.map(rec))
            case .set(let items): return .set(try SetObject(try items.map(rec)))
            case .dict(let d):
                let out = DictObject()
                for (k, v) in d.entries { try out.set(try rec(k), try rec(v)) }
                return .dict(out)
            case .tensor(let t): return Convert.wrap(device.map { t.to($0) } ?? t)
            case .opaqueTensor(let o): return .str("<tensor of an unsupported dtype: \(o)>")
            case .quantizedTensor(let q): return Convert.wrap(try q.dequantized())
            case .storage: return .str("<storage>")
            case .global(let g): return .str(g.description)
            case .object(let record):
                if let tree = try? ModuleTree(p) { return try wholeModel(tree, interpreter: interpreter) }
                return .str("<\(record.type) object>")
            }
        }
        return try rec(p)
    }

    /// A whole pickled model: an instance of the script's class of that name when the script defines one
    /// (built with no arguments, then loaded with the saved state), else an inert module tree whose
    /// `state_dict()` is the saved one.
    static func wholeModel(_ tree: ModuleTree, interpreter: Interpreter) throws -> Value {
        if let candidate = interpreter.mainModule.scope.vars[tree.type.name], case .cls = candidate,
           let instance = try? interpreter.call(candidate, []), let module = ModuleObject.module(instance) {
            _ = try bridge { try module.loadStateDict(tree.stateDict(), strict: true) }
            _ = module.train(tree.training)
            return instance
        }
        return .native(ModuleObject(try LoadedModule(tree)))
    }

    static func save(_ args: Arguments) throws -> Value {
        let b = try BoundArguments(args, ["obj", "f", "pickle_module", "pickle_protocol", "_use_new_zipfile_serialization"], required: 2)
        let path = try b.string("f", "")
        let format: CheckpointFormat = try b.bool("_use_new_zipfile_serialization", true) ? .zip : .legacy
        let value = try pickle(b["obj"] ?? .none, interpreter: args.interpreter)
        try bridge { try saveCheckpoint(value, to: URL(fileURLWithPath: path), format: format) }
        return .none
    }

    /// Converts a script value to a pickle value; dicts of tensors become `OrderedDict`s (state dicts).
    static func pickle(_ v: Value, interpreter: Interpreter, depth: Int = 0) throws -> PickleValue {
        guard depth < 200 else { throw ScriptError.valueError("torch.save: object nested too deeply") }
        func rec(_ v: Value) throws -> PickleValue { try pickle(v, interpreter: interpreter, depth: depth + 1) }
        switch v {
        case .none: return .none
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .float(let d): return .float(d)
        case .str(let s): return .string(s)
        case .list(let l): return .list(try l.items.map(rec))
        case .tuple(let items): return .tuple(try items.map(rec))
        case .dict(let d):
            var entries: [(key: PickleValue, value: PickleValue)] = []
            var allTensors = d.count > 0
            for (k, value) in zip(d.keys, d.values) {
                entries.append((try rec(k), try rec(value)))
                if Convert.tensorOrNil(value) == nil { allTensors = false }
            }
            return .dict(PickleDict(kind: allTensors ? .orderedDict : .dict, entries: entries))
        case .native(let n):
            if let t = n as? TensorObject { return t.isParameter ? .parameter(t.tensor.to(.cpu)) : .tensor(t.tensor.to(.cpu)) }
            if let m = n as? ModuleObject { return moduleRecord(m.module, scriptName: nil) }
        case .instance(let i):
            if let m = (i.nativeBase as? ModuleObject)?.module { return moduleRecord(m, scriptName: i.cls.name) }
        default: break
        }
        throw ScriptError.typeError("torch.save cannot store a \(Convert.typeName(v))")
    }

    /// `torch.save(model)`: script classes as `__main__.<Class>`, built-in layers under `torch.nn.modules`.
    static func moduleRecord(_ module: NNModule, scriptName: String?) -> PickleValue {
        let type: GlobalRef
        if let name = scriptName ?? module.scriptClassName {
            type = GlobalRef(module: "__main__", name: name)
        } else if let cls = NNClasses.shared.classFor(module) {
            type = GlobalRef(module: cls.moduleName, name: cls.name)
        } else {
            type = GlobalRef(module: "torch.nn.modules.module", name: "Module")
        }
        let params = module.namedParameters(recurse: false).map { ($0.name, Optional($0.tensor.to(.cpu))) }
        let buffers = module.namedBuffers(recurse: false).map { ($0.name, Optional($0.tensor.to(.cpu))) }
        let children = module.namedChildren().map { child -> (String, PickleValue) in
            let name = (child.module as? ScriptBacked)?.scriptInstance?.cls.name
            return (child.name, moduleRecord(child.module, scriptName: name))
        }
        return ModuleRecord.make(type: type, training: module.training, parameters: params, buffers: buffers,
                                 modules: children, attributes: LayerAttributes.pickled(module))
    }
}

/// A whole model loaded without its class: parameters, buffers and children, no forward.
final class LoadedModule: NNModule {
    let className: String

    init(_ tree: ModuleTree) throws {
        className = tree.type.name
        super.init()
        scriptClassName = tree.type.name
        for (name, t) in tree.parameters { try registerParameter(name, t) }
        for (name, t) in tree.buffers { try registerBuffer(name, t, persistent: !tree.nonPersistentBuffers.contains(name)) }
        for (name, child) in tree.children { try registerModule(name, try child.map(LoadedModule.init)) }
        _ = train(tree.training)
    }

    override func forward(_ input: Tensor) throws -> Tensor {
        throw ScriptError.runtimeError("this '\(className)' was loaded from a whole-model pickle without its class; define `class \(className)(nn.Module)` in the script before torch.load (or load a state_dict into a model you build), so it has a forward")
    }
}

/// The attributes PyTorch's layers keep in `__dict__`, so a whole model mlus writes runs in PyTorch.
enum LayerAttributes {
    static func pickled(_ module: NNModule) -> [(String, PickleValue)] {
        func ints(_ xs: [Int]) -> PickleValue { .tuple(xs.map { .int($0) }) }
        switch module {
        case let c as ConvolutionBase:
            let pad = c.padding.reversed().flatMap { [$0, $0] }
            return [("in_channels", .int(c.inChannels)), ("out_channels", .int(c.outChannels)), ("kernel_size", ints(c.kernelSize)),
                    ("stride", ints(c.stride)), ("padding", ints(c.padding)), ("dilation", ints(c.dilation)),
                    ("transposed", .bool(module is ConvTranspose2d)), ("output_padding", ints(c.outputPadding)),
                    ("groups", .int(c.groups)), ("padding_mode", .string(c.paddingMode)),
                    ("_reversed_padding_repeated_twice", .list(pad.map { .int($0) }))]
        case let bn as BatchNormBase:
            return [("num_features", .int(bn.numFeatures)), ("eps", .float(bn.eps)), ("momentum", bn.momentum.map { .float($0) } ?? .none),
                    ("affine", .bool(bn.affine)), ("track_running_stats", .bool(bn.trackRunningStats))]
        case let l as Linear:
            return [("in_features", .int(l.inFeatures)), ("out_features", .int(l.outFeatures))]
        case let r as ReLU:
            return [("inplace", .bool(r.inplace))]
        default:
            return []
        }
    }
}
