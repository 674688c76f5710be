import Foundation
import NN
import Ops

/// Registration points through which the quantizer plugs into fused mode and offline generation,
/// without this module knowing the quantizer's layer classes.
///
/// - `quantizedKernel` runs graph nodes that carry `NodeQuantization` (integer Conv/Linear on the MLU).
///   Without one, running such a node is `GraphError.missingQuantizedKernel` naming the node.
/// - `quantizationOfModule` tells `torch.jit.trace` which modules are quantized layers and with which
///   scales; the tracer then marks the node whose weight is that module's `weight` constant.
///
/// A quantized layer must also be visible to the tracer: its forward on MLU tensors has to go through
/// `Dispatcher.run` (e.g. the float `conv2d` op, which the registered `quantizedKernel` then computes in
/// integers) rather than calling integer kernels directly. An MLU trace in which a tensor appears that
/// no traced op produced is rejected (`TraceRuntimeError.untracedComputation`) instead of silently
/// freezing that tensor into a constant.
public enum GraphRuntime {
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var kernel: QuantizedNodeKernel?
        var quantization: ((NN.Module) -> NodeQuantization?)?
    }
    private static let box = Box()

    /// The kernel for quantized nodes (set by the quantization module when it is loaded).
    public static var quantizedKernel: QuantizedNodeKernel? {
        get { box.lock.lock(); defer { box.lock.unlock() }; return box.kernel }
        set { box.lock.lock(); box.kernel = newValue; box.lock.unlock() }
    }

    /// Returns a module's quantization (scales, dtype) when it is a quantized layer, else nil.
    public static var quantizationOfModule: ((NN.Module) -> NodeQuantization?)? {
        get { box.lock.lock(); defer { box.lock.unlock() }; return box.quantization }
        set { box.lock.lock(); box.quantization = newValue; box.lock.unlock() }
    }

    /// The quantized layers of `module` by the state_dict prefix of their weight (`enc1.0.0`),
    /// as `quantizationOfModule` reports them; empty when no provider is registered.
    public static func quantizedLayers(of module: NN.Module) -> [String: NodeQuantization] {
        guard let provider = quantizationOfModule else { return [:] }
        var out = [String: NodeQuantization]()
        for (path, m) in module.namedModules() {
            if let q = provider(m) { out[path] = q }
        }
        return out
    }
}
