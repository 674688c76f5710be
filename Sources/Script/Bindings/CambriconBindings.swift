import MLU

/// The offline-generation half of `torch_mlu.core.mlu_model` (`ct`, reference cambricon.md §4):
/// `save_as_cambricon`, `set_core_number`, `set_core_version`, `set_input_format`, `set_device`,
/// backed by `OfflineGenerationSettings.shared`, which `torch.jit.trace` reads.
///
/// `MLUDeviceModule` (the `ct` module) calls `install(into:)` to add these functions.
public enum CambriconBindings {
    /// Adds the functions to `module` (replacing members of the same name).
    public static func install(into module: Module, settings: OfflineGenerationSettings = .shared) {
        module.addFunction("save_as_cambricon") { args in
            let b = try BoundArguments(args, ["name", "checkpoint"], required: 1)
            if let checkpoint = b["checkpoint"] {
                guard case .str(let path) = checkpoint else {
                    throw ScriptError.typeError("save_as_cambricon(): checkpoint must be a str path, not \(Convert.typeName(checkpoint))")
                }
                settings.setSourceCheckpoint(path)
            }
            try settingsCall { try settings.saveAsCambricon(try b.string("name", "")) }
            return .none
        }
        module.addFunction("set_core_number") { args in
            let b = try BoundArguments(args, ["core_number"], required: 1)
            let n = try b.int("core_number", 1)
            try settingsCall { try settings.setCoreNumber(n) }
            return .none
        }
        module.addFunction("get_core_number") { _ in .int(settings.coreNumber) }
        module.addFunction("set_core_version") { args in
            let b = try BoundArguments(args, ["core_version"], required: 1)
            let v = try b.string("core_version", "")
            try settingsCall { try settings.setCoreVersion(v) }
            return .none
        }
        module.addFunction("get_core_version") { _ in .str(settings.coreVersion.rawValue) }
        module.addFunction("set_input_format") { args in
            let b = try BoundArguments(args, ["input_format"], required: 1)
            let k = try b.int("input_format", 0)
            try settingsCall { try settings.setInputFormat(k) }
            return .none
        }
        module.addFunction("get_input_format") { _ in .int(settings.inputFormat) }
        module.addFunction("set_device") { args in
            let b = try BoundArguments(args, ["device"], required: 1)
            let i = try b.int("device", 0)
            try settingsCall { try settings.setDevice(i) }
            return .none
        }
        module.addFunction("get_device") { _ in .int(settings.deviceIndex) }
    }

    /// Settings errors as Python ValueErrors carrying the message (which lists the valid values).
    private static func settingsCall(_ body: () throws -> Void) throws {
        do { try body() } catch let e as DeviceError {
            throw ScriptError.valueError(e.description)
        } catch let e as RuntimeSettingsError {
            throw ScriptError.valueError(e.description)
        }
    }
}
