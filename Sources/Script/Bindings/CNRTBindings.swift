import Foundation
import MLU
import Tensors

/// `cnrt`: the CNRT-style offline runtime for scripts (reference cambricon.md §6), the second half of a
/// port: `load_model` → `extract_function("subnet0")` → query I/O → `invoke` on NHWC inputs, with the
/// host helpers demos use on FP16 outputs.
enum CNRTModule {
    static func make(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "cnrt")
        m.set("__doc__", .str("CNRT-style runtime for mlus offline models: load_model, extract_function, invoke (NHWC I/O)."))
        m.addFunction("load_model") { args in
            let b = try BoundArguments(args, ["path"], required: 1)
            let path = try b.string("path", "")
            return .native(CNRTModelObject(try runtimeCall("cnrt.load_model('\(path)')") { try CNRTModel.load(path: path) }))
        }
        func unary(_ name: String, _ body: @escaping (Tensor) throws -> Tensor) {
            m.addFunction(name) { args in
                let b = try BoundArguments(args, ["tensor"], required: 1)
                guard let t = try b.tensor("tensor") else { throw ScriptError.typeError("cnrt.\(name)() needs a tensor") }
                return Convert.wrap(try runtimeCall("cnrt.\(name)") { try body(t) })
            }
        }
        unary("cast_fp16_to_fp32") { try CNRT.float16ToFloat32($0) }
        unary("cast_fp32_to_fp16") { try CNRT.float32ToFloat16($0) }
        unary("nhwc_to_nchw") { try CNRT.nhwcToNCHW($0) }
        unary("nchw_to_nhwc") { try CNRT.nchwToNHWC($0) }
        unary("trans_order_and_cast") { try CNRT.nhwcToNCHWFloat32($0) }
        return m
    }

    /// Runtime and reader errors as RuntimeErrors: "<call>: <ErrorType>.<case>: <message>".
    static func runtimeCall<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ScriptError {
            throw e
        } catch {
            throw ScriptError.runtimeError("\(what): \(errorName(error)): \(error)")
        }
    }

    /// `OfflineFormatError.badMagic`: the error's type and case, for messages that name the check that failed.
    static func errorName(_ error: Error) -> String {
        let type = String(describing: Swift.type(of: error))
        if let label = Mirror(reflecting: error).children.first?.label { return "\(type).\(label)" }
        return "\(type).\(error)".split(separator: "(").first.map(String.init) ?? type
    }
}

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

/// `model.extract_function("subnet0")`: I/O queries and `invoke`.
final class CNRTFunctionObject: NativeObject {
    let function: CNRTFunction
    private let executor = GraphOfflineExecutor(optimize: false)

    init(_ function: CNRTFunction) { self.function = function }

    var typeName: String { "cnrtFunction" }
    func repr(context: NativeContext) throws -> String {
        "<cnrtFunction \(function.name): \(function.inputs.count) input(s), \(function.outputs.count) output(s)>"
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        let f = function
        func shapes(_ list: [OfflineIODescriptor]) -> Value { .list(ListObject(list.map { .tuple($0.shape.map { .int($0) }) })) }
        func dtypes(_ list: [OfflineIODescriptor]) -> Value { .list(ListObject(list.map { .str($0.dataType.rawValue) })) }
        func method(_ body: @escaping () -> Value) -> Value { .builtin(BuiltinFunction(name) { _ in body() }) }
        switch name {
        case "name": return .str(f.name)
        case "input_shapes": return method { shapes(f.inputs) }
        case "output_shapes": return method { shapes(f.outputs) }
        case "input_dtypes": return method { dtypes(f.inputs) }
        case "output_dtypes": return method { dtypes(f.outputs) }
        case "input_data_sizes": return method { .list(ListObject(f.inputDataSizes.map { .int($0) })) }
        case "output_data_sizes": return method { .list(ListObject(f.outputDataSizes.map { .int($0) })) }
        case "invoke":
            return .builtin(BuiltinFunction(name) { [self] args in
                let b = try BoundArguments(args, ["inputs"], required: 1)
                let value = b["inputs"] ?? .none
                let tensors: [Tensor]
                if let t = Convert.tensorOrNil(value) { tensors = [t] } else {
                    tensors = try args.interpreter.listItems(value).map { try Convert.tensor($0, "invoke(): inputs") }
                }
                executor.quantizedKernel = GraphRuntime.quantizedKernel
                let outputs = try CNRTModule.runtimeCall("invoke") { try f.invoke(tensors.map { $0.to(.cpu) }, executor: executor) }
                return .list(ListObject(outputs.map(Convert.wrap)))
            })
        default: return nil
        }
    }

    func attributeNames() -> [String] {
        ["name", "input_shapes", "output_shapes", "input_dtypes", "output_dtypes", "input_data_sizes", "output_data_sizes", "invoke"]
    }
}
