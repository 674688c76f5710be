import Ops
import Tensors

/// The table between the engine's `Op` and the offline file's op names and typed attributes (ops
/// version 1; docs/graph.md lists every row). One function each way, exhaustive over `Op`.
enum OfflineOpMapping {
    /// The offline op name and attributes of `node`.
    /// - Parameters:
    ///   - inputShapes/outputShapes: the node's value shapes (some ops store their static output shape).
    /// - Throws: `LoweringError.unsupportedOp` for an op ops version 1 cannot express.
    static func lower(_ node: Node, inputShapes: [[Int]], outputShapes: [[Int]]) throws -> (String, [String: OfflineAttribute]) {
        func ints(_ v: [Int]) -> OfflineAttribute { .ints(v.map { Int64($0) }) }
        func unsupported(_ reason: String = "no such op in the offline op set") -> LoweringError {
            .unsupportedOp(node: node.name, op: node.op.name, reason: reason)
        }
        let op = node.op
        switch op {
        case .conv2d(let a):
            return ("conv2d", ["stride": ints(a.stride), "padding": ints(a.padding), "dilation": ints(a.dilation),
                               "groups": .int(Int64(a.groups)), "fused_relu": .bool(a.fusedReLU)])
        case .convTranspose2d(let a):
            return ("conv_transpose2d", ["stride": ints(a.stride), "padding": ints(a.padding), "output_padding": ints(a.outputPadding),
                                         "dilation": ints(a.dilation), "groups": .int(Int64(a.groups))])
        case .linear:
            return ("linear", [:])
        case .batchNorm(let eps, let affine):
            guard inputShapes.first?.count == 4 else { throw unsupported("batch_norm2d needs a 4-D input") }
            return ("batch_norm2d", ["eps": .float(eps), "affine": .bool(affine)])
        case .relu: return ("relu", [:])
        case .relu6: return ("relu6", [:])
        case .sigmoid: return ("sigmoid", [:])
        case .tanh: return ("tanh", [:])
        case .silu: return ("silu", [:])
        case .hardswish: return ("hardswish", [:])
        case .hardsigmoid: return ("hardsigmoid", [:])
        case .leakyReLU(let slope): return ("leaky_relu", ["negative_slope": .float(slope)])
        case .elu(let alpha): return ("elu", ["alpha": .float(alpha)])
        case .maxPool2d(let a):
            return ("max_pool2d", ["kernel_size": ints(a.kernel), "stride": ints(a.stride), "padding": ints(a.padding),
                                   "dilation": ints(a.dilation), "ceil_mode": .bool(a.ceilMode)])
        case .avgPool2d(let a):
            var attributes: [String: OfflineAttribute] = [
                "kernel_size": ints(a.kernel), "stride": ints(a.stride), "padding": ints(a.padding),
                "ceil_mode": .bool(a.ceilMode), "count_include_pad": .bool(a.countIncludePad)]
            if let d = a.divisorOverride { attributes["divisor_override"] = .int(Int64(d)) }
            return ("avg_pool2d", attributes)
        case .adaptiveAvgPool2d(let size):
            return ("adaptive_avg_pool2d", ["output_size": ints(size)])
        case .interpolate(let a):
            var attributes: [String: OfflineAttribute] = ["recompute_scale_factor": .bool(a.recompute)]
            if let size = a.size { attributes["size"] = ints(size) }
            if let scale = a.scaleFactor { attributes["scale_factor"] = .floats(scale) }
            if let align = a.alignCorners { attributes["align_corners"] = .bool(align) }
            switch a.mode {
            case .nearest: return ("upsample_nearest2d", attributes)
            case .bilinear: return ("upsample_bilinear2d", attributes)
            }
        case .add: return ("add", [:])
        case .sub: return ("sub", [:])
        case .mul: return ("mul", [:])
        case .div: return ("div", [:])
        case .scalarArithmetic(let b, let scalar, let scalarFirst):
            let name: String
            switch b {
            case .add: name = "add"
            case .sub: name = "sub"
            case .mul: name = "mul"
            case .div: name = "div"
            case .pow, .maximum, .minimum: throw unsupported("only add, sub, mul and div with a scalar are in the op set")
            }
            return (name, ["scalar": .float(scalar), "scalar_first": .bool(scalarFirst)])
        case .cat(let dim): return ("cat", ["dim": .int(Int64(dim))])
        case .flatten(let s, let e): return ("flatten", ["start_dim": .int(Int64(s)), "end_dim": .int(Int64(e))])
        case .reshape, .view, .squeeze, .unsqueeze:
            return ("reshape", ["shape": ints(outputShapes.first ?? [])])
        case .index(let components):
            // A subscript that keeps every element (integer indices on size-1 axes, full ranges, new axes)
            // is a reshape, e.g. CarSegNet's `[0, 0]` on a 1×1×H×W map.
            let inCount = inputShapes.first?.reduce(1, *) ?? -1
            let outCount = outputShapes.first?.reduce(1, *) ?? -2
            guard !components.contains(.tensorInput), inCount == outCount else {
                throw unsupported("only subscripts that keep every element (a reshape) can be stored")
            }
            return ("reshape", ["shape": ints(outputShapes.first ?? [])])
        case .permute(let dims): return ("permute", ["dims": ints(dims)])
        case .transpose(let a, let b): return ("transpose", ["dim0": .int(Int64(a)), "dim1": .int(Int64(b))])
        case .softmax(let dim): return ("softmax", ["dim": .int(Int64(dim))])
        case .mean(let dims, let keepDim):
            var attributes: [String: OfflineAttribute] = ["keepdim": .bool(keepDim)]
            if let dims { attributes["dim"] = ints(dims) }
            return ("mean", attributes)
        case .pad(let pad, let value): return ("pad", ["pad": ints(pad), "value": .float(value)])
        case .cast(let dtype): return ("cast", ["dtype": .string(dtype.rawValue)])
        case .contiguous: return ("identity", [:])
        case .dropout(_, let training):
            guard !training else { throw unsupported("dropout in training mode is random; call eval() before tracing") }
            return ("identity", [:])
        case .pow, .maximum, .minimum, .compare, .compareScalar, .logical, .logicalNot, .select,
             .abs, .neg, .exp, .log, .sqrt, .rsqrt, .clamp, .powScalar, .gelu, .prelu, .logSoftmax,
             .sum, .maxAll, .minAll, .maxDim, .minDim, .argmax, .argmin, .matmul, .expand, .stack,
             .split, .splitSizes, .chunk:
            throw unsupported()
        }
    }

    /// The engine op of offline node `index`.
    /// - Throws: `LoweringError.unsupportedOfflineOp`, `.badAttribute`.
    static func raise(_ node: OfflineNode, index: Int) throws -> Op {
        let a = AttributeReader(node: node, index: index)
        // Bounds keep every later size computation far from overflow: a file is untrusted input.
        let size = 1...AttributeReader.maxSpatial, offset = 0...AttributeReader.maxSpatial
        let dim = -AttributeReader.maxRank...AttributeReader.maxRank
        func spatial(_ key: String, _ range: ClosedRange<Int>) throws -> [Int] { try a.ints(key, range, count: 1...2) }
        switch node.op {
        case "conv2d":
            return .conv2d(Conv2dAttributes(stride: try spatial("stride", size), padding: try spatial("padding", offset),
                                            dilation: try spatial("dilation", size), groups: try a.int("groups", size),
                                            fusedReLU: try a.optionalBool("fused_relu") ?? false))
        case "conv_transpose2d":
            return .convTranspose2d(ConvTranspose2dAttributes(stride: try spatial("stride", size), padding: try spatial("padding", offset),
                                                              outputPadding: try spatial("output_padding", offset),
                                                              dilation: try spatial("dilation", size), groups: try a.int("groups", size)))
        case "linear": return .linear
        case "batch_norm2d": return .batchNorm(eps: try a.float("eps", positive: false), affine: try a.bool("affine"))
        case "relu": return .relu
        case "relu6": return .relu6
        case "sigmoid": return .sigmoid
        case "tanh": return .tanh
        case "silu": return .silu
        case "hardswish": return .hardswish
        case "hardsigmoid": return .hardsigmoid
        case "leaky_relu": return .leakyReLU(slope: try a.float("negative_slope"))
        case "elu": return .elu(alpha: try a.float("alpha"))
        case "max_pool2d":
            return .maxPool2d(Pool2dAttributes(kernel: try spatial("kernel_size", size), stride: try spatial("stride", size),
                                               padding: try spatial("padding", offset), dilation: try spatial("dilation", size),
                                               ceilMode: try a.bool("ceil_mode")))
        case "avg_pool2d":
            return .avgPool2d(Pool2dAttributes(kernel: try spatial("kernel_size", size), stride: try spatial("stride", size),
                                               padding: try spatial("padding", offset), ceilMode: try a.bool("ceil_mode"),
                                               countIncludePad: try a.bool("count_include_pad"),
                                               divisorOverride: try a.optionalInt("divisor_override", size)))
        case "adaptive_avg_pool2d": return .adaptiveAvgPool2d(outputSize: try spatial("output_size", size))
        case "upsample_nearest2d", "upsample_bilinear2d":
            let sizes = try a.optionalInts("size", size, count: 1...2), scale = try a.optionalFloats("scale_factor", count: 1...2)
            guard (sizes == nil) != (scale == nil) else {
                throw LoweringError.badAttribute(node: index, op: node.op, key: "size", expected: "int list, or scale_factor as float list (exactly one)")
            }
            return .interpolate(InterpolateAttributes(size: sizes, scaleFactor: scale,
                                                      mode: node.op == "upsample_nearest2d" ? .nearest : .bilinear,
                                                      alignCorners: try a.optionalBool("align_corners"),
                                                      recompute: try a.optionalBool("recompute_scale_factor") ?? false))
        case "add", "sub", "mul", "div":
            let binary: [String: (Op, BinaryOperator)] = ["add": (.add, .add), "sub": (.sub, .sub), "mul": (.mul, .mul), "div": (.div, .div)]
            guard let (tensorOp, scalarOp) = binary[node.op] else { throw LoweringError.unsupportedOfflineOp(node: index, op: node.op) }
            if let scalar = try a.optionalFloat("scalar") {
                return .scalarArithmetic(scalarOp, scalar, scalarFirst: try a.optionalBool("scalar_first") ?? false)
            }
            return tensorOp
        case "cat": return .cat(dim: try a.int("dim", dim))
        case "flatten": return .flatten(startDim: try a.int("start_dim", dim), endDim: try a.int("end_dim", dim))
        case "reshape": return .reshape(try a.ints("shape", -1...AttributeReader.maxDimension, count: 0...AttributeReader.maxRank))
        case "permute": return .permute(try a.ints("dims", dim, count: 0...AttributeReader.maxRank))
        case "transpose": return .transpose(try a.int("dim0", dim), try a.int("dim1", dim))
        case "softmax": return .softmax(dim: try a.int("dim", dim))
        case "mean": return .mean(dims: try a.optionalInts("dim", dim, count: 0...AttributeReader.maxRank), keepDim: try a.bool("keepdim"))
        case "pad":
            return .pad(try a.ints("pad", -AttributeReader.maxSpatial...AttributeReader.maxSpatial, count: 0...(2 * AttributeReader.maxRank)),
                        value: try a.float("value"))
        case "cast":
            guard let dtype = DType(rawValue: try a.string("dtype")) else {
                throw LoweringError.badAttribute(node: index, op: node.op, key: "dtype", expected: "a dtype name such as float32")
            }
            return .cast(dtype)
        case "identity": return .contiguous
        default:
            throw LoweringError.unsupportedOfflineOp(node: index, op: node.op)
        }
    }
}

/// Typed, bounded reads of an offline node's attributes, with errors naming the node, op, key and what
/// was expected.
struct AttributeReader {
    let node: OfflineNode
    let index: Int

    /// Largest kernel, stride, padding or spatial size accepted from a file.
    static let maxSpatial = 1 << 20
    /// Largest dimension in a reshape target.
    static let maxDimension = 1 << 40
    /// Largest rank (the format's limit).
    static let maxRank = 8

    private func fail(_ key: String, _ expected: String) -> LoweringError {
        .badAttribute(node: index, op: node.op, key: key, expected: expected)
    }

    private func describe(_ range: ClosedRange<Int>) -> String { "\(range.lowerBound)...\(range.upperBound)" }

    func optionalInts(_ key: String, _ range: ClosedRange<Int>, count: ClosedRange<Int>) throws -> [Int]? {
        guard let v = node.attributes[key] else { return nil }
        let expected = "int list of \(describe(count)) values in \(describe(range))"
        guard case .ints(let xs) = v, count.contains(xs.count),
              xs.allSatisfy({ Int64(range.lowerBound) <= $0 && $0 <= Int64(range.upperBound) }) else { throw fail(key, expected) }
        return xs.map { Int($0) }
    }
    func ints(_ key: String, _ range: ClosedRange<Int>, count: ClosedRange<Int>) throws -> [Int] {
        guard let v = try optionalInts(key, range, count: count) else {
            throw fail(key, "int list of \(describe(count)) values in \(describe(range))")
        }
        return v
    }
    func optionalInt(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let v = node.attributes[key] else { return nil }
        guard case .int(let x) = v, Int64(range.lowerBound) <= x, x <= Int64(range.upperBound) else {
            throw fail(key, "int in \(describe(range))")
        }
        return Int(x)
    }
    func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int {
        guard let v = try optionalInt(key, range) else { throw fail(key, "int in \(describe(range))") }
        return v
    }
    func optionalFloat(_ key: String) throws -> Double? {
        guard let v = node.attributes[key] else { return nil }
        guard case .float(let x) = v, x.isFinite else { throw fail(key, "finite float") }
        return x
    }
    /// A finite float; with `positive`, also > 0 (otherwise ≥ 0 is not required either).
    func float(_ key: String, positive: Bool = false) throws -> Double {
        guard let v = try optionalFloat(key), !positive || v > 0 else { throw fail(key, positive ? "positive float" : "finite float") }
        return v
    }
    func optionalFloats(_ key: String, count: ClosedRange<Int>) throws -> [Double]? {
        guard let v = node.attributes[key] else { return nil }
        guard case .floats(let xs) = v, count.contains(xs.count),
              xs.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= Double(Self.maxSpatial) }) else {
            throw fail(key, "list of \(describe(count)) positive finite floats")
        }
        return xs
    }
    func optionalBool(_ key: String) throws -> Bool? {
        guard let v = node.attributes[key] else { return nil }
        guard case .bool(let x) = v else { throw fail(key, "bool") }
        return x
    }
    func bool(_ key: String) throws -> Bool {
        guard let v = try optionalBool(key) else { throw fail(key, "bool") }
        return v
    }
    func string(_ key: String) throws -> String {
        guard case .string(let s)? = node.attributes[key] else { throw fail(key, "string") }
        return s
    }
}
