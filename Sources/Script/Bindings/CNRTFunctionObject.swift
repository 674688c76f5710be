import MLU
import Tensors

/// `model.extract_function("subnet0")`: I/O queries and `invoke`.
final class CNRTFunctionObject: NativeObject {
    let function: CNRTFunction
    private let executor = GraphOfflineExecutor()

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
