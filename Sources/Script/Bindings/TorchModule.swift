import Foundation
import NN
import Ops
import Tensors

/// The `torch` module: creation functions, math, dtypes, devices, `no_grad`, `load`/`save`.
enum TorchModule {
    static func make(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "torch")
        m.set("__version__", .str("1.3.0+mlus"))
        m.set("Tensor", .cls(TorchClasses.tensor))
        for (name, dtype) in DTypeObject.exported { m.set(name, .native(DTypeObject(dtype))) }
        let wrap = Convert.wrap

        func creation(_ name: String, _ body: @escaping ([Int], DType, Device, Arguments) throws -> Tensor) {
            m.addFunction(name) { args in
                var positional = args.positional
                var fill: Value? = nil
                if name == "full" { fill = positional.count >= 2 ? positional.removeLast() : args.keyword("fill_value") }
                let shapeArgs = positional.isEmpty ? (args.keyword("size").map { [$0] } ?? []) : positional
                let shape = try Convert.shape(shapeArgs, "\(name)(): size")
                var dtype: DType = .float32
                if let d = args.keyword("dtype"), !isNone(d) { dtype = try DTypeObject.parse(d, "dtype") }
                else if name == "full", let f = fill, case .int = f { dtype = .int64 }
                let device = try args.keyword("device").map { try DeviceObject.parse($0, "device") } ?? .cpu
                var inner = args
                inner.positional = fill.map { [$0] } ?? []
                return wrap(try bridge { try body(shape, dtype, device, inner) })
            }
        }
        creation("zeros") { s, d, dev, _ in try Tensor.zeros(s, dtype: d, device: dev) }
        creation("ones") { s, d, dev, _ in try Tensor.ones(s, dtype: d, device: dev) }
        creation("empty") { s, d, dev, _ in try Tensor.zeros(s, dtype: d, device: dev) }
        creation("full") { s, d, dev, a in
            guard let v = a.positional.first else { throw ScriptError.typeError("full() missing required argument 'fill_value'") }
            return try Tensor.full(s, value: try Convert.double(v, "fill_value"), dtype: d, device: dev)
        }
        creation("rand") { s, d, dev, _ in try Tensor.rand(s, dtype: d).to(dev) }
        creation("randn") { s, d, dev, _ in try Tensor.randn(s, dtype: d).to(dev) }
        for (name, fill) in [("zeros_like", 0.0), ("ones_like", 1.0)] {
            m.addFunction(name) { args in
                let t = try Convert.tensor(try args.required(0, "input"), "input")
                return wrap(try bridge { try Tensor.full(t.shape, value: fill, dtype: t.dtype, device: t.device) })
            }
        }
        m.addFunction("tensor") { args in
            let b = try BoundArguments(args, ["data", "dtype", "device", "requires_grad"], required: 1)
            let dtype = try b["dtype"].map { try DTypeObject.parse($0, "dtype") }
            var t: Tensor
            if let src = b["data"].flatMap(Convert.tensorOrNil) { t = try bridge { try TensorOps.cast(src, to: dtype ?? src.dtype) }.clonedContiguous() }
            else { t = try Convert.tensorFromData(b["data"] ?? .none, dtype: dtype, interpreter: args.interpreter) }
            if let dev = b["device"] { t = t.to(try DeviceObject.parse(dev, "device")) }
            return wrap(t)
        }
        m.addFunction("from_numpy") { args in .native(TensorObject(try Convert.tensor(try args.required(0, "ndarray"), "ndarray"))) }
        m.addFunction("as_tensor") { args in
            let v = try args.required(0, "data")
            if let t = Convert.tensorOrNil(v) { return wrap(t) }
            return wrap(try Convert.tensorFromData(v, dtype: nil, interpreter: args.interpreter))
        }
        m.addFunction("arange") { args in
            let nums = try args.positional.map { try Convert.double($0, "arange()") }
            let (start, end, step): (Double, Double, Double)
            switch nums.count {
            case 1: (start, end, step) = (0, nums[0], 1)
            case 2: (start, end, step) = (nums[0], nums[1], 1)
            case 3: (start, end, step) = (nums[0], nums[1], nums[2])
            default: throw ScriptError.typeError("arange() takes 1 to 3 positional arguments")
            }
            let allInts = args.positional.allSatisfy { if case .int = $0 { return true } else { return false } }
            let dtype = try args.keyword("dtype").map { try DTypeObject.parse($0, "dtype") } ?? (allInts ? .int64 : .float32)
            return wrap(try bridge { try Tensor.arange(start: start, end: end, step: step, dtype: dtype) })
        }
        m.addFunction("manual_seed") { args in
            let seed = try args.int(0, "seed")
            Generator.shared.manualSeed(UInt64(bitPattern: Int64(seed)))
            return Value.none
        }
        m.addFunction("is_tensor") { args in .bool(Convert.tensorOrNil(try args.required(0, "obj")) != nil) }
        m.addFunction("numel") { args in .int(try Convert.tensor(try args.required(0, "input"), "input").count) }
        m.addFunction("set_num_threads") { _ in Value.none }
        m.addFunction("get_num_threads") { _ in .int(ProcessInfo.processInfo.activeProcessorCount) }
        m.addFunction("set_grad_enabled") { _ in Value.none }
        m.addFunction("is_grad_enabled") { _ in .bool(false) }
        m.addFunction("no_grad") { _ in .native(NoGradContext()) }
        m.addFunction("device") { args in .native(DeviceObject(try DeviceObject.parse(try args.required(0, "type"), "device"))) }

        // Joining and math.
        m.addFunction("cat") { args in
            let b = try BoundArguments(args, ["tensors", "dim"], required: 1)
            let ts = try args.interpreter.listItems(b["tensors"] ?? .none).map { try Convert.tensor($0, "cat(): tensors") }
            return wrap(try bridge { try TensorOps.cat(ts, dim: try b.int("dim", 0)) })
        }
        m.addFunction("stack") { args in
            let b = try BoundArguments(args, ["tensors", "dim"], required: 1)
            let ts = try args.interpreter.listItems(b["tensors"] ?? .none).map { try Convert.tensor($0, "stack(): tensors") }
            return wrap(try bridge { try TensorOps.stack(ts, dim: try b.int("dim", 0)) })
        }
        m.addFunction("where") { args in
            let c = try Convert.tensor(try args.required(0, "condition"), "condition")
            let a = try Convert.tensorLike(try args.required(1, "input"), "input", interpreter: args.interpreter)
            let b = try Convert.tensorLike(try args.required(2, "other"), "other", interpreter: args.interpreter)
            return wrap(try bridge { try TensorOps.where(c, a, b) })
        }
        m.addFunction("matmul") { args in
            wrap(try bridge { try TensorOps.matmul(try Convert.tensor(try args.required(0, "input"), "input"), try Convert.tensor(try args.required(1, "other"), "other")) })
        }
        m.addFunction("allclose") { args in
            let b = try BoundArguments(args, ["input", "other", "rtol", "atol", "equal_nan"], required: 2)
            let x = try b.tensor("input")?.floats() ?? [], y = try b.tensor("other")?.floats() ?? []
            let rtol = try b.double("rtol", 1e-5), atol = try b.double("atol", 1e-8)
            guard x.count == y.count else { throw ScriptError.runtimeError("allclose(): shapes differ") }
            return .bool(zip(x, y).allSatisfy { abs(Double($0) - Double($1)) <= atol + rtol * abs(Double($1)) })
        }
        m.addFunction("equal") { args in
            let x = try Convert.tensor(try args.required(0, "input"), "input"), y = try Convert.tensor(try args.required(1, "other"), "other")
            return .bool(x.shape == y.shape && x.scalars() == y.scalars())
        }
        // Methods that torch also offers as functions: torch.sigmoid(x), torch.sum(x, 1), ...
        for name in ["sigmoid", "tanh", "relu", "exp", "log", "sqrt", "abs", "neg", "clamp", "clip", "sum", "mean", "max", "min",
                     "argmax", "argmin", "softmax", "flatten", "squeeze", "unsqueeze", "reshape", "permute", "transpose", "split",
                     "chunk", "pow", "add", "sub", "mul", "div", "eq", "ne", "gt", "lt", "ge", "le", "std", "var", "all", "any", "square"] {
            m.addFunction(name) { args in
                guard let first = args.positional.first ?? args.keyword("input") else {
                    throw ScriptError.typeError("\(name)() missing required argument 'input'")
                }
                let t = try Convert.tensorLike(first, "input", interpreter: args.interpreter)
                guard let method = TensorMethods.method(name, of: TensorObject(t)) else { throw ScriptError.attributeError(name) }
                let rest = args.positional.isEmpty ? [] : Array(args.positional.dropFirst())
                return try args.interpreter.call(method, rest, args.keywords.filter { $0.0 != "input" })
            }
        }
        m.addFunction("load") { args in try CheckpointBridge.load(args) }
        m.addFunction("save") { args in try CheckpointBridge.save(args) }
        return m
    }
}

/// `with torch.no_grad():` — mlus never records gradients, so this only has to be a context manager.
final class NoGradContext: NativeObject {
    var typeName: String { "no_grad" }
    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "__enter__": return .builtin(BuiltinFunction("__enter__") { _ in Value.none })
        case "__exit__": return .builtin(BuiltinFunction("__exit__") { _ in .bool(false) })
        default: return nil
        }
    }
}
