import Foundation

/// Renders a `TwinsFile` in the exact layout of Cambricon's `.cambricon_twins` (reference §5),
/// trailing spaces included (`Kernel num:1 `, `Cache mode:0 `, `Shape(dim): 1 640 640 3 `, `Name: `).
public enum TwinsWriter {
    /// The file text, ending with a newline.
    public static func render(_ file: TwinsFile) -> String {
        var lines = [String]()
        lines.append("This is the Twins File of \"\(file.modelFileName)\".")
        lines.append("Function number: \(file.functions.count)")
        lines.append("---------------kernel graph--------------------")
        lines.append("")
        for (i, f) in file.functions.enumerated() {
            lines.append("Function #\(i) {")
            lines.append("Kernel num:\(f.kernelNumber) ")
            lines.append("Cache mode:\(f.cacheMode) ")
            lines.append("Name: \(f.name)")
            lines.append("Input number: \(f.inputs.count)")
            for (k, t) in f.inputs.enumerated() { lines += tensorLines(t, "Input", k) }
            lines.append("Output number: \(f.outputs.count)")
            for (k, t) in f.outputs.enumerated() { lines += tensorLines(t, "Output", k) }
            for (k, h) in f.kernelHeaders.enumerated() {
                lines.append("Kernel header #\(k):")
                lines.append("    Name: \(h.name)")
                lines.append("    Core version: \(h.coreVersion)")
                lines.append("    Model Parallelism: \(h.modelParallelism)")
                lines.append("    Core limit: \(h.coreLimit)")
                lines.append("    Inst data split: \(h.instDataSplit ? "true" : "false")")
            }
            lines.append("}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the rendered text to `path` atomically.
    /// - Throws: `FileWriteError`.
    public static func write(_ file: TwinsFile, to path: String) throws {
        try AtomicFile.write(Array(render(file).utf8), to: path)
    }

    private static func tensorLines(_ t: TwinsTensor, _ kind: String, _ index: Int) -> [String] {
        [
            "    \(kind) #\(index).",
            "        Mask: \(t.mask)",
            "        Shape(dim): " + t.shape.map { "\($0) " }.joined(),
            "        Name: \(t.name)",
            "        Id: \(t.id)",
            "        Data type: \(t.dataType)        Dim Order: \(t.dimOrder)",
            "        Quantize position: \(t.quantizePosition)",
            "        Quantize scale: " + String(format: "%f", t.quantizeScale),
        ]
    }
}
