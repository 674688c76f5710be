import MLU
import Quantization

/// `torch_mlu.core.mlu_model` (imported `as ct`): the emulated device handle, the compile settings and
/// offline generation (reference §4).
///
/// Importing it installs the MLU backend (quantized layers run on `ct.mlu_device()`) and the quantizer's
/// graph support, so that `torch.jit.trace` records quantized layers and fused mode runs them with the
/// same integer arithmetic as layer-by-layer mode.
enum MLUDeviceModule {
    static func make(_ interpreter: Interpreter) -> Module {
        MLUBackend.install()
        QuantizedGraphSupport.install()
        let m = Module(name: "torch_mlu.core.mlu_model")
        m.addFunction("mlu_device") { args in
            let b = try BoundArguments(args, ["n"])
            let i = try b.int("n", 0)
            guard i == 0 else { throw ScriptError.valueError("mlu_device(\(i)): mlus emulates one MLU, device 0") }
            return .native(DeviceObject(.mlu(index: 0)))
        }
        // save_as_cambricon, set_core_number/version, set_input_format, set_device and their getters,
        // backed by OfflineGenerationSettings.shared, which torch.jit.trace reads.
        CambriconBindings.install(into: m)
        return m
    }
}
