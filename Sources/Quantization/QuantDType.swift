/// The integer types the MLU200 quantizer produces (Catch accepts `'int8'` and `'int16'` only;
/// the hardware's int4 is not reachable from the PyTorch flow — reference §1.4).
public enum QuantDType: String, CaseIterable, Sendable {
    case int8, int16

    /// Largest representable value; also the numerator of Catch's scale `qmax / absmax`.
    public var qmax: Float { self == .int8 ? 127 : 32767 }
    /// Smallest representable value; reachable only through rounding and clamping, since scale maps absmax to qmax.
    public var qmin: Float { self == .int8 ? -128 : -32768 }
    /// Bits per value.
    public var bitWidth: Int { self == .int8 ? 8 : 16 }

    /// The `quantized_mode` code Catch stores: 1 int8, 2 int16; 3 and 4 are the per-channel runtime modes.
    public func quantizedMode(perChannel: Bool) -> Int32 {
        switch (self, perChannel) {
        case (.int8, false): return 1
        case (.int16, false): return 2
        case (.int8, true): return 3
        case (.int16, true): return 4
        }
    }

    /// Parses Catch's stored mode (1–4) back into a type and a per-channel flag.
    public init?(quantizedMode: Int) {
        switch quantizedMode {
        case 1, 3: self = .int8
        case 2, 4: self = .int16
        default: return nil
        }
    }

    /// Parses the user's `dtype=` argument with Catch's error for anything else.
    public static func parse(_ name: String) throws -> QuantDType {
        guard let value = QuantDType(rawValue: name) else {
            throw QuantizationError.invalidArgument("Unknow dtype for quantization: '\(name)' (use 'int8' or 'int16')")
        }
        return value
    }
}

/// Errors of the quantizer; messages name the layer, the key or the value at fault.
public enum QuantizationError: Error, CustomStringConvertible, Equatable {
    case invalidArgument(String)
    case invalidConfig(key: String, message: String)
    case notCalibrated(layer: String)

    public var description: String {
        switch self {
        case .invalidArgument(let message): return message
        case .invalidConfig(let key, let message): return "qconfig '\(key)': \(message)"
        case .notCalibrated(let layer):
            return "layer '\(layer)' has no calibration data: run forwards on the quantize_dynamic_mlu(..., gen_quant=True) model before state_dict()"
        }
    }
}
