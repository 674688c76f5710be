import MLU

/// `cnrt.load_model(path)`.
final class CNRTModelObject: NativeObject {
    let model: CNRTModel
    init(_ model: CNRTModel) { self.model = model }

    var typeName: String { "cnrtModel" }
    func repr(context: NativeContext) throws -> String {
        let t = model.model.target
        return "<cnrtModel \(model.path ?? "<memory>") \(t.coreVersion.rawValue) \(t.coreNumber) core(s), batch \(t.batch)>"
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "extract_function":
            return .builtin(BuiltinFunction(name) { [model] args in
                let b = try BoundArguments(args, ["name"])
                let fname = try b.string("name", "subnet0")
                return .native(CNRTFunctionObject(try CNRTModule.runtimeCall("extract_function('\(fname)')") { try model.extractFunction(named: fname) }))
            })
        case "function_names":
            return .builtin(BuiltinFunction(name) { [model] _ in .list(ListObject(model.functionNames.map { .str($0) })) })
        case "model_parallelism":
            return .builtin(BuiltinFunction(name) { [model] _ in .int(model.modelParallelism) })
        case "core_version": return .str(model.model.target.coreVersion.rawValue)
        case "batch": return .int(model.model.target.batch)
        case "twins":
            return .builtin(BuiltinFunction(name) { [model] _ in
                let twins = try CNRTModule.runtimeCall("twins()") { try model.twins() }
                return .str(TwinsWriter.render(twins))
            })
        default: return nil
        }
    }

    func attributeNames() -> [String] { ["extract_function", "function_names", "model_parallelism", "core_version", "batch", "twins"] }
}
