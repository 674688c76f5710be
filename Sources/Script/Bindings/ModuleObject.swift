import NN
import Tensors

/// An `nn.Module` as scripts see it: attributes resolve to parameters, buffers and children (as
/// PyTorch's `__getattr__` does), assignments register them (`__setattr__`), and calling it runs
/// `forward` — the script's, for script classes.
final class ModuleObject: NativeObject {
    let module: NNModule

    init(_ module: NNModule) { self.module = module }

    var typeName: String { module.typeName }
    var scriptClass: ClassObject? { NNClasses.shared.classFor(module) }

    func repr(context: NativeContext) throws -> String { module.repr }
    func isEqual(to other: NativeObject) -> Bool { (other as? ModuleObject)?.module === module }
    func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(module)) }

    /// The script value for a Swift module: its script instance when it backs one, else a wrapper.
    static func value(_ module: NNModule) -> Value {
        if let backed = module as? ScriptBacked, let instance = backed.scriptInstance { return .instance(instance) }
        return .native(ModuleObject(module))
    }

    /// The Swift module inside a script value (a wrapper or a script instance of a module class).
    static func module(_ value: Value) -> NNModule? {
        switch value {
        case .native(let n): return (n as? ModuleObject)?.module
        case .instance(let i): return (i.nativeBase as? ModuleObject)?.module
        default: return nil
        }
    }

    // MARK: Calling

    func call(_ arguments: Arguments, context: NativeContext) throws -> Value {
        if case .instance(let instance) = context.receiver, ScriptModuleSupport.definesForward(instance.cls) {
            return try arguments.interpreter.callMethod(context.receiver, "forward", arguments.positional, arguments.keywords)
        }
        guard arguments.positional.count == 1, arguments.keywords.isEmpty else {
            throw ScriptError.typeError("\(module.typeName).forward() takes one tensor argument (\(arguments.positional.count) given)")
        }
        let input = try Convert.tensor(arguments.positional[0], "\(module.typeName) input")
        return Convert.wrap(try bridge { try module.forward(input) })
    }

    // MARK: Containers

    func length(context: NativeContext) throws -> Int { module.children().count }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        if module is ModuleDict { return ValueIterator(module.namedChildren().map { .str($0.name) }) }
        return ValueIterator(module.children().map(ModuleObject.value))
    }

    func getItem(_ key: Value, context: NativeContext) throws -> Value {
        let children = module.namedChildren()
        switch key {
        case .int(let i):
            let index = i < 0 ? i + children.count : i
            guard index >= 0 && index < children.count else {
                throw ScriptError.indexError("index \(i) is out of range")
            }
            return ModuleObject.value(children[index].module)
        case .str(let s):
            guard let child = children.first(where: { $0.name == s }) else { throw ScriptError.keyError(key) }
            return ModuleObject.value(child.module)
        case .slice:
            let picked = try context.interpreter.getItem(.list(ListObject(children.map { ModuleObject.value($0.module) })), key)
            guard case .list(let l) = picked else { return picked }
            let modules = l.items.compactMap(ModuleObject.module)
            return .native(ModuleObject(try bridge { try Sequential(modules) }))
        default:
            throw ScriptError.typeError("\(module.typeName) indices must be integers or strings, not \(Convert.typeName(key))")
        }
    }

    // MARK: Attributes

    func setAttribute(_ name: String, to value: Value, context: NativeContext) throws -> Bool {
        let attribute: ModuleAttribute
        switch value {
        case .none: attribute = .none
        case .native(let n) where n is TensorObject:
            let t = (n as? TensorObject)
            attribute = t?.isParameter == true ? .parameter(t!.tensor) : .tensor(t!.tensor)
        default:
            guard let child = ModuleObject.module(value) else {
                if name == "training", case .bool(let b) = value { _ = module.train(b); return true }
                return false
            }
            attribute = .module(child)
        }
        return try bridge { try module.setAttribute(name, attribute) }
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        if let p = module.namedParameters(recurse: false).first(where: { $0.name == name }) {
            return .native(TensorObject(p.tensor, isParameter: true))
        }
        if name == "bias", module is ConvolutionBase || module is Linear { return Value.none }
        if let b = module.namedBuffers(recurse: false).first(where: { $0.name == name }) { return Convert.wrap(b.tensor) }
        if let c = module.namedChildren().first(where: { $0.name == name }) { return ModuleObject.value(c.module) }
        if name == "training" { return .bool(module.training) }
        if let method = ModuleMethods.method(name, of: self, receiver: context.receiver) { return method }
        return LayerFields.value(name, of: module)
    }

    func attributeNames() -> [String] {
        module.namedParameters(recurse: false).map(\.name) + module.namedBuffers(recurse: false).map(\.name)
            + module.namedChildren().map(\.name) + ModuleMethods.names + LayerFields.names(of: module) + ["training"]
    }
}

/// Read-only hyper-parameters of layers (`conv.in_channels`, `bn.eps`), found by reflection on the Swift
/// layer's stored properties and spelled the PyTorch way.
enum LayerFields {
    static func value(_ name: String, of module: NNModule) -> Value? {
        for (label, v) in fields(of: module) where label == name { return v }
        return nil
    }

    static func names(of module: NNModule) -> [String] { fields(of: module).map(\.0) }

    private static func fields(of module: NNModule) -> [(String, Value)] {
        var out: [(String, Value)] = []
        var mirror: Mirror? = Mirror(reflecting: module)
        while let m = mirror {
            for child in m.children {
                guard let label = child.label, !label.hasPrefix("_") else { continue }
                guard let v = convert(child.value) else { continue }
                out.append((snakeCase(label), v))
            }
            mirror = m.superclassMirror
        }
        return out
    }

    private static func convert(_ any: Any) -> Value? {
        switch any {
        case let i as Int: return .int(i)
        case let d as Double: return .float(d)
        case let b as Bool: return .bool(b)
        case let s as String: return .str(s)
        case let xs as [Int]: return .tuple(xs.map { .int($0) })
        case let xs as [Double]: return .tuple(xs.map { .float($0) })
        case let o as Int?: return o.map { .int($0) } ?? Value.none
        case let o as Double?: return o.map { .float($0) } ?? Value.none
        default: return nil
        }
    }

    static func snakeCase(_ s: String) -> String {
        var out = ""
        for ch in s {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}
