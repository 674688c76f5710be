import Foundation

extension Module {
    /// Indents every line after the first by `spaces` (PyTorch's `_addindent`).
    static func addIndent(_ text: String, _ spaces: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > 1 else { return text }
        let pad = String(repeating: " ", count: spaces)
        return ([String(lines[0])] + lines.dropFirst().map { pad + $0 }).joined(separator: "\n")
    }

    func namedChildrenIncludingNone() -> [(String, Module?)] {
        childOrder.map { ($0, childStore[$0] ?? nil) }
    }

    /// PyTorch's `repr(module)`: the type name, the extra repr and the indented children.
    public var repr: String {
        let extraLines = extraRepr.isEmpty ? [] : extraRepr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let childLines = childReprLines
        let lines = extraLines + childLines
        var main = typeName + "("
        if !lines.isEmpty {
            if extraLines.count == 1 && childLines.isEmpty {
                main += extraLines[0]
            } else {
                main += "\n  " + lines.joined(separator: "\n  ") + "\n"
            }
        }
        return main + ")"
    }
}

/// Python's `repr` of the values layers print.
enum PythonRepr {
    static func float(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && Swift.abs(v) < 1e16 { return String(format: "%.1f", v) }
        var s = "\(v)"
        if let e = s.firstIndex(of: "e") {
            let mantissa = s[..<e], exponent = s[s.index(after: e)...]
            let sign = exponent.hasPrefix("-") ? "-" : "+"
            let digits = exponent.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
            s = "\(mantissa)e\(sign)\(digits.count < 2 ? "0" + digits : digits)"
        }
        return s
    }

    static func tuple(_ v: [Int]) -> String {
        v.count == 1 ? "(\(v[0]),)" : "(" + v.map(String.init).joined(separator: ", ") + ")"
    }

    /// An int when the user gave one value, else a tuple (how PyTorch keeps pooling arguments).
    static func intOrTuple(_ v: [Int]) -> String { v.count == 1 ? "\(v[0])" : tuple(v) }

    static func bool(_ b: Bool) -> String { b ? "True" : "False" }
}
