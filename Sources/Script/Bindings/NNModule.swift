import NN
import Ops
import Tensors

/// `torch.nn` and `torch.nn.functional`.
enum TorchNNModule {
    static func make(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "torch.nn")
        for (name, cls) in NNClasses.shared.classes { m.set(name, .cls(cls)) }
        m.set("Parameter", .cls(TorchClasses.parameter))
        return m
    }

    static func makeFunctional(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "torch.nn.functional")
        let wrap = Convert.wrap
        func unary(_ name: String, _ f: @escaping (Tensor, BoundArguments) throws -> Tensor, extra: [String] = []) {
            m.addFunction(name) { args in
                let b = try BoundArguments(args, ["input"] + extra, required: 1)
                let x = try Convert.tensor(b["input"] ?? .none, "\(name)(): input")
                return wrap(try bridge { try f(x, b) })
            }
        }
        unary("relu", { x, _ in try Functional.relu(x) }, extra: ["inplace"])
        unary("relu6", { x, _ in try Functional.relu6(x) }, extra: ["inplace"])
        unary("silu", { x, _ in try Functional.silu(x) }, extra: ["inplace"])
        unary("hardswish", { x, _ in try Functional.hardswish(x) }, extra: ["inplace"])
        unary("hardsigmoid", { x, _ in try Functional.hardsigmoid(x) }, extra: ["inplace"])
        unary("sigmoid", { x, _ in try Functional.sigmoid(x) })
        unary("tanh", { x, _ in try Functional.tanh(x) })
        unary("leaky_relu", { x, b in try Functional.leakyReLU(x, negativeSlope: try b.double("negative_slope", 0.01)) }, extra: ["negative_slope", "inplace"])
        unary("elu", { x, b in try Functional.elu(x, alpha: try b.double("alpha", 1)) }, extra: ["alpha", "inplace"])
        unary("gelu", { x, b in try Functional.gelu(x, approximate: try b.string("approximate", "none")) }, extra: ["approximate"])
        unary("hardtanh", { x, b in try TensorOps.clamp(x, min: try b.double("min_val", -1), max: try b.double("max_val", 1)) }, extra: ["min_val", "max_val", "inplace"])
        unary("softmax", { x, b in try Functional.softmax(x, dim: try b.int("dim", -1)) }, extra: ["dim", "_stacklevel", "dtype"])
        unary("log_softmax", { x, b in try Functional.logSoftmax(x, dim: try b.int("dim", -1)) }, extra: ["dim", "_stacklevel", "dtype"])
        unary("dropout", { x, b in try Functional.dropout(x, p: try b.double("p", 0.5), training: try b.bool("training", true)) }, extra: ["p", "training", "inplace"])
        unary("flatten", { x, b in try Functional.flatten(x, startDim: try b.int("start_dim", 0), endDim: try b.int("end_dim", -1)) }, extra: ["start_dim", "end_dim"])
        unary("adaptive_avg_pool2d", { x, b in try Functional.adaptiveAvgPool2d(x, outputSize: try b.ints("output_size", [1], count: 2)) }, extra: ["output_size"])
        unary("max_pool2d", { x, b in
            try Functional.maxPool2d(x, kernelSize: try b.ints("kernel_size", [1]), stride: try b["stride"].map { try Convert.ints($0, "stride") },
                                     padding: try b.ints("padding", [0]), dilation: try b.ints("dilation", [1]), ceilMode: try b.bool("ceil_mode", false))
        }, extra: ["kernel_size", "stride", "padding", "dilation", "ceil_mode", "return_indices"])
        unary("avg_pool2d", { x, b in
            try Functional.avgPool2d(x, kernelSize: try b.ints("kernel_size", [1]), stride: try b["stride"].map { try Convert.ints($0, "stride") },
                                     padding: try b.ints("padding", [0]), ceilMode: try b.bool("ceil_mode", false),
                                     countIncludePad: try b.bool("count_include_pad", true))
        }, extra: ["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"])
        unary("interpolate", { x, b in
            try Functional.interpolate(x, size: try b["size"].map { try Convert.ints($0, "size", count: 2) },
                                       scaleFactor: try b["scale_factor"].map { try Convert.doubles($0, "scale_factor", count: 2) },
                                       mode: try b.string("mode", "nearest"),
                                       alignCorners: try b["align_corners"].map { _ in try b.bool("align_corners", false) })
        }, extra: ["size", "scale_factor", "mode", "align_corners", "recompute_scale_factor", "antialias"])
        m.set("upsample", m.scope.vars["interpolate"] ?? .none)
        unary("pad", { x, b in
            try Functional.pad(x, try b.ints("pad", []), mode: try b.string("mode", "constant"), value: try b.double("value", 0))
        }, extra: ["pad", "mode", "value"])
        unary("linear", { x, b in try Functional.linear(x, weight: try b.tensor("weight") ?? x, bias: try b.tensor("bias")) }, extra: ["weight", "bias"])
        unary("conv2d", { x, b in
            guard let w = try b.tensor("weight") else { throw ScriptError.typeError("conv2d() missing required argument 'weight'") }
            return try Functional.conv2d(x, weight: w, bias: try b.tensor("bias"), stride: try b.ints("stride", [1]), padding: try b.ints("padding", [0]),
                                         dilation: try b.ints("dilation", [1]), groups: try b.int("groups", 1))
        }, extra: ["weight", "bias", "stride", "padding", "dilation", "groups"])
        unary("batch_norm", { x, b in
            guard let mean = try b.tensor("running_mean"), let variance = try b.tensor("running_var") else {
                throw ScriptError.typeError("batch_norm() needs running_mean and running_var")
            }
            return try Functional.batchNorm(x, runningMean: mean, runningVar: variance, weight: try b.tensor("weight"), bias: try b.tensor("bias"),
                                            training: try b.bool("training", false), eps: try b.double("eps", 1e-5))
        }, extra: ["running_mean", "running_var", "weight", "bias", "training", "momentum", "eps"])
        return m
    }
}
