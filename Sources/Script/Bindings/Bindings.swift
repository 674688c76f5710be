import MLU
/// Installs the native modules a porting script imports: `torch`, `torch.nn`, `torch.nn.functional`,
/// `numpy`, `image`, `torch.jit`, `cnrt`. Call once per interpreter, before running code.
public func installBindings(into interpreter: Interpreter) {
    QuantizedGraphSupport.install()   // so cnrt runs int8/int16 offline models without importing ct
    interpreter.modules.register("torch") { JITModule.attach(to: TorchModule.make($0), $0) }
    interpreter.modules.register("torch.nn") { TorchNNModule.make($0) }
    interpreter.modules.register("torch.nn.functional") { TorchNNModule.makeFunctional($0) }
    interpreter.modules.register("numpy") { MediaModules.makeNumpy($0) }
    interpreter.modules.register("image") { MediaModules.makeImage($0) }
    interpreter.modules.register("torch_mlu.core.mlu_quantize") { QuantizeModule.make($0) }
    interpreter.modules.register("torch_mlu.core.mlu_model") { MLUDeviceModule.make($0) }
    interpreter.modules.register("torch.jit") { JITModule.make($0) }
    interpreter.modules.register("cnrt") { CNRTModule.make($0) }
    interpreter.modules.register("mlu_performance") { PerformanceModule.make($0) }
}
