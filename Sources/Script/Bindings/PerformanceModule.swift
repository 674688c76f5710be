import MLU

/// The script module `mlu_performance`: roofline latency estimates (module MLU, `RooflineModel`) of an
/// offline `.cambricon` model, so porting scripts can compare variants on MLU220/MLU270 without a card.
///
/// `estimate(path, core_version="MLU270", core_number=1, quantized="none")` reads the file, takes its
/// per-layer costs and, for `quantized="int8"|"int16"`, re-counts the convolution and linear layers in
/// that arithmetic with weights of that width (for a quantized variant whose offline model is float).
/// The result is a dict: `total_ms`, `layers`, `compute_bound`, `memory_bound`, `weights_exceed_wram`
/// (layer names), `core_version`, `core_number`, `disclaimer`. It is an estimate and says so.
enum PerformanceModule {
    static func make(_ interpreter: Interpreter) -> Module {
        let m = Module(name: "mlu_performance")
        m.set("__doc__", .str("Roofline latency estimates of .cambricon models on MLU220/MLU270 (estimates, not measurements)."))
        m.addFunction("estimate") { args in
            let b = try BoundArguments(args, ["path", "core_version", "core_number", "quantized"], required: 1)
            let path = try b.string("path", "")
            let versionName = try b.string("core_version", "MLU270")
            let cores = try b.int("core_number", 1)
            let quantized = try b.string("quantized", "none")
            guard let version = CoreVersion(rawValue: versionName.uppercased()) else {
                throw ScriptError.valueError("estimate(): core_version must be MLU220 or MLU270, not '\(versionName)'")
            }
            let layerDType: ComputeDType?
            switch quantized {
            case "none": layerDType = nil
            case "int8": layerDType = .int8
            case "int16": layerDType = .int16
            default: throw ScriptError.valueError("estimate(): quantized must be 'none', 'int8' or 'int16', not '\(quantized)'")
            }
            let costs: [LayerCost]
            let model: RooflineModel
            do {
                let offline = try OfflineModelReader.read(contentsOf: path)
                costs = try offline.layerCosts().map { requantized($0, to: layerDType) }
                model = try RooflineModel(coreVersion: version, coreNumber: cores)
            } catch let e as DeviceError {
                throw ScriptError.valueError("estimate(): \(e.description)")
            } catch {
                throw ScriptError.runtimeError("estimate('\(path)'): \(error)")
            }
            let estimate: PerformanceEstimate
            do { estimate = try model.estimate(costs) } catch {
                throw ScriptError.runtimeError("estimate('\(path)'): \(error)")
            }
            let computeBound = estimate.layers.filter { $0.bound == .compute }.count
            let exceeding = estimate.layers.filter(\.weightsExceedOnChipMemory).map { Value.str($0.cost.name) }
            return .makeDict([
                ("total_ms", .float(estimate.totalSeconds * 1000)),
                ("layers", .int(estimate.layers.count)),
                ("compute_bound", .int(computeBound)),
                ("memory_bound", .int(estimate.layers.count - computeBound)),
                ("weights_exceed_wram", .makeList(exceeding)),
                ("core_version", .str(version.rawValue)),
                ("core_number", .int(cores)),
                ("disclaimer", .str(PerformanceEstimate.disclaimer)),
            ])
        }
        return m
    }

    /// A conv/linear cost counted in `dtype` with weights of that width; other layers unchanged.
    private static func requantized(_ cost: LayerCost, to dtype: ComputeDType?) -> LayerCost {
        guard let dtype, ["conv2d", "linear", "conv_transpose2d"].contains(cost.opKind) else { return cost }
        var c = cost
        let floatWidth: Double = cost.computeDType == .float16 ? 2 : 4
        let width: Double = dtype == .int8 ? 1 : 2
        c.weightBytes = cost.weightBytes * width / floatWidth
        c.computeDType = dtype
        return c
    }
}
