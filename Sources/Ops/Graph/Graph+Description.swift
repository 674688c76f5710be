extension Graph: CustomStringConvertible {
    /// A readable listing: inputs, constants, one line per node (`%out = op(%a, %b)  # name`), outputs.
    public var description: String {
        func ref(_ id: Int) -> String { values.indices.contains(id) ? "%\(values[id].name)" : "%<\(id)>" }
        func typed(_ id: Int) -> String {
            guard values.indices.contains(id) else { return ref(id) }
            return "\(ref(id)): \(values[id].dtype.rawValue)\(values[id].shape)"
        }
        var lines = ["graph(" + inputs.map(typed).joined(separator: ", ") + ")"]
        for id in constants.keys.sorted() { lines.append("  const \(typed(id))") }
        for node in nodes {
            let q = node.quantization.map { " [\($0.dtype.rawValue)]" } ?? ""
            lines.append("  " + node.outputs.map(typed).joined(separator: ", ") + " = \(node.op.name)\(q)("
                         + node.inputs.map(ref).joined(separator: ", ") + ")  # \(node.name)")
        }
        lines.append("  return " + outputs.map(ref).joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
