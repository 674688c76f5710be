import Ops
import Tensors

/// Batch normalisation over dimension 1 (`nn.BatchNorm1d`/`2d`). Eval mode uses the running statistics;
/// train mode normalises with the batch's statistics and updates the running ones (momentum, or a
/// cumulative average when momentum is nil).
open class BatchNormBase: Module {
    public let numFeatures: Int
    public let eps: Double
    public let momentum: Double?
    public let affine: Bool
    public let trackRunningStats: Bool
    let acceptedRanks: [Int]

    init(layer: String, numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, trackRunningStats: Bool, bias: Bool,
         ranks: [Int]) throws {
        guard numFeatures > 0 else { throw NNError.invalidArgument(layer: layer, message: "num_features must be positive, got \(numFeatures)") }
        guard eps > 0 else { throw NNError.invalidArgument(layer: layer, message: "eps must be positive, got \(eps)") }
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.trackRunningStats = trackRunningStats
        self.acceptedRanks = ranks
        super.init()
        try registerParameter("weight", affine ? Tensor.ones([numFeatures]) : nil)
        try registerParameter("bias", affine && bias ? Tensor.zeros([numFeatures]) : nil)
        if trackRunningStats {
            try registerBuffer("running_mean", Tensor.zeros([numFeatures]))
            try registerBuffer("running_var", Tensor.ones([numFeatures]))
            try registerBuffer("num_batches_tracked", Tensor(scalar: 0, dtype: .int64))
        } else {
            try registerBuffer("running_mean", nil)
            try registerBuffer("running_var", nil)
            try registerBuffer("num_batches_tracked", nil)
        }
    }

    open override var extraRepr: String {
        "\(numFeatures), eps=\(PythonRepr.float(eps)), momentum=\(momentum.map(PythonRepr.float) ?? "None"), affine=\(PythonRepr.bool(affine)), bias=\(PythonRepr.bool(parameter("bias") != nil)), track_running_stats=\(PythonRepr.bool(trackRunningStats))"
    }

    open override func forward(_ x: Tensor) throws -> Tensor {
        try require(acceptedRanks.contains(x.rank), "expected \(acceptedRanks.map { "\($0)D" }.joined(separator: " or ")) input (got \(x.rank)D input, shape \(x.shape))")
        try require(x.shape[1] == numFeatures, "expected input with \(numFeatures) channels, got \(x.shape[1]) (input shape \(x.shape))")
        let useBatchStats = training || !trackRunningStats
        return try runLayer {
            let weight = parameter("weight"), bias = parameter("bias")
            guard useBatchStats else {
                guard let mean = buffer("running_mean"), let variance = buffer("running_var") else {
                    throw TensorError.invalidArgument("running statistics are None")
                }
                return try TensorOps.batchNorm(x, mean: mean, variance: variance, weight: weight, bias: bias, eps: eps)
            }
            let dims = [0] + Array(2..<x.rank)
            let perChannel = x.count / numFeatures
            guard perChannel > 1 else {
                throw TensorError.invalidArgument("Expected more than 1 value per channel when training, got input size \(x.shape)")
            }
            var statShape = [Int](repeating: 1, count: x.rank)
            statShape[1] = numFeatures
            let mean = try TensorOps.mean(x, dims: dims)
            let centered = try TensorOps.sub(x, TensorOps.reshape(mean, statShape))
            let variance = try TensorOps.mean(TensorOps.mul(centered, centered), dims: dims)
            if training && trackRunningStats, let runningMean = buffer("running_mean"), let runningVar = buffer("running_var") {
                let tracked = (try buffer("num_batches_tracked")?.item() ?? 0) + 1
                try registerBuffer("num_batches_tracked", Tensor(scalar: tracked, dtype: .int64))
                let factor = momentum ?? (1 / tracked)
                let unbiased = try TensorOps.arithmetic(.mul, variance, scalar: Double(perChannel) / Double(perChannel - 1))
                let newMean = try TensorOps.add(TensorOps.arithmetic(.mul, runningMean, scalar: 1 - factor),
                                                TensorOps.arithmetic(.mul, mean, scalar: factor))
                let newVar = try TensorOps.add(TensorOps.arithmetic(.mul, runningVar, scalar: 1 - factor),
                                               TensorOps.arithmetic(.mul, unbiased, scalar: factor))
                try registerBuffer("running_mean", newMean.to(runningMean.dtype))
                try registerBuffer("running_var", newVar.to(runningVar.dtype))
            }
            return try TensorOps.batchNorm(x, mean: mean, variance: variance, weight: weight, bias: bias, eps: eps)
        }
    }
}

/// `nn.BatchNorm2d`: input [N, C, H, W].
open class BatchNorm2d: BatchNormBase {
    /// `bias: false` drops the shift parameter (PyTorch 2.x keyword; 1.3 always has it when affine).
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, trackRunningStats: Bool = true,
                bias: Bool = true) throws {
        try super.init(layer: "BatchNorm2d", numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                       trackRunningStats: trackRunningStats, bias: bias, ranks: [4])
    }
}

/// `nn.BatchNorm1d`: input [N, C] or [N, C, L].
open class BatchNorm1d: BatchNormBase {
    /// `bias: false` drops the shift parameter (PyTorch 2.x keyword; 1.3 always has it when affine).
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, trackRunningStats: Bool = true,
                bias: Bool = true) throws {
        try super.init(layer: "BatchNorm1d", numFeatures: numFeatures, eps: eps, momentum: momentum, affine: affine,
                       trackRunningStats: trackRunningStats, bias: bias, ranks: [2, 3])
    }
}
