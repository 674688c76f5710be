import Tensors

/// The seam between the CNRT-style runtime and whatever runs an offline graph.
///
/// `CNRTFunction.invoke` checks the inputs against the model's descriptors, calls `execute`, then
/// checks the outputs the same way, so an executor can trust its inputs and is held to the
/// model's declared outputs. The engine's fused-graph executor implements this protocol: it reads
/// `function.graph` (nodes in topological order, op names from `OfflineOpSet`) and
/// `function.constants` (borrowed from the file mapping).
public protocol OfflineExecutor {
    /// Runs `function` on `inputs` and returns its outputs.
    ///
    /// - Parameter inputs: one tensor per input descriptor, contiguous, with the descriptor's
    ///   dtype and shape (NHWC).
    /// - Returns: one tensor per output descriptor, with its dtype and shape.
    func execute(_ function: CNRTFunction, inputs: [Tensor]) throws -> [Tensor]
}
