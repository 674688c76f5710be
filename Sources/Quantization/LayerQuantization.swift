import CQuantKernels
import Foundation
import NN
import Tensors

/// The quantization state of one swapped layer (`MLUConv2d`, `MLUConv1d`, `MLULinear`): its integer type,
/// scales, calibration observer and firstconv normalization.
///
/// The float scales here are the ones the integer forward uses; the module's buffers (`scale`,
/// `quantized_mode`, per-channel and firstconv keys, reference §3) mirror them for `state_dict()` and are
/// read back after a load.
public final class LayerQuantization {
    /// Dotted path of the layer in the quantized model, for messages.
    public internal(set) var name: String
    public internal(set) var dtype: QuantDType
    public internal(set) var perChannel: Bool
    /// Present while calibrating (`gen_quant=True`) until a state dict is loaded.
    public internal(set) var observer: MinMaxObserver?
    public internal(set) var firstConv: FirstConvNormalization?
    public internal(set) var inputScale: Float = 1
    /// One value, or one per output channel.
    public internal(set) var weightScales: [Float] = [1]

    /// Accuracy analysis: compute with integers whatever the device.
    public var forcesIntegerPath = false
    /// Accuracy analysis: the input is already normalized, so firstconv does not normalize again.
    public var skipsFirstConvNormalization = false
    /// Accuracy analysis: sees every (input, output) pair.
    public var capture: ((Tensor, Tensor) -> Void)?

    let warn: (String) -> Void
    private let limitNotice: LimitNotice

    init(name: String, dtype: QuantDType, perChannel: Bool, observer: MinMaxObserver?, firstConv: FirstConvNormalization?,
         warn: @escaping (String) -> Void, limitNotice: LimitNotice? = nil) {
        self.limitNotice = limitNotice ?? LimitNotice(warn: warn)
        self.name = name
        self.dtype = dtype
        self.perChannel = perChannel
        self.observer = observer
        self.firstConv = firstConv
        self.warn = warn
    }

    /// The runtime `quantized_mode` (1–4; 3 and 4 are per-channel).
    public var runtimeMode: Int32 { dtype.quantizedMode(perChannel: perChannel) }

    func observe(_ x: Tensor) {
        guard var obs = observer else { return }
        let host = x.to(.cpu)
        let values = host.dtype == .float32 && host.isDenseNonOverlapping ? host : host.contiguousFloat32()
        guard values.count > 0 else { return }
        var lo = Float.infinity, hi = -Float.infinity
        mlus_min_max_f32(values.baseAddress.assumingMemoryBound(to: Float.self), Int64(values.count), &lo, &hi)
        if !obs.observe(min: lo, max: hi) { limitNotice.post() }
        observer = obs
    }
}

/// Prints Catch's "iteration reached" warning once for all the layers of one quantized model.
final class LimitNotice {
    private let warn: (String) -> Void
    private var posted = false
    init(warn: @escaping (String) -> Void) { self.warn = warn }
    func post() {
        guard !posted else { return }
        posted = true
        warn(MinMaxObserver.limitWarning)
    }
}

/// A layer swapped in by `quantizeDynamicMLU`: float on the CPU, integer on the MLU.
public protocol MLUQuantizedLayer: Module {
    var quantization: LayerQuantization { get }
    /// Rows of the weight (`Cout` / `out_features`): the per-channel axis.
    var outputChannelCount: Int { get }
    /// Input channels, for a firstconv created at load time (Conv2d only).
    var firstConvChannels: Int? { get }
    /// The float computation of the layer it replaces.
    func floatForward(_ x: Tensor) throws -> Tensor
    /// The MLU's integer computation.
    func integerForward(_ x: Tensor, normalization: FirstConvNormalization?) throws -> Tensor
}

extension MLUQuantizedLayer {
    /// Catch's forward: observe the input while calibrating; float on the CPU, integers on the MLU.
    func quantizedLayerForward(_ x: Tensor) throws -> Tensor {
        let q = quantization
        let integer = x.device.isMLU || q.forcesIntegerPath
        var y: Tensor
        if integer {
            if let obs = q.observer {
                // A calibrating model run with integers: use the scales state_dict() would save now.
                guard obs.hasObservations else {
                    throw NNError.forward(path: [], layer: repr, message: QuantizationError.notCalibrated(layer: q.name).description)
                }
                try refreshScales()
            }
            syncFromBuffers()
            do {
                y = try integerForward(x, normalization: q.skipsFirstConvNormalization ? nil : q.firstConv)
            } catch let e as QuantizationError {
                throw NNError.forward(path: [], layer: repr, message: e.description)
            }
            if x.dtype == .float16 { y = y.to(.float16) }
        } else {
            q.observe(x)
            y = try floatForward(x)
        }
        q.capture?(x, y)
        return y
    }

    /// Computes the scales from the observer and the current weights (Catch does this at `state_dict()` time).
    /// A layer that is not calibrating keeps its loaded scales.
    public func refreshScales() throws {
        let q = quantization
        guard let obs = q.observer else { return }
        guard obs.hasObservations else { throw QuantizationError.notCalibrated(layer: q.name) }
        q.inputScale = QuantParams.scale(min: obs.min, max: obs.max, dtype: q.dtype)
        let w = try requireParameter("weight").to(.cpu).contiguousFloat32().floats()
        let rows = q.perChannel ? outputChannelCount : 1
        let per = rows > 0 ? w.count / rows : 0
        q.weightScales = (0..<rows).map { r in
            let slice = w[(r * per)..<((r + 1) * per)]
            return QuantParams.scale(min: slice.min() ?? 0, max: slice.max() ?? 0, dtype: q.dtype)
        }
        try writeBuffers()
    }

    /// Writes the scales into the buffers of reference §3, on the weight's device.
    func writeBuffers() throws {
        let q = quantization
        let device = parameter("weight")?.device ?? .cpu
        let weightScale: Float = q.perChannel ? 0 : (q.weightScales.first ?? 1)
        try registerBuffer("scale", Tensor([q.inputScale, weightScale], shape: [2]).to(device))
        try registerBuffer("quantized_mode", Tensor([Float(q.dtype.quantizedMode(perChannel: false))], shape: [1]).to(.int32).to(device))
        if q.perChannel {
            try registerBuffer("scale_weight_per_channel", Tensor(q.weightScales, shape: [q.weightScales.count]).to(device))
            try registerBuffer("quantized_by_channel", Tensor([1], shape: [1]).to(.int64).to(device))
        } else {
            deleteAttribute("scale_weight_per_channel")
            deleteAttribute("quantized_by_channel")
        }
        if let fc = q.firstConv {
            let c = fc.mean255.count
            try registerBuffer("input_mean", Tensor(fc.mean255, shape: [1, c, 1, 1]).to(device))
            try registerBuffer("input_std", Tensor(fc.std255, shape: [1, c, 1, 1]).to(device))
        } else {
            deleteAttribute("input_mean")
            deleteAttribute("input_std")
        }
    }

    /// Reads the buffers back into the scales (after a load). Buffers already converted to FP16 by
    /// `.half()` are not read: the float32 scales stay authoritative.
    func syncFromBuffers() {
        let q = quantization
        guard let scale = buffer("scale"), scale.dtype == .float32, scale.count == 2 else { return }
        let s = scale.to(.cpu).floats()
        q.inputScale = s[0]
        if let mode = buffer("quantized_mode")?.to(.cpu).integers().first, let dtype = QuantDType(quantizedMode: Int(mode)) {
            q.dtype = dtype
        }
        if let pc = buffer("scale_weight_per_channel") {
            q.perChannel = true
            q.weightScales = pc.to(.cpu).contiguousFloat32().floats()
        } else {
            q.perChannel = false
            q.weightScales = [s[1]]
        }
        if let m = buffer("input_mean"), let d = buffer("input_std") {
            q.firstConv = FirstConvNormalization(mean255: m.to(.cpu).contiguousFloat32().floats(),
                                                 std255: d.to(.cpu).contiguousFloat32().floats())
        } else {
            q.firstConv = nil
        }
    }

    /// Before loading a quantized state dict: takes the per-channel and firstconv layout the dict has, so
    /// `quantize_dynamic_mlu(model)` + `load_state_dict` restores any quantized model (Catch's
    /// `_load_from_state_dict`); the loaded scales then replace calibration.
    func alignBuffers(toKeys keys: Set<String>, prefix: String) throws {
        let q = quantization
        let perChannel = keys.contains(prefix + "scale_weight_per_channel")
        if perChannel != q.perChannel {
            q.perChannel = perChannel
            q.weightScales = [Float](repeating: 1, count: perChannel ? outputChannelCount : 1)
        }
        if keys.contains(prefix + "input_mean") || keys.contains(prefix + "input_std") {
            if q.firstConv == nil {
                guard let c = firstConvChannels else {
                    throw QuantizationError.invalidArgument("state dict has input_mean/input_std for '\(q.name)', which is not a Conv2d")
                }
                q.firstConv = FirstConvNormalization(mean255: [Float](repeating: 0, count: c), std255: [Float](repeating: 255, count: c))
            }
        } else {
            q.firstConv = nil
        }
        q.observer = nil
        try writeBuffers()
    }
}
