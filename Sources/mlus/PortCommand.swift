import ArgumentParser
import Foundation
import Script

/// `mlus port`: the whole Catch port of a model in one command — `port()` of `stdlib/porting.mlus` with flags.
struct PortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "port",
        abstract: "Port a trained model: preflight, FP32 check, legacy re-save, INT8/INT16, offline models, estimates, summary.",
        discussion: """
            Runs port() of stdlib/porting.mlus. --model names a class: 'file.mlus:Class' (a script file; its folder \
            is searched for its imports) or 'package.module:Class' from the stdlib or MLUS_PATH (e.g. \
            models.carsegnet:CarSegNet). --calib, --eval and --masks are glob patterns (quote them); files named \
            *_mask.* are skipped in --calib/--eval, and --masks must match one mask per --eval image, in sorted \
            order. Everything goes to --out: the legacy and quantized .pth files, the offline models, overlay \
            PNGs, summary.md and summary.json. MLU latencies in the summary are roofline ESTIMATES.

            Example:
              mlus port --model models.carsegnet:CarSegNet --weights examples/carseg/carsegnet.pth \\
                --calib 'examples/carseg/images/street_0[0-3].png' --eval 'examples/carseg/images/*.png' \\
                --masks 'examples/carseg/images/*_mask.png' --core-version MLU220 --core-number 4 --out out/port
            """)

    @Option(help: ArgumentHelp("The model class: file.mlus:Class or module.path:Class.", valueName: "class"))
    var model: String

    @Option(help: ArgumentHelp("The trained checkpoint (.pth, zip or legacy).", valueName: "pth"))
    var weights: String

    @Option(help: ArgumentHelp("Glob of the calibration images.", valueName: "glob"))
    var calib: String

    @Option(name: .customLong("eval"), help: ArgumentHelp("Glob of the evaluation images.", valueName: "glob"))
    var evaluation: String

    @Option(help: ArgumentHelp("Glob of the ground-truth masks (one per evaluation image).", valueName: "glob"))
    var masks: String?

    @Option(help: "Per-channel mean, comma-separated, in [0, 1] units.")
    var mean = "0.485,0.456,0.406"

    @Option(help: "Per-channel std, comma-separated, in [0, 1] units.")
    var std = "0.229,0.224,0.225"

    @Flag(help: "Quantize with firstconv (the first conv takes raw pixels and normalises them on the MLU).")
    var firstconv = false

    @Option(name: .customLong("core-version"), help: "Target: MLU220 or MLU270.")
    var coreVersion = "MLU220"

    @Option(name: .customLong("core-number"), help: "Cores for the offline models (MLU220: 1, 4; MLU270: 1, 4, 16).")
    var coreNumber = 4

    @Option(help: "Accuracy budget: the largest IoU loss against FP32 the recommended variant may have.")
    var budget = 0.01

    @Option(help: "Output folder.")
    var out = "out/port"

    func validate() throws {
        _ = try parsedModel()
        _ = try floats(mean, "--mean")
        _ = try floats(std, "--std")
        guard ["MLU220", "MLU270"].contains(coreVersion.uppercased()) else {
            throw ValidationError("--core-version must be MLU220 or MLU270, not '\(coreVersion)'")
        }
        let valid = coreVersion.uppercased() == "MLU220" ? [1, 4] : [1, 4, 16]
        guard valid.contains(coreNumber) else {
            throw ValidationError("--core-number \(coreNumber) is not valid on \(coreVersion.uppercased()) (valid: \(valid.map(String.init).joined(separator: ", ")))")
        }
        guard budget.isFinite, budget >= 0 else { throw ValidationError("--budget must be a number >= 0") }
        guard FileManager.default.fileExists(atPath: weights) else {
            throw ValidationError("--weights: no such file '\(weights)'")
        }
    }

    /// (script file or nil, module name, class name) from `--model`.
    func parsedModel() throws -> (file: String?, module: String, cls: String) {
        guard let colon = model.lastIndex(of: ":") else {
            throw ValidationError("--model must be file.mlus:Class or module.path:Class, not '\(model)'")
        }
        let left = String(model[..<colon])
        let cls = String(model[model.index(after: colon)...])
        guard isIdentifier(cls) else { throw ValidationError("--model: '\(cls)' is not a class name") }
        if left.hasSuffix(".mlus") {
            guard FileManager.default.fileExists(atPath: left) else { throw ValidationError("--model: no such file '\(left)'") }
            let module = String((left as NSString).lastPathComponent.dropLast(5))
            guard isIdentifier(module) else {
                throw ValidationError("--model: the file name '\(module)' must be a valid module name (letters, digits, _)")
            }
            return (left, module, cls)
        }
        guard !left.isEmpty, left.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isIdentifier(String($0)) }) else {
            throw ValidationError("--model: '\(left)' is neither a .mlus file nor a module path like models.carsegnet")
        }
        return (nil, left, cls)
    }

    func run() throws {
        let (file, module, cls) = try parsedModel()
        let meanValues = try floats(mean, "--mean")
        let stdValues = try floats(std, "--std")
        // The program reads its parameters from sys.argv, so no value is ever pasted into source text.
        let source = """
            import sys
            from porting import port
            from \(module) import \(cls) as ModelClass
            a = sys.argv
            port(ModelClass, a[1], a[2], inputs=a[3], masks=(a[4] if a[4] != "" else None),
                 mean=[float(v) for v in a[5].split(",")], std=[float(v) for v in a[6].split(",")],
                 firstconv=(a[7] == "1"), core_version=a[8], core_number=int(a[9]), budget=float(a[10]), out=a[11])
            """
        let argv = ["mlus port", weights, calib, evaluation, masks ?? "",
                    meanValues.map { String($0) }.joined(separator: ","), stdValues.map { String($0) }.joined(separator: ","),
                    firstconv ? "1" : "0", coreVersion.uppercased(), String(coreNumber), String(budget), out]
        // A model file's folder is the "script folder" of the import search.
        let scriptPath = file.map { path -> String in
            let folder = (path as NSString).deletingLastPathComponent
            return (folder.isEmpty ? "." : folder) + "/<port>"
        }
        throw ExitCode(ProgramRunner.run(source: source, filename: "<mlus port>", argv: argv,
                                         scriptPath: scriptPath, interpreter: makeInterpreter()))
    }

    private func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    private func floats(_ text: String, _ flag: String) throws -> [Double] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let values = parts.compactMap(Double.init)
        guard !parts.isEmpty, values.count == parts.count, values.allSatisfy(\.isFinite) else {
            throw ValidationError("\(flag) must be comma-separated numbers, not '\(text)'")
        }
        return values
    }
}
