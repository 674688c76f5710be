/// Classes `torch` exposes for `isinstance` checks (`torch.Tensor`, `nn.Parameter`).
enum TorchClasses {
    static let tensor = ClassObject(name: "Tensor", base: BuiltinTypes.object, moduleName: "torch",
                                    native: NativeClassSpec(construct: { args, _ in
        guard let first = args.positional.first else { return TensorObject(Tensor(zeros: [0])) }
        return TensorObject(try Convert.tensorFromData(first, dtype: .float32, interpreter: args.interpreter))
    }, matches: { $0 is TensorObject }))

    static let parameter = ClassObject(name: "Parameter", base: tensor, moduleName: "torch.nn.parameter",
                                       native: NativeClassSpec(construct: { args, _ in
        let b = try BoundArguments(args, ["data", "requires_grad"], required: 0)
        let t = try b.tensor("data") ?? Tensor(zeros: [0])
        return TensorObject(t, isParameter: true)
    }, matches: { ($0 as? TensorObject)?.isParameter == true }))
}

import Tensors
