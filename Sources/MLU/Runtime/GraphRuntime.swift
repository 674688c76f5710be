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
/// - `tracingInstaller` lets layers that compute outside the dispatcher record their own node.
///
/// A quantized layer must be visible to the tracer: its forward on MLU tensors either goes through
/// `Dispatcher.run`, or records itself through `tracingInstaller`. An MLU trace in which a tensor appears that
/// no traced op produced is rejected (`TraceRuntimeError.untracedComputation`) instead of silently
/// freezing that tensor into a constant.
public enum GraphRuntime {
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var kernel: QuantizedNodeKernel?
        var quantization: ((NN.Module) -> NodeQuantization?)?
        var installer: ((NN.Module, Tracer) -> () -> Void)?
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

    /// Lets layers that compute outside the dispatcher record their node while `module` is traced:
    /// called with the traced module and the tracer before the forward runs; the closure it returns
    /// undoes the installation after the trace. A quantized layer records itself with
    /// `tracer.record(.conv2d(attributes), inputs: [x, weight, bias], outputs: [y])`, passing its own
    /// parameter tensors so the node is named after the layer and gets its `NodeQuantization`.
    public static var tracingInstaller: ((NN.Module, Tracer) -> () -> Void)? {
        get { box.lock.lock(); defer { box.lock.unlock() }; return box.installer }
        set { box.lock.lock(); box.installer = newValue; box.lock.unlock() }
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
