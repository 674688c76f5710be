import NN
import Tensors

/// The classes of `torch.nn`: one `ClassObject` per layer, subclassable by scripts, with
/// constructors that take PyTorch's argument names and defaults.
final class NNClasses {
    static let shared = NNClasses()

    typealias Constructor = (BoundArgumentsSource, NativeContext) throws -> NNModule
    private(set) var classes: [(name: String, cls: ClassObject)] = []
    private var byName: [String: ClassObject] = [:]
    let moduleClass: ClassObject

    /// Where a constructor reads its arguments from.
    struct BoundArgumentsSource {
        let args: Arguments
        func bind(_ names: [String], required: Int = 0) throws -> BoundArguments { try BoundArguments(args, names, required: required) }
    }

    private init() {
        moduleClass = ClassObject(name: "Module", base: BuiltinTypes.object, moduleName: "torch.nn.modules.module",
                                  native: NativeClassSpec(construct: { args, ctx in
            try args.check(max: 0)
            if case .instance(let instance) = ctx.receiver {
                let m = ScriptModule()
                m.scriptClassName = instance.cls.name
                m.scriptInstance = instance
                m.interpreter = ctx.interpreter
                return ModuleObject(m)
            }
            return ModuleObject(NNModule())
        }, matches: { $0 is ModuleObject }))
        byName["Module"] = moduleClass
        classes.append(("Module", moduleClass))
        registerLayers()
    }

    func classFor(_ module: NNModule) -> ClassObject? {
        var mirror: Mirror? = Mirror(reflecting: module)
        while let m = mirror {
            let name = String(describing: m.subjectType).split(separator: ".").last.map(String.init) ?? ""
            if let c = byName[name] { return c }
            if name == "ScriptSequential" { return byName["Sequential"] }
            if name == "ScriptModuleList" { return byName["ModuleList"] }
            if name == "ScriptModuleDict" { return byName["ModuleDict"] }
            mirror = m.superclassMirror
        }
        return moduleClass
    }

    private func add(_ name: String, file: String, _ make: @escaping Constructor, matches: @escaping (NNModule) -> Bool) {
        let cls = ClassObject(name: name, base: moduleClass, moduleName: "torch.nn.modules.\(file)",
                              native: NativeClassSpec(construct: { args, ctx in
            let module = try bridge { try make(BoundArgumentsSource(args: args), ctx) }
            if case .instance(let instance) = ctx.receiver {
                module.scriptClassName = instance.cls.name
                if let backed = module as? ScriptBacked {
                    backed.scriptInstance = instance
                    backed.interpreter = ctx.interpreter
                }
            }
            return ModuleObject(module)
        }, matches: { ($0 as? ModuleObject).map { matches($0.module) } ?? false }))
        byName[name] = cls
        classes.append((name, cls))
    }

    private static func modules(_ values: [Value]) throws -> [NNModule] {
        try values.map { v in
            guard let m = ModuleObject.module(v) else { throw ScriptError.typeError("\(Convert.typeName(v)) is not a Module subclass") }
            return m
        }
    }

    // swiftlint:disable:next function_body_length
    private func registerLayers() {
        add("Conv2d", file: "conv", { s, _ in
            let b = try s.bind(["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode", "device", "dtype"], required: 3)
            return try Conv2d(try b.int("in_channels", 0), try b.int("out_channels", 0), kernelSize: try b.ints("kernel_size", [1], count: 2),
                              stride: try b.ints("stride", [1], count: 2), padding: try b.ints("padding", [0], count: 2),
                              dilation: try b.ints("dilation", [1], count: 2), groups: try b.int("groups", 1), bias: try b.bool("bias", true),
                              paddingMode: try b.string("padding_mode", "zeros"))
        }, matches: { $0 is Conv2d })
        add("Conv1d", file: "conv", { s, _ in
            let b = try s.bind(["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode"], required: 3)
            return try Conv1d(try b.int("in_channels", 0), try b.int("out_channels", 0), kernelSize: try b.ints("kernel_size", [1])[0],
                              stride: try b.ints("stride", [1])[0], padding: try b.ints("padding", [0])[0], dilation: try b.ints("dilation", [1])[0],
                              groups: try b.int("groups", 1), bias: try b.bool("bias", true), paddingMode: try b.string("padding_mode", "zeros"))
        }, matches: { $0 is Conv1d })
        add("ConvTranspose2d", file: "conv", { s, _ in
            let b = try s.bind(["in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding", "groups", "bias", "dilation", "padding_mode"], required: 3)
            return try ConvTranspose2d(try b.int("in_channels", 0), try b.int("out_channels", 0), kernelSize: try b.ints("kernel_size", [1], count: 2),
                                       stride: try b.ints("stride", [1], count: 2), padding: try b.ints("padding", [0], count: 2),
                                       outputPadding: try b.ints("output_padding", [0], count: 2), groups: try b.int("groups", 1),
                                       bias: try b.bool("bias", true), dilation: try b.ints("dilation", [1], count: 2),
                                       paddingMode: try b.string("padding_mode", "zeros"))
        }, matches: { $0 is ConvTranspose2d })
        for (name, is2d) in [("BatchNorm2d", true), ("BatchNorm1d", false)] {
            add(name, file: "batchnorm", { s, _ in
                let b = try s.bind(["num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"], required: 1)
                let momentum: Double? = b["momentum"] == nil ? (s.args.keyword("momentum") != nil ? nil : 0.1) : try b.double("momentum", 0.1)
                let n = try b.int("num_features", 0)
                if is2d {
                    return try BatchNorm2d(n, eps: try b.double("eps", 1e-5), momentum: momentum, affine: try b.bool("affine", true),
                                           trackRunningStats: try b.bool("track_running_stats", true))
                }
                return try BatchNorm1d(n, eps: try b.double("eps", 1e-5), momentum: momentum, affine: try b.bool("affine", true),
                                       trackRunningStats: try b.bool("track_running_stats", true))
            }, matches: { is2d ? $0 is BatchNorm2d : $0 is BatchNorm1d })
        }
        add("Linear", file: "linear", { s, _ in
            let b = try s.bind(["in_features", "out_features", "bias", "device", "dtype"], required: 2)
            return try Linear(try b.int("in_features", 0), try b.int("out_features", 0), bias: try b.bool("bias", true))
        }, matches: { $0 is Linear })
        let simple: [(String, String, (BoundArguments) throws -> NNModule, (NNModule) -> Bool)] = [
            ("ReLU", "activation", { ReLU(inplace: try $0.bool("inplace", false)) }, { $0 is ReLU }),
            ("ReLU6", "activation", { ReLU6(inplace: try $0.bool("inplace", false)) }, { $0 is ReLU6 }),
            ("SiLU", "activation", { SiLU(inplace: try $0.bool("inplace", false)) }, { $0 is SiLU }),
            ("Hardswish", "activation", { Hardswish(inplace: try $0.bool("inplace", false)) }, { $0 is Hardswish }),
            ("Hardsigmoid", "activation", { Hardsigmoid(inplace: try $0.bool("inplace", false)) }, { $0 is Hardsigmoid }),
        ]
        for (name, file, make, matches) in simple {
            add(name, file: file, { s, _ in try make(try s.bind(["inplace"])) }, matches: matches)
        }
        add("Sigmoid", file: "activation", { s, _ in _ = try s.bind([]); return Sigmoid() }, matches: { $0 is Sigmoid })
        add("Tanh", file: "activation", { s, _ in _ = try s.bind([]); return Tanh() }, matches: { $0 is Tanh })
        add("LeakyReLU", file: "activation", { s, _ in
            let b = try s.bind(["negative_slope", "inplace"])
            return LeakyReLU(negativeSlope: try b.double("negative_slope", 0.01), inplace: try b.bool("inplace", false))
        }, matches: { $0 is LeakyReLU })
        add("ELU", file: "activation", { s, _ in
            let b = try s.bind(["alpha", "inplace"])
            return ELU(alpha: try b.double("alpha", 1), inplace: try b.bool("inplace", false))
        }, matches: { $0 is ELU })
        add("GELU", file: "activation", { s, _ in
            let b = try s.bind(["approximate"])
            return try GELU(approximate: try b.string("approximate", "none"))
        }, matches: { $0 is GELU })
        add("PReLU", file: "activation", { s, _ in
            let b = try s.bind(["num_parameters", "init"])
            return try PReLU(numParameters: try b.int("num_parameters", 1), initialValue: try b.double("init", 0.25))
        }, matches: { $0 is PReLU })
        add("Softmax", file: "activation", { s, _ in
            let b = try s.bind(["dim"])
            return Softmax(dim: try b["dim"].map { try Convert.int($0, "dim") })
        }, matches: { $0 is Softmax })
        add("MaxPool2d", file: "pooling", { s, _ in
            let b = try s.bind(["kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"], required: 1)
            return try MaxPool2d(kernelSize: try b.ints("kernel_size", [1]), stride: try b["stride"].map { try Convert.ints($0, "stride") },
                                 padding: try b.ints("padding", [0]), dilation: try b.ints("dilation", [1]), ceilMode: try b.bool("ceil_mode", false))
        }, matches: { $0 is MaxPool2d })
        add("AvgPool2d", file: "pooling", { s, _ in
            let b = try s.bind(["kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"], required: 1)
            return try AvgPool2d(kernelSize: try b.ints("kernel_size", [1]), stride: try b["stride"].map { try Convert.ints($0, "stride") },
                                 padding: try b.ints("padding", [0]), ceilMode: try b.bool("ceil_mode", false),
                                 countIncludePad: try b.bool("count_include_pad", true),
                                 divisorOverride: try b["divisor_override"].map { try Convert.int($0, "divisor_override") })
        }, matches: { $0 is AvgPool2d })
        add("AdaptiveAvgPool2d", file: "pooling", { s, _ in
            let b = try s.bind(["output_size"], required: 1)
            return try AdaptiveAvgPool2d(outputSize: try b.ints("output_size", [1]))
        }, matches: { $0 is AdaptiveAvgPool2d })
        add("Upsample", file: "upsampling", { s, _ in
            let b = try s.bind(["size", "scale_factor", "mode", "align_corners"])
            return try Upsample(size: try b["size"].map { try Convert.ints($0, "size", count: 2) },
                                scaleFactor: try b["scale_factor"].map { try Convert.doubles($0, "scale_factor") },
                                mode: try b.string("mode", "nearest"), alignCorners: try b["align_corners"].map { _ in try b.bool("align_corners", false) })
        }, matches: { $0 is Upsample })
        add("Dropout", file: "dropout", { s, _ in
            let b = try s.bind(["p", "inplace"])
            return try Dropout(p: try b.double("p", 0.5), inplace: try b.bool("inplace", false))
        }, matches: { $0 is Dropout })
        add("Identity", file: "linear", { _, _ in Identity() }, matches: { $0 is Identity })
        add("Flatten", file: "flatten", { s, _ in
            let b = try s.bind(["start_dim", "end_dim"])
            return Flatten(startDim: try b.int("start_dim", 1), endDim: try b.int("end_dim", -1))
        }, matches: { $0 is Flatten })
        add("Sequential", file: "container", { s, ctx in
            let scripted = { if case .instance = ctx.receiver { return true } else { return false } }()
            if s.args.positional.count == 1, case .dict(let d) = s.args.positional[0] {
                var named: [(String, NNModule)] = []
                for (k, v) in zip(d.keys, d.values) {
                    guard case .str(let key) = k, let m = ModuleObject.module(v) else { throw ScriptError.typeError("Sequential(OrderedDict) needs str keys and modules") }
                    named.append((key, m))
                }
                return scripted ? try ScriptSequential(named: named) : try Sequential(named: named)
            }
            let mods = try NNClasses.modules(s.args.positional)
            return scripted ? try ScriptSequential(mods) : try Sequential(mods)
        }, matches: { $0 is Sequential })
        add("ModuleList", file: "container", { s, ctx in
            let b = try s.bind(["modules"])
            var mods: [NNModule] = []
            if let list = b["modules"] {
                mods = try NNClasses.modules(try s.args.interpreter.listItems(list))
            }
            if case .instance = ctx.receiver { return try ScriptModuleList(mods) }
            return try ModuleList(mods)
        }, matches: { $0 is ModuleList })
        add("ModuleDict", file: "container", { s, ctx in
            let b = try s.bind(["modules"])
            var named: [(String, NNModule)] = []
            if case .dict(let d)? = b["modules"] {
                for (k, v) in zip(d.keys, d.values) {
                    guard case .str(let key) = k, let m = ModuleObject.module(v) else { throw ScriptError.typeError("ModuleDict needs str keys and modules") }
                    named.append((key, m))
                }
            }
            if case .instance = ctx.receiver { return try ScriptModuleDict(named) }
            return try ModuleDict(named)
        }, matches: { $0 is ModuleDict })
    }
}

extension Interpreter {
    /// The items of any iterable, for native code that takes lists.
    func listItems(_ value: Value) throws -> [Value] {
        var it = try iterate(value)
        var out: [Value] = []
        while let v = try it.next() { out.append(v) }
        return out
    }
}
