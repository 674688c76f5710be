import Checkpoint
import Foundation
import Imaging
import MLU
import Tensors

/// What `mlus infer` does, kept out of the command line: load an offline model, turn image or `.npy`
/// files into the function's NHWC inputs, invoke it, and write the outputs as `.npy` (plus mask PNGs
/// for single-channel maps).
public struct CNRTInference {
    /// Host preprocessing for images fed to a float-input model: `x = (pixel / 255 − mean) / std` per
    /// channel (the offline model has none, as on the card; reference §6). A uint8 (firstconv) input
    /// takes the raw pixels instead.
    public struct ImagePreprocessing: Equatable {
        public var mean: [Float]
        public var std: [Float]
        public init(mean: [Float] = [0], std: [Float] = [1]) {
            self.mean = mean
            self.std = std
        }
    }

    /// One written file.
    public struct Written: Equatable {
        public var path: String
        public var summary: String
    }

    public let model: CNRTModel
    public let function: CNRTFunction
    public var preprocessing: ImagePreprocessing
    /// Threshold for mask PNGs of single-channel outputs.
    public var maskThreshold: Float = 0.5
    private let executor: GraphOfflineExecutor

    /// Loads `path` and extracts `functionName`.
    /// - Throws: `OfflineFormatError` (bad file), `CNRTError.unknownFunction`.
    public init(modelPath: String, functionName: String = "subnet0", preprocessing: ImagePreprocessing = ImagePreprocessing()) throws {
        QuantizedGraphSupport.install()   // int8/int16 nodes run with the quantizer's integer arithmetic
        executor = GraphOfflineExecutor(quantizedKernel: GraphRuntime.quantizedKernel)
        model = try CNRTModel.load(path: modelPath)
        function = try model.extractFunction(named: functionName)
        self.preprocessing = preprocessing
    }

    /// Runs the model on the given input files (one per model input) and writes outputs into `directory`.
    /// - Returns: the files written, with a one-line summary each.
    /// - Throws: `InferenceError` naming the file and the expected shape, and the runtime's errors.
    public func run(inputPaths: [String], outputDirectory directory: String) throws -> [Written] {
        guard inputPaths.count == function.inputs.count else {
            throw InferenceError.inputCount(expected: function.inputs.count, found: inputPaths.count,
                                            shapes: function.inputs.map(\.shape))
        }
        let inputs = try zip(inputPaths, function.inputs).map { try loadInput($0, $1) }
        let outputs = try function.invoke(inputs, executor: executor)
        let stem = ((inputPaths.first ?? "input") as NSString).lastPathComponent
        let base = (stem as NSString).deletingPathExtension
        var written = [Written]()
        for (k, (t, d)) in zip(outputs, function.outputs).enumerated() {
            let y = t.dtype == .float16 ? try CNRT.float16ToFloat32(t) : t
            let suffix = outputs.count == 1 ? "" : "_\(k)"
            let npy = (directory as NSString).appendingPathComponent("\(base)_out\(suffix).npy")
            try saveNpy(y, to: URL(fileURLWithPath: npy))
            let values = y.floats()
            let lo = values.min() ?? 0, hi = values.max() ?? 0
            written.append(Written(path: npy, summary: "output #\(k) \(d.dataType.rawValue) \(d.dimOrder.rawValue) \(d.shape) -> float32 .npy, min \(lo), max \(hi)"))
            if let map = singleChannelMap(y) {
                let png = (directory as NSString).appendingPathComponent("\(base)_mask\(suffix).png")
                let h = map.shape[0], w = map.shape[1]
                let pixels = map.floats().map { $0 > maskThreshold ? UInt8(255) : UInt8(0) }
                let image = Tensor(pixels.map { Float($0) }, shape: [h, w]).to(.uint8)
                try AtomicFile.write(Array(try ImageCodec.encodePNG(image)), to: png)
                let on = pixels.filter { $0 != 0 }.count
                written.append(Written(path: png, summary: "mask of output #\(k) (> \(maskThreshold)): \(on) of \(h * w) pixels on"))
            }
        }
        return written
    }

    /// `[H, W]`, `[1, H, W]`, `[H, W, 1]` or NHWC `[1, H, W, 1]` as `[H, W]`; nil for anything else.
    func singleChannelMap(_ t: Tensor) -> Tensor? {
        let s = t.shape
        let hw: [Int]
        switch s.count {
        case 2: hw = s
        case 3 where s[0] == 1: hw = [s[1], s[2]]
        case 3 where s[2] == 1: hw = [s[0], s[1]]
        case 4 where s[0] == 1 && s[3] == 1: hw = [s[1], s[2]]
        default: return nil
        }
        guard hw[0] > 1, hw[1] > 1 else { return nil }
        return try? t.contiguous().reshape(hw)
    }

    /// The tensor for descriptor `d` from an image or `.npy` file.
    func loadInput(_ path: String, _ d: OfflineIODescriptor) throws -> Tensor {
        guard FileManager.default.fileExists(atPath: path) else { throw InferenceError.missingFile(path) }
        if path.lowercased().hasSuffix(".npy") { return try loadArray(path, d) }
        return try loadImage(path, d)
    }

    private func loadArray(_ path: String, _ d: OfflineIODescriptor) throws -> Tensor {
        var t: Tensor
        do { t = try loadNpy(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InferenceError.unreadable(path: path, reason: "\(error)")
        }
        if t.shape != d.shape, d.shape.count == 4, t.rank == 4, [0, 3, 1, 2].map({ d.shape[$0] }) == t.shape {
            t = try CNRT.nchwToNHWC(t)   // an NCHW array, as PyTorch code saves it
        } else if t.shape != d.shape, t.count == d.shape.reduce(1, *), t.rank == d.shape.count - 1, d.shape.first == 1 {
            t = try t.contiguous().reshape(d.shape)   // the batch dimension left out
        }
        guard t.shape == d.shape else {
            throw InferenceError.shapeMismatch(path: path, found: t.shape, expected: d.shape, layout: d.dimOrder.rawValue)
        }
        return try convert(t, to: d, path: path)
    }

    /// Decoded RGBA pixels [H, W, 4] in the channel order of `ct.set_input_format` (0 rgba, 1 argb,
    /// 2 bgra, 3 abgr), as a camera pipeline would hand them to a firstconv model; other channel counts as they are.
    static func arranged(_ pixels: Tensor, inputFormat: Int?) throws -> Tensor {
        let orders = [[0, 1, 2, 3], [3, 0, 1, 2], [2, 1, 0, 3], [3, 2, 1, 0]]
        guard pixels.rank == 3, pixels.shape[2] == 4, let k = inputFormat, orders.indices.contains(k), k != 0 else {
            return pixels.contiguous()
        }
        let rgba = pixels.contiguous().floats()
        let order = orders[k]
        var out = [Float](repeating: 0, count: rgba.count)
        for p in stride(from: 0, to: rgba.count, by: 4) {
            for (c, source) in order.enumerated() { out[p + c] = rgba[p + source] }
        }
        return Tensor(out, shape: pixels.shape).to(.uint8)
    }

    private func loadImage(_ path: String, _ d: OfflineIODescriptor) throws -> Tensor {
        guard d.shape.count == 4, d.shape[0] == 1, [1, 3, 4].contains(d.shape[3]) else {
            throw InferenceError.notAnImageInput(path: path, shape: d.shape)
        }
        let h = d.shape[1], w = d.shape[2], c = d.shape[3]
        let pixels: Tensor
        do { pixels = try ImageCodec.read(contentsOf: URL(fileURLWithPath: path), channels: c) } catch {
            throw InferenceError.unreadable(path: path, reason: "\(error)")
        }
        guard pixels.rank == 3, pixels.shape[2] == c else {
            throw InferenceError.unreadable(path: path, reason: "decoded image has shape \(pixels.shape), expected [H, W, \(c)]")
        }
        guard pixels.shape[0] == h, pixels.shape[1] == w else {
            throw InferenceError.imageSize(path: path, found: [pixels.shape[0], pixels.shape[1]], expected: [h, w])
        }
        if d.dataType == .uint8 { return try Self.arranged(pixels, inputFormat: model.model.target.inputFormat).reshape(d.shape) }
        let p = preprocessing
        guard [1, c].contains(p.mean.count), [1, c].contains(p.std.count) else {
            throw InferenceError.preprocessing("--mean/--std need 1 or \(c) values (got \(p.mean.count) and \(p.std.count))")
        }
        var values = [Float](repeating: 0, count: h * w * c)
        for (i, v) in pixels.floats().enumerated() {
            let ch = i % c
            let m = p.mean.count == 1 ? p.mean[0] : p.mean[ch], s = p.std.count == 1 ? p.std[0] : p.std[ch]
            values[i] = (v / 255 - m) / s
        }
        return try convert(Tensor(values, shape: d.shape), to: d, path: path)
    }

    private func convert(_ t: Tensor, to d: OfflineIODescriptor, path: String) throws -> Tensor {
        if t.dtype == d.dataType.dtype { return t.contiguous() }
        switch (t.dtype, d.dataType) {
        case (.float32, .float16), (.float16, .float32): return try CNRT.cast(t, to: d.dataType.dtype)
        case (.float64, .float32), (.float64, .float16): return try CNRT.cast(t.to(.float32), to: d.dataType.dtype)
        default: throw InferenceError.dtypeMismatch(path: path, found: t.dtype.rawValue, expected: d.dataType.rawValue)
        }
    }
}
