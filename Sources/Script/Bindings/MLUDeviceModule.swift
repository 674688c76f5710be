import Foundation
import MLU
import Quantization
import Tensors

/// The compile settings a porting script sets through `ct` (reference §4), kept for the offline-model
/// generator: core number (validated against the core version), core version, input format, device.
final class MLUSettings: @unchecked Sendable {
    static let shared = MLUSettings()
    private let lock = NSLock()
    private(set) var coreVersion: CoreVersion = .mlu270
    private(set) var coreNumber = 1
    /// `ct.set_input_format`: 0 rgba, 1 argb, 2 bgra, 3 abgr (genoff's default 0).
    private(set) var inputFormat = 0
    /// `ct.set_device`: -1 is the "fake device" used to generate offline models without a card.
    private(set) var deviceIndex = 0

    static let inputFormats = ["rgba", "argb", "bgra", "abgr"]

    func setCoreNumber(_ n: Int) throws {
        lock.lock(); defer { lock.unlock() }
        try validateCoreNumber(n, for: coreVersion)
        coreNumber = n
    }

    func setCoreVersion(_ name: String) throws {
        lock.lock(); defer { lock.unlock() }
        let v = try CoreVersion(parsing: name)
        try validateCoreNumber(coreNumber, for: v)
        coreVersion = v
    }

    func setInputFormat(_ k: Int) throws {
        guard MLUSettings.inputFormats.indices.contains(k) else {
            throw ScriptError.valueError("set_input_format(\(k)): the input format is 0 (rgba), 1 (argb), 2 (bgra) or 3 (abgr)")
        }
        lock.lock(); defer { lock.unlock() }
        inputFormat = k
    }

    func setDevice(_ i: Int) throws {
        guard i == -1 || i == 0 else {
            throw ScriptError.valueError("set_device(\(i)): mlus emulates one MLU, device 0; -1 selects the fake device for offline generation")
        }
        lock.lock(); defer { lock.unlock() }
        deviceIndex = i
    }
}

/// `torch_mlu.core.mlu_model` (imported `as ct`): the emulated device handle and the compile settings.
enum MLUDeviceModule {
    static func make(_ interpreter: Interpreter) -> Module {
        MLUBackend.install()
        let m = Module(name: "torch_mlu.core.mlu_model")
        let settings = MLUSettings.shared
        m.addFunction("mlu_device") { args in
            let b = try BoundArguments(args, ["n"])
            let i = try b.int("n", 0)
            guard i == 0 else { throw ScriptError.valueError("mlu_device(\(i)): mlus emulates one MLU, device 0") }
            return .native(DeviceObject(.mlu(index: 0)))
        }
        m.addFunction("set_core_number") { args in
            let b = try BoundArguments(args, ["core_number"], required: 1)
            try bridge { try settings.setCoreNumber(try b.int("core_number", 1)) }
            return .none
        }
        m.addFunction("get_core_number") { _ in .int(settings.coreNumber) }
        m.addFunction("set_core_version") { args in
            let b = try BoundArguments(args, ["core_version"], required: 1)
            try bridge { try settings.setCoreVersion(try b.string("core_version", "")) }
            return .none
        }
        m.addFunction("get_core_version") { _ in .str(settings.coreVersion.rawValue) }
        m.addFunction("set_input_format") { args in
            let b = try BoundArguments(args, ["input_format"], required: 1)
            try settings.setInputFormat(try b.int("input_format", 0))
            return .none
        }
        m.addFunction("get_input_format") { _ in .int(settings.inputFormat) }
        m.addFunction("set_device") { args in
            let b = try BoundArguments(args, ["device"], required: 1)
            try settings.setDevice(try b.int("device", 0))
            return .none
        }
        m.addFunction("get_device") { _ in .int(settings.deviceIndex) }
        CambriconBindings.install(into: m)   // offline generation: save_as_cambricon & the target settings
        QuantizedGraphSupport.install()
        return m
    }
}
