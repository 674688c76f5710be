/// Errors of the `ct` settings that `DeviceError` does not cover.
public enum RuntimeSettingsError: Error, Equatable, CustomStringConvertible {
    case invalidInputFormat(Int)
    case invalidDevice(Int)
    case invalidModelName(String)

    public var description: String {
        switch self {
        case let .invalidInputFormat(k):
            return "set_input_format(\(k)): the input format is 0 (rgba), 1 (argb), 2 (bgra) or 3 (abgr)"
        case let .invalidDevice(i):
            return "set_device(\(i)): mlus emulates one MLU, device 0; -1 selects the fake device for offline generation"
        case let .invalidModelName(name):
            return "save_as_cambricon('\(name)'): give a file name without extension (e.g. 'out/carseg_int8'), not a directory"
        }
    }
}
