/// The op names an ops version knows (docs/offline-format.md, "Ops version 1").
///
/// This is the seam to the engine: its `Op` enum maps each case to one of these names. A new op
/// is added here together with a bump of `OfflineFormat.opsVersion`.
public struct OfflineOpSet: Equatable, Sendable {
    public var version: UInt16
    public var names: Set<String>

    public init(version: UInt16, names: Set<String>) {
        self.version = version
        self.names = names
    }

    /// Ops version 1.
    public static let version1 = OfflineOpSet(version: 1, names: [
        "conv2d", "conv_transpose2d", "linear", "batch_norm2d",
        "relu", "relu6", "leaky_relu", "sigmoid", "tanh", "silu", "hardswish", "hardsigmoid", "elu",
        "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "upsample_nearest2d", "upsample_bilinear2d",
        "add", "sub", "mul", "div", "cat", "flatten", "reshape", "permute", "transpose", "softmax", "mean",
        "pad", "quantize", "dequantize", "cast", "identity",
    ])

    /// The op set this build reads and writes.
    public static let current = version1
}
