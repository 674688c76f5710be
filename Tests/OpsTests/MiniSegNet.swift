import Tensors
@testable import Ops

/// A CarSegNet-shaped network written with `TensorOps` calls (no NN module needed): two Conv-BN-ReLU
/// encoder blocks, bilinear ×2 upsampling, a skip concatenation, a decoder Conv-BN-ReLU, a 1×1 head with
/// bias, bilinear resize to the input size, sigmoid, and `[0, 0]` (CarSegNet's `forward`).
struct MiniSegNet {
    struct Block {
        var weight: Tensor, mean: Tensor, variance: Tensor, gamma: Tensor, beta: Tensor
        var stride: Int

        init(_ cin: Int, _ cout: Int, stride: Int, _ gen: Generator) throws {
            weight = try Tensor.randn([cout, cin, 3, 3], generator: gen).binary(.mul, scalar: 0.3)
            mean = try Tensor.randn([cout], generator: gen).binary(.mul, scalar: 0.1)
            variance = try Tensor.rand([cout], generator: gen).binary(.add, scalar: 0.5)
            gamma = try Tensor.rand([cout], generator: gen).binary(.add, scalar: 0.5)
            beta = try Tensor.randn([cout], generator: gen).binary(.mul, scalar: 0.1)
            self.stride = stride
        }

        func callAsFunction(_ x: Tensor, scope: String, tracer: Tracer?) throws -> Tensor {
            tracer?.pushScope(scope)
            defer { tracer?.popScope() }
            func sub<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
                tracer?.pushScope(name)
                defer { tracer?.popScope() }
                return try body()
            }
            let attributes = Conv2dAttributes(stride: [stride, stride], padding: [1, 1])
            let c = try sub("0") { try TensorOps.conv2d(x, weight: weight, bias: nil, attributes) }
            let b = try sub("1") { try TensorOps.batchNorm(c, mean: mean, variance: variance, weight: gamma, bias: beta, eps: 1e-5) }
            return try sub("2") { try TensorOps.relu(b) }
        }
    }

    var enc1: Block, enc2: Block, dec1: Block
    var headWeight: Tensor, headBias: Tensor

    init(seed: UInt64 = 7) throws {
        let gen = Generator(seed: seed)
        enc1 = try Block(3, 8, stride: 2, gen)
        enc2 = try Block(8, 8, stride: 2, gen)
        dec1 = try Block(16, 8, stride: 1, gen)
        headWeight = try Tensor.randn([1, 8, 1, 1], generator: gen).binary(.mul, scalar: 0.5)
        headBias = try Tensor.randn([1], generator: gen)
    }

    func forward(_ x: Tensor, tracer: Tracer? = nil) throws -> Tensor {
        let e1 = try enc1(x, scope: "enc1", tracer: tracer)
        let e2 = try enc2(e1, scope: "enc2", tracer: tracer)
        let up = try TensorOps.interpolate(e2, InterpolateAttributes(scaleFactor: [2], mode: .bilinear, alignCorners: false))
        let d1 = try dec1(try TensorOps.cat([up, e1], dim: 1), scope: "dec1", tracer: tracer)
        tracer?.pushScope("head")
        let logit = try TensorOps.conv2d(d1, weight: headWeight, bias: headBias)
        tracer?.popScope()
        let full = try TensorOps.interpolate(logit, InterpolateAttributes(size: [x.shape[2], x.shape[3]], mode: .bilinear, alignCorners: false))
        return try TensorOps.index(try TensorOps.sigmoid(full), [.at(0), .at(0)])
    }

    /// Traces `forward` on `example`.
    func trace(_ example: Tensor) throws -> Graph {
        try Tracer.trace(inputs: [example], inputNames: ["x"]) { inputs in [try forward(inputs[0], tracer: nil)] }
    }

    /// Traces with module scopes.
    func traceWithScopes(_ example: Tensor) throws -> Graph {
        let tracer = Tracer()
        try tracer.registerInput(example, name: "x")
        let out = try Dispatcher.shared.recording(with: tracer) { try forward(example, tracer: tracer) }
        return try tracer.finish(outputs: [out])
    }
}
