/// Errors about the chosen device configuration.
public enum DeviceError: Error, Equatable, CustomStringConvertible {
    case invalidCoreNumber(Int, coreVersion: CoreVersion, valid: [Int])
    case unknownCoreVersion(String)

    public var description: String {
        switch self {
        case let .invalidCoreNumber(n, version, valid):
            return "core number \(n) is not valid for \(version.rawValue); valid values: \(valid.map(String.init).joined(separator: ", "))"
        case let .unknownCoreVersion(name):
            return "unknown core version '\(name)'; valid values: \(CoreVersion.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }
}

/// Checks `coreNumber` against what `ct.set_core_number` accepts for `version`
/// (MLU270: 1, 4, 16; MLU220: 1, 4).
///
/// - Throws: `DeviceError.invalidCoreNumber`, whose message lists the valid values.
public func validateCoreNumber(_ coreNumber: Int, for version: CoreVersion) throws {
    let valid = DeviceProfile.profile(for: version).validCoreNumbers.value
    guard valid.contains(coreNumber) else {
        throw DeviceError.invalidCoreNumber(coreNumber, coreVersion: version, valid: valid)
    }
}

extension CoreVersion {
    /// Parses Cambricon's spelling ("MLU220", "MLU270"), case-insensitively.
    ///
    /// - Throws: `DeviceError.unknownCoreVersion`, listing the valid names.
    public init(parsing name: String) throws {
        guard let v = CoreVersion(rawValue: name.uppercased()) else { throw DeviceError.unknownCoreVersion(name) }
        self = v
    }
}
