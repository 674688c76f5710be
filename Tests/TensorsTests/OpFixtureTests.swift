import FixtureSupport
import Foundation
import XCTest
@testable import Tensors

/// Every case of `Tests/Fixtures/ops/cases.json` (written by PyTorch via scripts/gen_op_fixtures.py),
/// run through the Tensors API and compared with PyTorch's output.
final class OpFixtureTests: XCTestCase {
    struct Case {
        let name: String
        let op: String
        let inputs: [Tensor]
        let outputs: [Tensor]
        let attrs: [String: Any]

        func int(_ k: String) -> Int? { (attrs[k] as? NSNumber)?.intValue }
        func double(_ k: String) -> Double? { (attrs[k] as? NSNumber)?.doubleValue }
        func bool(_ k: String) -> Bool? { (attrs[k] as? NSNumber)?.boolValue }
        func ints(_ k: String) -> [Int]? {
            if let a = attrs[k] as? [NSNumber] { return a.map(\.intValue) }
            if let n = attrs[k] as? NSNumber { return [n.intValue] }
            return nil
        }
        func pair(_ k: String, _ dflt: Int) -> (Int, Int) {
            guard let v = ints(k) else { return (dflt, dflt) }
            return v.count == 1 ? (v[0], v[0]) : (v[0], v[1])
        }
    }

    static func loadCases() throws -> [Case] {
        let data = try Data(contentsOf: Fixtures.ops.appendingPathComponent("cases.json"))
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw NpyFile.Failure(description: "cases.json is not an object")
        }
        return try json.keys.sorted().map { name in
            let c = json[name] ?? [:]
            return Case(name: name, op: c["op"] as? String ?? "",
                        inputs: try (c["inputs"] as? [String] ?? []).map(Fixtures.op),
                        outputs: try (c["outputs"] as? [String] ?? []).map(Fixtures.op),
                        attrs: c["attrs"] as? [String: Any] ?? [:])
        }
    }

    /// Runs one case through the Tensors API; nil when the op name is unknown to this table.
    static func run(_ c: Case) throws -> [Tensor]? {
        let x = c.inputs.first ?? Tensor(zeros: [])
        let second = c.inputs.count > 1 ? c.inputs[1] : x
        func binary(_ op: BinaryOperator) throws -> [Tensor] { [try x.binary(op, second)] }
        func compare(_ op: ComparisonOperator) throws -> [Tensor] { [try x.compare(op, second)] }
        switch c.op {
        case "add": return try binary(.add)
        case "sub": return try binary(.sub)
        case "mul": return try binary(.mul)
        case "div": return try binary(.div)
        case "pow": return try binary(.pow)
        case "maximum": return try binary(.maximum)
        case "minimum": return try binary(.minimum)
        case "pow_scalar": return [try x.unary(.powScalar, c.double("exponent") ?? 1)]
        case "add_scalar": return [try x.binary(.add, scalar: c.double("scalar") ?? 0)]
        case "rsub_scalar": return [try x.reverseBinary(.sub, scalar: c.double("scalar") ?? 0)]
        case "lt": return try compare(.less)
        case "eq": return try compare(.equal)
        case "ge": return try compare(.greaterEqual)
        case "gt": return try compare(.greater)
        case "abs": return [try x.unary(.abs)]
        case "neg": return [try x.unary(.neg)]
        case "exp": return [try x.unary(.exp)]
        case "log": return [try x.unary(.log)]
        case "sqrt": return [try x.unary(.sqrt)]
        case "relu": return [try x.unary(.relu)]
        case "relu6": return [try x.clamp(min: 0, max: 6)]
        case "elu": return [try x.unary(.elu, c.double("alpha") ?? 1)]
        case "silu": return [try x.unary(.silu)]
        case "gelu": return [try x.unary(.gelu)]
        case "gelu_tanh": return [try x.unary(.geluTanh)]
        case "hardswish": return [try x.unary(.hardswish)]
        case "hardsigmoid": return [try x.unary(.hardsigmoid)]
        case "sigmoid": return [try x.unary(.sigmoid)]
        case "tanh": return [try x.unary(.tanh)]
        case "leaky_relu": return [try x.unary(.leakyReLU, c.double("slope") ?? 0.01)]
        case "clamp": return [try x.clamp(min: c.double("min"), max: c.double("max"))]
        case "prelu": return [try x.prelu(slope: second)]
        case "softmax": return [try x.softmax(dim: c.int("dim") ?? -1)]
        case "log_softmax": return [try x.softmax(dim: c.int("dim") ?? -1, log: true)]
        case "sum": return [try x.sum(dims: c.ints("dims"), keepDim: c.bool("keepdim") ?? false)]
        case "mean": return [try x.mean(dims: c.ints("dims"), keepDim: c.bool("keepdim") ?? false)]
        case "max_dim":
            let r = try x.reduceMax(dim: c.int("dim") ?? 0, keepDim: c.bool("keepdim") ?? false)
            return [r.values, r.indices]
        case "min_dim":
            let r = try x.reduceMin(dim: c.int("dim") ?? 0, keepDim: c.bool("keepdim") ?? false)
            return [r.values, r.indices]
        case "max": return [try x.reduceMax()]
        case "argmax": return [try x.argmax(dim: c.int("dim"))]
        case "argmin": return [try x.argmin(dim: c.int("dim"))]
        case "matmul": return [try x.matmul(second)]
        case "matmul_bt": return [try x.matmul(second.transpose(0, 1))]
        case "linear": return [try x.linear(weight: second, bias: c.inputs.count > 2 ? c.inputs[2] : nil)]
        case "permute": return [try x.permute(c.ints("dims") ?? [])]
        case "transpose": return [try x.transpose(c.int("dim0") ?? 0, c.int("dim1") ?? 1)]
        case "flatten": return [try x.flatten(startDim: c.int("start") ?? 0, endDim: c.int("end") ?? -1)]
        case "expand": return [try x.expand(c.ints("shape") ?? [])]
        case "index":
            let spec = c.attrs["spec"] as? [[Any]] ?? []
            let indices: [TensorIndex] = spec.map { entry in
                let kind = entry.first as? String ?? ""
                func part(_ i: Int) -> Int? { i < entry.count ? (entry[i] as? NSNumber)?.intValue : nil }
                switch kind {
                case "at": return .at(part(1) ?? 0)
                case "range": return .range(part(1), part(2), part(3))
                case "newaxis": return .newAxis
                default: return .ellipsis
                }
            }
            return [try x.indexed(indices)]
        case "index_mask": return [try x.indexed([.tensor(second)])]
        case "index_tensor_dim1": return [try x.indexed([.all, .tensor(second)])]
        case "cat": return [try Tensor.cat(c.inputs, dim: c.int("dim") ?? 0)]
        case "stack": return [try Tensor.stack(c.inputs, dim: c.int("dim") ?? 0)]
        case "split": return try x.split(c.int("size") ?? 1, dim: c.int("dim") ?? 0)
        case "chunk": return try x.chunk(c.int("chunks") ?? 1, dim: c.int("dim") ?? 0)
        case "half": return [x.to(.float16).to(.float32)]
        case "to_int64": return [x.to(.int64)]
        case "to_uint8": return [x.to(.uint8)]
        case "rand": return [try Tensor.rand(c.ints("shape") ?? [], generator: Generator(seed: UInt64(c.int("seed") ?? 0)))]
        case "arange": return [try Tensor.arange(start: c.double("start") ?? 0, end: c.double("end") ?? 0, step: c.double("step") ?? 1)]
        case "conv2d", "conv2d_relu":
            return [try x.conv2d(weight: second, bias: c.inputs.count > 2 ? c.inputs[2] : nil, stride: c.ints("stride") ?? [1],
                                 padding: c.ints("padding") ?? [0], dilation: c.ints("dilation") ?? [1], groups: c.int("groups") ?? 1,
                                 fusedReLU: c.op == "conv2d_relu")]
        case "conv1d":
            let y = try x.unsqueeze(2).conv2d(weight: second.unsqueeze(2), bias: c.inputs.count > 2 ? c.inputs[2] : nil,
                                              stride: [1, c.int("stride") ?? 1], padding: [0, c.int("padding") ?? 0],
                                              dilation: [1, c.int("dilation") ?? 1], groups: c.int("groups") ?? 1)
            return [try y.squeeze(2)]
        case "conv_transpose2d":
            return [try x.convTranspose2d(weight: second, bias: c.inputs.count > 2 ? c.inputs[2] : nil, stride: c.ints("stride") ?? [1],
                                          padding: c.ints("padding") ?? [0], outputPadding: c.ints("output_padding") ?? [0],
                                          dilation: c.ints("dilation") ?? [1], groups: c.int("groups") ?? 1)]
        case "max_pool2d":
            let k = c.pair("kernel_size", 1)
            return [try x.maxPool2d(kernel: k, stride: c.attrs["stride"] == nil ? k : c.pair("stride", 1), padding: c.pair("padding", 0),
                                    dilation: c.pair("dilation", 1), ceilMode: c.bool("ceil_mode") ?? false)]
        case "avg_pool2d":
            let k = c.pair("kernel_size", 1)
            return [try x.avgPool2d(kernel: k, stride: c.attrs["stride"] == nil ? k : c.pair("stride", 1), padding: c.pair("padding", 0),
                                    ceilMode: c.bool("ceil_mode") ?? false, countIncludePad: c.bool("count_include_pad") ?? true)]
        case "adaptive_avg_pool2d": return [try x.adaptiveAvgPool2d(outputSize: c.pair("size", 1))]
        case "interpolate":
            let mode = InterpolationMode(rawValue: c.attrs["mode"] as? String ?? "") ?? .nearest
            let align = c.bool("align_corners")
            if let s = c.attrs["scale"] as? [NSNumber] {
                let (sh, sw) = (s[0].doubleValue, s[1].doubleValue)
                let size = (Int((Double(x.shape[2]) * sh).rounded(.down)), Int((Double(x.shape[3]) * sw).rounded(.down)))
                return [try x.interpolate(size: size, scaleFactor: (sh, sw), mode: mode, alignCorners: align)]
            }
            return [try x.interpolate(size: c.pair("size", 1), mode: mode, alignCorners: align)]
        case "batch_norm":
            return [try x.batchNorm(mean: c.inputs[2 - 1], variance: c.inputs[2], weight: c.inputs[3], bias: c.inputs[4], eps: c.double("eps") ?? 1e-5)]
        case "batch_norm_train":
            let (mean, variance) = try x.batchStatistics()
            let y = try x.batchNorm(mean: mean, variance: variance, weight: c.inputs[3], bias: c.inputs[4], eps: c.double("eps") ?? 1e-5)
            let momentum = c.double("momentum") ?? 0.1
            let n = Double(x.count / x.shape[1])
            let unbiased = try variance.binary(.mul, scalar: n / (n - 1))
            let rm = try c.inputs[1].binary(.mul, scalar: 1 - momentum).binary(.add, mean.binary(.mul, scalar: momentum))
            let rv = try c.inputs[2].binary(.mul, scalar: 1 - momentum).binary(.add, unbiased.binary(.mul, scalar: momentum))
            return [y, rm, rv]
        case "pad": return [try x.padded(c.ints("pad") ?? [], value: c.double("value") ?? 0)]
        default: return nil
        }
    }

    func testEveryCaseMatchesPyTorch() throws {
        let cases = try Self.loadCases()
        XCTAssertGreaterThan(cases.count, 100)
        for c in cases {
            do {
                guard let got = try Self.run(c) else {
                    XCTFail("\(c.name): op '\(c.op)' has no runner in OpFixtureTests")
                    continue
                }
                XCTAssertEqual(got.count, c.outputs.count, "\(c.name): number of outputs")
                for (g, e) in zip(got, c.outputs) {
                    XCTAssertEqual(g.shape, e.shape, "\(c.name): shape")
                    XCTAssertEqual(g.dtype, e.dtype, "\(c.name): dtype")
                    guard g.shape == e.shape else { continue }
                    if e.dtype.isFloatingPoint {
                        let a = g.to(.float64).scalars(), b = e.to(.float64).scalars()
                        let tolerance = c.op.hasPrefix("conv") || c.op.hasPrefix("matmul") || c.op == "linear" ? 1e-4 : 1e-5
                        var worst = 0.0
                        for (p, q) in zip(a, b) {
                            if p.isNaN && q.isNaN { continue }
                            if p == q { continue }
                            worst = Swift.max(worst, abs(p - q) / Swift.max(1, abs(q)))
                        }
                        XCTAssertLessThanOrEqual(worst, tolerance, "\(c.name): max relative error")
                    } else {
                        XCTAssertEqual(g.integers(), e.integers(), "\(c.name): values")
                    }
                }
            } catch {
                XCTFail("\(c.name): threw \(error)")
            }
        }
    }
}
