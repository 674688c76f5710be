import ArgumentParser
import Foundation
import MLU
import Script

/// `mlus infer MODEL.cambricon INPUT... [--out DIR]`: runs an offline model as the CNRT demos do.
struct InferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Run an offline model on images or .npy files; write outputs as .npy and masks as PNG.",
        discussion: """
            One input file per model input; a one-input model given several files runs once per file. A .npy array must have the input's NHWC shape (an NCHW array is \
            transposed, a missing batch dimension added); float32/float16 are cast to the input's type. A PNG or \
            JPEG must already have the input's height and width (no resizing). For a float input the pixels are \
            preprocessed as x = (pixel/255 - mean) / std per channel (--mean/--std, default 0 and 1); a uint8 \
            (firstconv) input takes the raw pixels, arranged in the model's input format (rgba, argb, bgra or abgr). Each output is written as <input>_out.npy (float32, NHWC as \
            the model gives it); a single-channel map also as <input>_mask.png (white where > --threshold).
            """)

    @ArgumentParser.Argument(help: "The .cambricon file.")
    var model: String

    @ArgumentParser.Argument(help: "Input files (.npy, .png, .jpg), one per model input; for a one-input model, each file is a separate run.")
    var inputs: [String]

    @Option(name: .customLong("out"), help: "Directory for the outputs (created if missing).")
    var out = "."

    @Option(help: "Per-channel mean for image inputs, comma-separated, in [0, 1] units.")
    var mean = "0"

    @Option(help: "Per-channel std for image inputs, comma-separated, in [0, 1] units.")
    var std = "1"

    @Option(help: "Threshold for mask PNGs.")
    var threshold: Float = 0.5

    @Option(help: "Function to run.")
    var function = "subnet0"

    func validate() throws {
        guard !inputs.isEmpty else { throw ValidationError("give at least one input file") }
        _ = try floats(mean, "--mean")
        _ = try floats(std, "--std")
        guard threshold.isFinite else { throw ValidationError("--threshold must be a finite number") }
    }

    func run() throws {
        do {
            let pre = CNRTInference.ImagePreprocessing(mean: try floats(mean, "--mean"), std: try floats(std, "--std"))
            var inference = try CNRTInference(modelPath: model, functionName: function, preprocessing: pre)
            inference.maskThreshold = threshold
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            // A one-input model given several files runs once per file (a directory of images).
            let runs = inference.function.inputs.count == 1 && inputs.count > 1 ? inputs.map { [$0] } : [inputs]
            for paths in runs {
                let written = try inference.run(inputPaths: paths, outputDirectory: out)
                for w in written { print("\(w.path): \(w.summary)") }
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            StandardError.write("mlus infer: \(CommandErrors.name(error)): \(error)\n")
            throw ExitCode(1)
        }
    }

    private func floats(_ text: String, _ option: String) throws -> [Float] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap { Float($0) }
        guard !parts.isEmpty, values.count == parts.count, values.allSatisfy({ $0.isFinite }) else {
            throw ValidationError("\(option) must be comma-separated numbers, got '\(text)'")
        }
        if option == "--std", values.contains(0) { throw ValidationError("--std must not contain 0") }
        return values
    }
}
