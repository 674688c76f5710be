import Foundation
import Tensors

/// The text `mlus inspect` prints for an offline model: target, I/O, the op list with shapes and dtypes,
/// parameter bytes per dtype, provenance, the twins file, and a roofline latency estimate.
public enum OfflineModelReport {
    /// Renders the report.
    ///
    /// - Parameters:
    ///   - twins: the `.cambricon_twins` text beside the model, or nil (the report then says it is missing).
    ///   - estimate: whether to append the roofline estimate for the model's own target.
    public static func render(_ model: OfflineModel, path: String, fileSize: Int? = nil, twins: String?,
                              estimate: Bool = true) -> String {
        var out = [String]()
        out.append("Offline model \(path)" + (fileSize.map { " (\($0) bytes)" } ?? ""))
        out.append("  format: mlus offline model (container \(OfflineFormat.containerVersion), ops \(OfflineFormat.opsVersion), "
                   + "quantization \(OfflineFormat.quantizationVersion)); mlus's own format, not Cambricon's")
        out.append("")
        let t = model.target
        out.append("Target")
        out.append("  core version:  \(t.coreVersion.rawValue)")
        out.append("  core number:   \(t.coreNumber)  (Model Parallelism)")
        out.append("  batch:         \(t.batch)")
        out.append("  input format:  " + (t.inputFormat.map { k in
            OfflineGenerationSettings.inputFormatNames.indices.contains(k) ? "\(k) (\(OfflineGenerationSettings.inputFormatNames[k]), firstconv)" : "\(k)"
        } ?? "none (float input, no firstconv)"))
        out.append("")
        out.append("Function \(model.graph.functionName)")
        for (kind, list) in [("input", model.inputs), ("output", model.outputs)] {
            for (k, d) in list.enumerated() {
                let name = d.name.isEmpty ? "" : " '\(d.name)'"
                out.append("  \(kind) #\(k)\(name): \(d.dataType.rawValue) \(d.dimOrder.rawValue) \(d.shape)  (\(d.byteCount) bytes)")
            }
        }
        out.append("")
        out.append("Operations (\(model.graph.nodes.count))")
        let values = model.graph.values
        func describe(_ id: Int) -> String {
            guard values.indices.contains(id) else { return "%\(id)?" }
            let v = values[id]
            return "%\(v.name): \(v.dtype.rawValue)\(v.shape)"
        }
        for (n, node) in model.graph.nodes.enumerated() {
            let attrs = node.attributes.keys.sorted().compactMap { k in node.attributes[k].map { "\(k)=\(format($0))" } }
            let attrText = attrs.isEmpty ? "" : " [" + attrs.joined(separator: ", ") + "]"
            out.append(String(format: "  %3d ", n) + node.op + attrText)
            out.append("        in:  " + node.inputs.map(describe).joined(separator: ", "))
            out.append("        out: " + node.outputs.map(describe).joined(separator: ", "))
        }
        out.append("")
        var bytesPerDType = [String: (count: Int, bytes: Int)]()
        for c in model.constants {
            let key = c.tensor.dtype.rawValue + (c.quantization == nil ? "" : (c.quantization?.axis == nil ? " (per-tensor scale)" : " (per-channel scales)"))
            let e = bytesPerDType[key, default: (0, 0)]
            bytesPerDType[key] = (e.count + 1, e.bytes + c.tensor.count * c.tensor.dtype.itemSize)
        }
        out.append("Parameters (\(model.constants.count) tensors, \(bytesPerDType.values.reduce(0) { $0 + $1.bytes }) bytes)")
        for key in bytesPerDType.keys.sorted() {
            if let e = bytesPerDType[key] { out.append("  \(key): \(e.count) tensors, \(e.bytes) bytes") }
        }
        out.append("")
        let p = model.provenance
        out.append("Provenance")
        let known = p.sourceSHA256.contains { $0 != 0 }
        out.append("  source SHA-256: " + (known ? SHA256.hex(p.sourceSHA256) : "unknown (all zero)"))
        out.append("  tool:           \(p.toolVersion)")
        let date = Date(timeIntervalSince1970: TimeInterval(p.creationTime))
        let formatter = ISO8601DateFormatter()
        out.append("  created:        \(formatter.string(from: date)) (\(p.creationTime))")
        for key in p.quantizationSettings.keys.sorted() {
            out.append("  \(key): \(p.quantizationSettings[key] ?? "")")
        }
        out.append("")
        out.append("Twins file")
        if let twins {
            out.append(contentsOf: twins.split(separator: "\n", omittingEmptySubsequences: false).map { "  | " + $0 })
        } else {
            out.append("  (no .cambricon_twins file beside the model)")
        }
        if estimate {
            out.append("")
            do {
                out.append(try model.latencyEstimate().formattedTable())
            } catch {
                out.append("Latency estimate unavailable: \(error)")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func format(_ a: OfflineAttribute) -> String {
        switch a {
        case .int(let i): return String(i)
        case .float(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return "'\(s)'"
        case .ints(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        case .floats(let xs): return "[" + xs.map { String($0) }.joined(separator: ", ") + "]"
        }
    }
}
