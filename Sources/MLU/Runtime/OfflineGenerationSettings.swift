import Foundation

/// The `ct` state that offline generation reads (reference cambricon.md §4): target core version and
/// core number, input channel order, the fake-device flag, and the name armed by
/// `ct.save_as_cambricon(name)`.
///
/// Process-wide (`shared`), as Catch's settings are: a script sets them through `ct`, and the next
/// run of a traced module reads them. Thread-safe. Every setter validates before it changes anything,
/// so a rejected call leaves the previous settings in place.
public final class OfflineGenerationSettings: @unchecked Sendable {
    /// The settings `ct` and `torch.jit.trace` share.
    public static let shared = OfflineGenerationSettings()

    /// What a traced run needs to write one offline model.
    public struct Armed: Equatable, Sendable {
        /// Path without extension: `name.cambricon` and `name.cambricon_twins` are written.
        public var name: String
        /// Distinguishes successive `save_as_cambricon` calls, so each arming writes once.
        public var generation: Int
    }

    /// Input channel orders of `ct.set_input_format`, by index (genoff's help text).
    public static let inputFormatNames = ["rgba", "argb", "bgra", "abgr"]

    private let lock = NSLock()
    private var _coreVersion: CoreVersion = .mlu270
    private var _coreNumber = 1
    private var _inputFormat = 0
    private var _deviceIndex = 0
    private var _armed: Armed?
    private var _written = false
    private var _generation = 0
    private var _sourceCheckpoint: String?

    public init() {}

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    /// Target architecture (default MLU270, genoff's default).
    public var coreVersion: CoreVersion { locked { _coreVersion } }
    /// Cores the model is compiled for; becomes `Model Parallelism` in the twins file (default 1).
    public var coreNumber: Int { locked { _coreNumber } }
    /// 0 rgba, 1 argb, 2 bgra, 3 abgr (default 0): the 4-channel order of firstconv models.
    public var inputFormat: Int { locked { _inputFormat } }
    /// 0, or -1 for the "fake device" genoff uses to generate without a card.
    public var deviceIndex: Int { locked { _deviceIndex } }
    /// The armed name, or nil when generation is off.
    public var armed: Armed? { locked { _armed } }
    /// The checkpoint whose SHA-256 goes into the provenance, when known.
    public var sourceCheckpoint: String? { locked { _sourceCheckpoint } }

    /// `ct.set_core_number(n)`.
    /// - Throws: `DeviceError.invalidCoreNumber` listing the values valid for the current core version.
    public func setCoreNumber(_ n: Int) throws {
        try locked {
            try validateCoreNumber(n, for: _coreVersion)
            _coreNumber = n
        }
    }

    /// `ct.set_core_version("MLU220" | "MLU270")`, case-insensitive.
    /// - Throws: `DeviceError.unknownCoreVersion`; `DeviceError.invalidCoreNumber` when the current
    ///   core number is not valid on the new version (MLU220 takes at most 4 cores: set it first).
    public func setCoreVersion(_ name: String) throws {
        let version = try CoreVersion(parsing: name)
        try locked {
            try validateCoreNumber(_coreNumber, for: version)
            _coreVersion = version
        }
    }

    /// `ct.set_input_format(k)`.
    /// - Throws: `RuntimeSettingsError.invalidInputFormat` unless 0...3.
    public func setInputFormat(_ k: Int) throws {
        guard Self.inputFormatNames.indices.contains(k) else { throw RuntimeSettingsError.invalidInputFormat(k) }
        locked { _inputFormat = k }
    }

    /// `ct.set_device(i)`: 0 (the emulated card) or -1 (fake device, generation only).
    /// - Throws: `RuntimeSettingsError.invalidDevice`.
    public func setDevice(_ i: Int) throws {
        guard i == 0 || i == -1 else { throw RuntimeSettingsError.invalidDevice(i) }
        locked { _deviceIndex = i }
    }

    /// `ct.save_as_cambricon(name)`: arms generation; `""` disarms.
    /// - Throws: `RuntimeSettingsError.invalidModelName` for a name ending in "/" or naming a directory.
    public func saveAsCambricon(_ name: String) throws {
        if name.isEmpty {
            locked { _armed = nil; _written = false }
            return
        }
        var isDirectory: ObjCBool = false
        if name.hasSuffix("/") || (FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw RuntimeSettingsError.invalidModelName(name)
        }
        locked {
            _generation += 1
            _armed = Armed(name: name, generation: _generation)
            _written = false
        }
    }

    /// Records the checkpoint a script loaded last (`torch.load`), the default source for provenance.
    public func noteCheckpointLoaded(_ path: String) {
        locked { _sourceCheckpoint = path }
    }

    /// Sets or clears the source checkpoint explicitly.
    public func setSourceCheckpoint(_ path: String?) {
        locked { _sourceCheckpoint = path }
    }

    /// The armed name if no traced run has written for this arming yet, marking it written:
    /// the first run after `save_as_cambricon(name)` writes the model, later runs do not.
    public func claimPendingGeneration() -> Armed? {
        locked {
            guard let a = _armed, !_written else { return nil }
            _written = true
            return a
        }
    }

    /// Gives a claim back (the write failed), so the next run tries again.
    public func releaseClaim(_ armed: Armed) {
        locked { if _armed == armed { _written = false } }
    }

    /// Back to the defaults (tests, `%reset`).
    public func reset() {
        locked {
            _coreVersion = .mlu270; _coreNumber = 1; _inputFormat = 0; _deviceIndex = 0
            _armed = nil; _written = false; _sourceCheckpoint = nil
        }
    }
}
