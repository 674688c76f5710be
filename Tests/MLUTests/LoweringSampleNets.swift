import Tensors
import Ops

/// Networks written with `TensorOps` for the lowering tests.
enum LoweringSampleNets {
    struct ConvBNReLU {
        var weight, mean, variance, gamma, beta: Tensor
        var stride: Int

        init(_ cin: Int, _ cout: Int, stride: Int, _ gen: Generator) throws {
            weight = try Tensor.randn([cout, cin, 3, 3], generator: gen).binary(.mul, scalar: 0.3)
            mean = try Tensor.randn([cout], generator: gen).binary(.mul, scalar: 0.1)
            variance = try Tensor.rand([cout], generator: gen).binary(.add, scalar: 0.5)
            gamma = try Tensor.rand([cout], generator: gen).binary(.add, scalar: 0.5)
            beta = try Tensor.randn([cout], generator: gen).binary(.mul, scalar: 0.1)
            self.stride = stride
        }

        func callAsFunction(_ x: Tensor) throws -> Tensor {
            let c = try TensorOps.conv2d(x, weight: weight, bias: nil, Conv2dAttributes(stride: [stride, stride], padding: [1, 1]))
            return try TensorOps.relu(try TensorOps.batchNorm(c, mean: mean, variance: variance, weight: gamma, bias: beta, eps: 1e-5))
        }
    }

    /// CarSegNet in miniature: encoder blocks, bilinear ×2, skip cat, decoder block, 1×1 head, resize to the
    /// input, sigmoid, `[0, 0]` → an H×W map.
    struct MiniSegNet {
        var enc1, enc2, dec1: ConvBNReLU
        var headWeight, headBias: Tensor
        /// Drop the final `[0, 0]` to keep a 4-D NCHW output.
        var squeezeOutput = true

        init(seed: UInt64 = 11) throws {
            let gen = Generator(seed: seed)
            enc1 = try ConvBNReLU(3, 8, stride: 2, gen)
            enc2 = try ConvBNReLU(8, 8, stride: 2, gen)
            dec1 = try ConvBNReLU(16, 8, stride: 1, gen)
            headWeight = try Tensor.randn([1, 8, 1, 1], generator: gen).binary(.mul, scalar: 0.5)
            headBias = try Tensor.randn([1], generator: gen)
        }

        func forward(_ x: Tensor) throws -> Tensor {
            let e1 = try enc1(x)
            let e2 = try enc2(e1)
            let up = try TensorOps.interpolate(e2, InterpolateAttributes(scaleFactor: [2], mode: .bilinear, alignCorners: false))
            let d1 = try dec1(try TensorOps.cat([up, e1], dim: 1))
            let logit = try TensorOps.conv2d(d1, weight: headWeight, bias: headBias)
            let full = try TensorOps.interpolate(logit, InterpolateAttributes(size: [x.shape[2], x.shape[3]], mode: .bilinear, alignCorners: false))
            let y = try TensorOps.sigmoid(full)
            return squeezeOutput ? try TensorOps.index(y, [.at(0), .at(0)]) : y
        }

        func trace(_ example: Tensor) throws -> Graph {
            try Tracer.trace(inputs: [example], inputNames: ["image"]) { [try forward($0[0])] }
        }
    }

    /// One of every other op the offline op set carries, in a chain that runs on a 1×4×8×8 input.
    struct OpZoo {
        var linearWeight: Tensor
        var linearBias: Tensor
        var bias: Tensor
        var deconvWeight: Tensor
        var deconvBias: Tensor

        init() throws {
            let gen = Generator(seed: 5)
            deconvWeight = try Tensor.randn([4, 2, 3, 3], generator: gen).binary(.mul, scalar: 0.3)
            deconvBias = try Tensor.randn([4], generator: gen)
            linearWeight = try Tensor.randn([3, 16], generator: gen)
            linearBias = try Tensor.randn([3], generator: gen)
            bias = try Tensor.randn([1, 4, 1, 1], generator: gen)
        }

        func forward(_ x: Tensor) throws -> Tensor {
            var y = try TensorOps.leakyReLU(x, slope: 0.2)
            y = try TensorOps.elu(y, alpha: 0.7)
            y = try TensorOps.add(y, bias)
            y = try TensorOps.arithmetic(.mul, y, scalar: 1.5)
            y = try TensorOps.arithmetic(.sub, scalar: 0.25, y)
            y = try TensorOps.maxPool2d(y, Pool2dAttributes(kernel: [2, 2]))                  // 4×4
            y = try TensorOps.pad(y, [1, 1, 1, 1], value: 0.5)                                // 6×6
            y = try TensorOps.avgPool2d(y, Pool2dAttributes(kernel: [3, 3], stride: [1, 1], countIncludePad: false)) // 4×4
            y = try TensorOps.interpolate(y, InterpolateAttributes(scaleFactor: [2], mode: .nearest)) // 8×8
            y = try TensorOps.convTranspose2d(y, weight: deconvWeight, bias: deconvBias,
                                              ConvTranspose2dAttributes(stride: [2, 2], padding: [1, 1], outputPadding: [1, 1], groups: 2)) // 16×16
            y = try TensorOps.hardsigmoid(y)
            y = try TensorOps.avgPool2d(y, Pool2dAttributes(kernel: [2, 2], divisorOverride: 3))  // 8×8
            y = try TensorOps.interpolate(y, InterpolateAttributes(size: [5, 7], mode: .bilinear, alignCorners: true))
            y = try TensorOps.maxPool2d(y, Pool2dAttributes(kernel: [2, 2], stride: [1, 1], dilation: [2, 2], ceilMode: true))
            y = try TensorOps.adaptiveAvgPool2d(y, outputSize: [2, 2])
            y = try TensorOps.tanh(try TensorOps.hardswish(y))
            y = try TensorOps.dropout(y, p: 0.5, training: false)
            let m = try TensorOps.mean(y, dims: [2, 3], keepDim: true)                        // 1×4×1×1
            y = try TensorOps.div(y, try TensorOps.arithmetic(.add, m, scalar: 3))
            y = try TensorOps.transpose(try TensorOps.permute(y, [0, 2, 3, 1]), 1, 2)         // 1×2×2×4
            let flat = try TensorOps.flatten(try TensorOps.contiguous(y), startDim: 1)        // 1×16
            let z = try TensorOps.linear(flat, weight: linearWeight, bias: linearBias)         // 1×3
            let s = try TensorOps.softmax(try TensorOps.silu(z), dim: 1)
            return try TensorOps.reshape(try TensorOps.relu6(try TensorOps.arithmetic(.mul, s, scalar: 10)), [3])
        }
    }
}
