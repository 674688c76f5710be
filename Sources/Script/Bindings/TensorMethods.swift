import Ops
import Tensors

/// The methods of `Tensor` (`x.view(1, -1)`, `x.sum(dim=1)`, `x.to(device)`), as bound builtins.
enum TensorMethods {
    static let names = [
        "size", "dim", "numel", "item", "tolist", "float", "half", "double", "int", "long", "bool", "byte",
        "to", "cpu", "numpy", "clone", "detach", "contiguous", "is_contiguous", "view", "reshape", "permute",
        "transpose", "flatten", "squeeze", "unsqueeze", "expand", "sum", "mean", "max", "min", "argmax", "argmin",
        "abs", "exp", "log", "sqrt", "sigmoid", "tanh", "relu", "clamp", "clip", "pow", "softmax", "eq", "ne",
        "gt", "lt", "ge", "le", "add", "sub", "mul", "div", "matmul", "fill_", "zero_", "copy_", "split", "chunk",
        "all", "any", "type", "view_as", "expand_as", "neg", "square", "add_", "mul_", "sub_", "div_",
        "clamp_", "masked_fill", "is_floating_point", "element_size", "nelement", "std", "var", "requires_grad_",
    ]

    static func method(_ name: String, of object: TensorObject) -> Value? {
        guard names.contains(name) else { return nil }
        let fn = BuiltinFunction("Tensor.\(name)") { args in try call(name, object, args) }
        return .builtin(fn)
    }

    private static func reduceDims(_ args: Arguments, rank: Int) throws -> [Int]? {
        guard let d = args.value(0, "dim"), !isNone(d) else { return nil }
        return try Convert.ints(d, "dim")
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private static func call(_ name: String, _ object: TensorObject, _ args: Arguments) throws -> Value {
        let t = object.tensor
        let wrap = Convert.wrap
        return try bridge {
            switch name {
            case "size":
                if let d = args.value(0, "dim") {
                    let dim = try Convert.int(d, "dim")
                    let axis = dim < 0 ? dim + t.rank : dim
                    guard axis >= 0 && axis < t.rank else {
                        throw ScriptError.indexError("Dimension out of range (expected to be in range of [\(-t.rank), \(t.rank - 1)], but got \(dim))")
                    }
                    return .int(t.shape[axis])
                }
                return SizeObject.value(t.shape)
            case "dim": return .int(t.rank)
            case "numel", "nelement": return .int(t.count)
            case "element_size": return .int(t.dtype.itemSize)
            case "is_floating_point": return .bool(t.dtype.isFloatingPoint)
            case "is_contiguous": return .bool(t.isContiguous)
            case "item":
                guard t.count == 1 else {
                    throw ScriptError.runtimeError("a Tensor with \(t.count) elements cannot be converted to Scalar")
                }
                return Convert.scalarValue(try t.item(), dtype: t.dtype)
            case "tolist": return Convert.toList(t)
            case "float": return wrap(try TensorOps.cast(t, to: .float32))
            case "half": return wrap(try TensorOps.cast(t, to: .float16))
            case "double": return wrap(try TensorOps.cast(t, to: .float64))
            case "int": return wrap(try TensorOps.cast(t, to: .int32))
            case "long": return wrap(try TensorOps.cast(t, to: .int64))
            case "bool": return wrap(try TensorOps.cast(t, to: .bool))
            case "byte": return wrap(try TensorOps.cast(t, to: .uint8))
            case "type":
                guard let d = args.value(0, "dtype") else { return .str("torch.\(typeLabel(t.dtype))") }
                return wrap(try TensorOps.cast(t, to: try DTypeObject.parse(d, "dtype")))
            case "to":
                var out = t
                for v in args.positional + args.keywords.map(\.1) {
                    if case .native(let n) = v, n is DTypeObject { out = try TensorOps.cast(out, to: try DTypeObject.parse(v, "dtype")) }
                    else if case .native(let n) = v, let o = n as? TensorObject { out = try TensorOps.cast(out, to: o.tensor.dtype).to(o.tensor.device) }
                    else if case .bool = v { continue }
                    else { out = out.to(try DeviceObject.parse(v, "device")) }
                }
                return wrap(out)
            case "cpu": return wrap(t.to(.cpu))
            case "numpy":
                guard !t.device.isMLU else {
                    throw ScriptError.typeError("can't convert mlu:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.")
                }
                return .native(object)
            case "clone": return wrap(t.clonedContiguous())
            case "detach", "requires_grad_": return .native(TensorObject(t))
            case "contiguous": return wrap(try TensorOps.contiguous(t))
            case "view": return wrap(try TensorOps.view(t, try Convert.shape(args.positional, "shape")))
            case "reshape": return wrap(try TensorOps.reshape(t, try Convert.shape(args.positional, "shape")))
            case "view_as", "expand_as":
                let other = try Convert.tensor(try args.required(0, "other"), "other")
                return wrap(name == "view_as" ? try TensorOps.view(t, other.shape) : try TensorOps.expand(t, other.shape))
            case "permute": return wrap(try TensorOps.permute(t, try Convert.shape(args.positional, "dims")))
            case "transpose": return wrap(try TensorOps.transpose(t, try args.int(0, "dim0"), try args.int(1, "dim1")))
            case "flatten":
                return wrap(try TensorOps.flatten(t, startDim: try args.int(0, "start_dim", default: 0), endDim: try args.int(1, "end_dim", default: -1)))
            case "squeeze":
                if let d = args.value(0, "dim") { return wrap(try TensorOps.squeeze(t, dim: try Convert.int(d, "dim"))) }
                return wrap(try TensorOps.squeeze(t))
            case "unsqueeze": return wrap(try TensorOps.unsqueeze(t, dim: try args.int(0, "dim")))
            case "expand": return wrap(try TensorOps.expand(t, try Convert.shape(args.positional, "size")))
            case "sum", "mean":
                let dims = try reduceDims(args, rank: t.rank)
                let keep = try args.bool(1, "keepdim", default: false)
                return wrap(name == "sum" ? try TensorOps.sum(t, dims: dims, keepDim: keep) : try TensorOps.mean(t, dims: dims, keepDim: keep))
            case "std", "var":
                let dims = try reduceDims(args, rank: t.rank)
                let keep = try args.bool(2, "keepdim", default: false)
                let unbiased = try args.bool(1, "unbiased", default: true)
                let x = try TensorOps.cast(t, to: .float32)
                let mean = try TensorOps.mean(x, dims: dims, keepDim: true)
                let centred = try TensorOps.sub(x, mean)
                let squares = try TensorOps.mul(centred, centred)
                let n = dims.map { $0.reduce(1) { $0 * x.shape[$1 < 0 ? $1 + x.rank : $1] } } ?? x.count
                let total = try TensorOps.sum(squares, dims: dims, keepDim: keep)
                let variance = try TensorOps.arithmetic(.div, total, scalar: Double(unbiased ? max(n - 1, 1) : max(n, 1)))
                return wrap(name == "var" ? variance : try TensorOps.sqrt(variance))
            case "max", "min":
                if let other = args.value(0, "other"), let o = Convert.tensorOrNil(other) {
                    return wrap(name == "max" ? try TensorOps.maximum(t, o) : try TensorOps.minimum(t, o))
                }
                if let d = args.value(0, "dim") {
                    let dim = try Convert.int(d, "dim")
                    let keep = try args.bool(1, "keepdim", default: false)
                    let r = name == "max" ? try TensorOps.max(t, dim: dim, keepDim: keep) : try TensorOps.min(t, dim: dim, keepDim: keep)
                    return .tuple([wrap(r.values), wrap(r.indices)])
                }
                return wrap(name == "max" ? try TensorOps.max(t) : try TensorOps.min(t))
            case "argmax", "argmin":
                let dim = try args.value(0, "dim").flatMap { isNone($0) ? nil : try Convert.int($0, "dim") }
                let keep = try args.bool(1, "keepdim", default: false)
                return wrap(name == "argmax" ? try TensorOps.argmax(t, dim: dim, keepDim: keep) : try TensorOps.argmin(t, dim: dim, keepDim: keep))
            case "all", "any":
                let b = try TensorOps.cast(t, to: .bool)
                let s = try TensorOps.sum(try TensorOps.cast(b, to: .int64))
                let n = try s.item()
                return wrap(Tensor(scalar: (name == "all" ? n == Double(t.count) : n > 0) ? 1 : 0, dtype: .bool))
            case "abs": return wrap(try TensorOps.abs(t))
            case "neg": return wrap(try TensorOps.neg(t))
            case "exp": return wrap(try TensorOps.exp(t))
            case "log": return wrap(try TensorOps.log(t))
            case "sqrt": return wrap(try TensorOps.sqrt(t))
            case "square": return wrap(try TensorOps.mul(t, t))
            case "sigmoid": return wrap(try TensorOps.sigmoid(t))
            case "tanh": return wrap(try TensorOps.tanh(t))
            case "relu": return wrap(try TensorOps.relu(t))
            case "softmax": return wrap(try TensorOps.softmax(t, dim: try args.int(0, "dim")))
            case "clamp", "clip", "clamp_":
                let lo = try args.value(0, "min").flatMap { isNone($0) ? nil : try Convert.double($0, "min") }
                let hi = try args.value(1, "max").flatMap { isNone($0) ? nil : try Convert.double($0, "max") }
                let r = try TensorOps.clamp(t, min: lo, max: hi)
                if name == "clamp_" { try object.tensor.copyElements(from: r); return .native(object) }
                return wrap(r)
            case "pow":
                let e = try args.required(0, "exponent")
                if let o = Convert.tensorOrNil(e) { return wrap(try TensorOps.pow(t, o)) }
                return wrap(try TensorOps.pow(t, exponent: try Convert.double(e, "exponent")))
            case "eq", "ne", "gt", "lt", "ge", "le":
                let ops: [String: ComparisonOperator] = ["eq": .equal, "ne": .notEqual, "gt": .greater, "lt": .less, "ge": .greaterEqual, "le": .lessEqual]
                let op = ops[name] ?? .equal
                let o = try args.required(0, "other")
                if let ot = Convert.tensorOrNil(o) { return wrap(try TensorOps.compare(op, t, ot)) }
                return wrap(try TensorOps.compare(op, t, scalar: try Convert.double(o, "other")))
            case "add", "sub", "mul", "div", "add_", "sub_", "mul_", "div_":
                let base = name.hasSuffix("_") ? String(name.dropLast()) : name
                let ops: [String: Tensors.BinaryOperator] = ["add": .add, "sub": .sub, "mul": .mul, "div": .div]
                let op = ops[base] ?? .add
                let o = try args.required(0, "other")
                var r: Tensor
                if let ot = Convert.tensorOrNil(o) { r = try TensorOps.binary(op, t, ot) }
                else { r = try TensorOps.arithmetic(op, t, scalar: try Convert.double(o, "other")) }
                if let alpha = args.keyword("alpha"), base == "add" || base == "sub", let ot = Convert.tensorOrNil(o) {
                    let scaled = try TensorOps.arithmetic(.mul, ot, scalar: try Convert.double(alpha, "alpha"))
                    r = try TensorOps.binary(op, t, scaled)
                }
                if name.hasSuffix("_") { try object.tensor.copyElements(from: r); return .native(object) }
                return wrap(r)
            case "matmul": return wrap(try TensorOps.matmul(t, try Convert.tensor(try args.required(0, "other"), "other")))
            case "masked_fill":
                let mask = try Convert.tensor(try args.required(0, "mask"), "mask")
                let value = try Convert.double(try args.required(1, "value"), "value")
                return wrap(try TensorOps.where(mask, Tensor(scalar: value, dtype: t.dtype), t))
            case "fill_":
                object.tensor.fill(try Convert.double(try args.required(0, "value"), "value"))
                return .native(object)
            case "zero_":
                object.tensor.fill(0)
                return .native(object)
            case "copy_":
                try object.tensor.copyElements(from: try Convert.tensor(try args.required(0, "src"), "src"))
                return .native(object)
            case "split":
                let dim = try args.int(1, "dim", default: 0)
                let s = try args.required(0, "split_size_or_sections")
                if case .int(let n) = s { return Convert.wrapList(try TensorOps.split(t, size: n, dim: dim)) }
                return Convert.wrapList(try TensorOps.split(t, sizes: try Convert.ints(s, "split_size_or_sections"), dim: dim))
            case "chunk": return Convert.wrapList(try TensorOps.chunk(t, try args.int(0, "chunks"), dim: try args.int(1, "dim", default: 0)))
            default:
                throw ScriptError.attributeError("'Tensor' object has no attribute '\(name)'")
            }
        }
    }

    static func typeLabel(_ d: DType) -> String {
        switch d {
        case .float32: return "FloatTensor"
        case .float64: return "DoubleTensor"
        case .float16: return "HalfTensor"
        case .bfloat16: return "BFloat16Tensor"
        case .int64: return "LongTensor"
        case .int32: return "IntTensor"
        case .int16: return "ShortTensor"
        case .int8: return "CharTensor"
        case .uint8: return "ByteTensor"
        case .bool: return "BoolTensor"
        }
    }
}
