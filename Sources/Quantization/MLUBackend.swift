import Ops
import Tensors

/// The emulated MLU's executor for the operators that are not quantized (reference §1.6): they run in
/// FP32 on the CPU kernels, or, when an input is FP16 (`.half()` model and input), in FP32 with every
/// floating result rounded to FP16 (round to nearest even) and returned as float16.
///
/// A float convolution or linear layer reaching the MLU is an error: the MLU computes them only
/// quantized, inside `MLUConv2d`/`MLUConv1d`/`MLULinear`.
public final class MLUBackend: Backend, @unchecked Sendable {
    public let name = "mlu"
    private let cpu: Backend

    public init(cpu: Backend = CPUBackend()) { self.cpu = cpu }

    /// Installs the backend on `Dispatcher.shared` unless an MLU backend is already registered (another
    /// module's executor, or this one), so calling it on every `.to(mlu)` is cheap and never replaces one.
    public static func install() {
        if (try? Dispatcher.shared.backend(for: .mlu)) == nil {
            Dispatcher.shared.register(mlu: MLUBackend())
        }
    }

    public func execute(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor] {
        switch op {
        case .conv2d, .linear:
            throw TensorError.invalidArgument("\(op.name) is not quantized: the MLU runs convolutions and linear layers only after quantization. Quantize the model first with torch_mlu.core.mlu_quantize.quantize_dynamic_mlu (calibrate with gen_quant=True, then quantize_dynamic_mlu(model) + load_state_dict)")
        default: break
        }
        let device = inputs.first?.device ?? .mlu
        var half = inputs.contains { $0.dtype == .float16 }
        if case .cast = op { half = false }
        let hostInputs = inputs.map { t -> Tensor in
            let h = t.to(.cpu)
            return h.dtype == .float16 && half ? h.to(.float32) : h
        }
        let outputs = try cpu.execute(op, hostInputs)
        return outputs.map { t in
            let rounded = half && t.dtype.isFloatingPoint ? t.to(.float16) : t
            return rounded.to(device)
        }
    }
}
