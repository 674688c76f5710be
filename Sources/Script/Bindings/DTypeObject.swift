import Tensors

/// `torch.float32` and friends: prints as PyTorch does, compares by dtype.
final class DTypeObject: NativeObject {
    let dtype: DType
    init(_ dtype: DType) { self.dtype = dtype }

    var typeName: String { "dtype" }
    func repr(context: NativeContext) throws -> String { dtype.torchName }
    func isEqual(to other: NativeObject) -> Bool { (other as? DTypeObject)?.dtype == dtype }
    func hash(into hasher: inout Hasher) { hasher.combine(dtype) }
    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? {
        guard case .native(let n) = other, let o = n as? DTypeObject else { return op == .ne ? .bool(true) : (op == .eq ? .bool(false) : nil) }
        switch op {
        case .eq: return .bool(o.dtype == dtype)
        case .ne: return .bool(o.dtype != dtype)
        default: return nil
        }
    }
    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "is_floating_point": return .bool(dtype.isFloatingPoint)
        case "itemsize": return .int(dtype.itemSize)
        default: return nil
        }
    }

    /// The names `torch` exports for each dtype, aliases included.
    static let exported: [(String, DType)] = [
        ("float32", .float32), ("float", .float32), ("float64", .float64), ("double", .float64),
        ("float16", .float16), ("half", .float16), ("bfloat16", .bfloat16),
        ("int64", .int64), ("long", .int64), ("int32", .int32), ("int", .int32),
        ("int16", .int16), ("short", .int16), ("int8", .int8), ("uint8", .uint8), ("bool", .bool),
    ]

    /// A dtype argument: a `torch.dtype`, or the strings NumPy-style code passes (`"float32"`).
    static func parse(_ value: Value, _ what: String) throws -> DType {
        if case .native(let n) = value, let d = n as? DTypeObject { return d.dtype }
        if case .str(let s) = value, let d = exported.first(where: { $0.0 == s })?.1 { return d }
        throw ScriptError.typeError("\(what) must be a torch.dtype, not \(Convert.typeName(value))")
    }
}

/// `torch.device('cpu')`, `ct.mlu_device()`: where a tensor or module lives.
final class DeviceObject: NativeObject {
    let device: Device
    init(_ device: Device) { self.device = device }

    var typeName: String { "device" }
    func repr(context: NativeContext) throws -> String {
        switch device {
        case .cpu: return "device(type='cpu')"
        case .mlu(let i): return "device(type='mlu', index=\(i))"
        }
    }
    func str(context: NativeContext) throws -> String { device.description }
    func isEqual(to other: NativeObject) -> Bool { (other as? DeviceObject)?.device == device }
    func hash(into hasher: inout Hasher) { hasher.combine(device) }
    func compare(_ op: CompareOperator, _ other: Value, context: NativeContext) throws -> Value? {
        let same: Bool
        if case .native(let n) = other, let o = n as? DeviceObject { same = o.device == device }
        else if case .str(let s) = other { same = (try? DeviceObject.parse(.str(s), "device")) == device }
        else { same = false }
        switch op {
        case .eq: return .bool(same)
        case .ne: return .bool(!same)
        default: return nil
        }
    }
    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "type": return .str(device.isMLU ? "mlu" : "cpu")
        case "index": if case .mlu(let i) = device { return .int(i) } else { return Value.none }
        default: return nil
        }
    }

    /// A device argument: a device object or a string such as `"cpu"`, `"mlu"`, `"mlu:0"`.
    static func parse(_ value: Value, _ what: String) throws -> Device {
        if case .native(let n) = value, let d = n as? DeviceObject { return d.device }
        if case .str(let s) = value {
            if s == "cpu" { return .cpu }
            if s == "mlu" { return .mlu }
            if s.hasPrefix("mlu:"), let i = Int(s.dropFirst(4)), i >= 0 { return .mlu(index: i) }
            if s.hasPrefix("cuda") {
                throw ScriptError.runtimeError("device '\(s)' is not available in mlus: use 'cpu' or ct.mlu_device()")
            }
            throw ScriptError.runtimeError("Expected one of cpu, mlu device type at start of device string: \(s)")
        }
        throw ScriptError.typeError("\(what) must be a torch.device or a string, not \(Convert.typeName(value))")
    }
}
