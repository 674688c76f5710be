import Foundation
import Tensors

/// Prints tensors the way PyTorch does (`tensor([[0.1000, 0.2000], ...])`), so a session's output reads
/// like the Python one: the same choice of integer, fixed or scientific format, a common width, the
/// `...` summary beyond 1000 elements, and the `dtype=`/`device=` suffixes for non-default values.
enum TensorFormatter {
    static let threshold = 1000
    static let edgeItems = 3
    static let lineWidth = 80

    static func format(_ tensor: Tensor) -> String {
        var suffix: [String] = []
        if tensor.device.isMLU { suffix.append("device='\(tensor.device)'") }
        let defaultDType = tensor.dtype == .float32 || tensor.dtype == .int64 || tensor.dtype == .bool
        let summarize = tensor.count > threshold
        let values = tensor.scalars()
        let style = ElementStyle(values: summarize ? sampled(tensor, values) : values, dtype: tensor.dtype)
        var body: String
        if tensor.count == 0 && tensor.rank <= 1 {
            body = "[]"
        } else if tensor.rank == 0 {
            body = style.render(values.first ?? 0, padded: false)
        } else {
            body = render(tensor.shape, values, style: style, summarize: summarize, indent: "tensor(".count)
        }
        if tensor.count == 0 && tensor.rank > 1 { suffix.append("size=(\(tensor.shape.map(String.init).joined(separator: ", ")))") }
        if !defaultDType || (tensor.count == 0 && tensor.dtype != .float32) { suffix.append("dtype=\(tensor.dtype.torchName)") }
        if !suffix.isEmpty { body += ", " + suffix.joined(separator: ", ") }
        return "tensor(\(body))"
    }

    private static func sampled(_ tensor: Tensor, _ values: [Double]) -> [Double] {
        // The format is chosen from the elements that are shown.
        var out: [Double] = []
        let count = values.count
        out += values.prefix(edgeItems * 4)
        out += values.suffix(edgeItems * 4)
        if count > 0 { out.append(values[count / 2]) }
        return out
    }

    private static func render(_ shape: [Int], _ values: [Double], style: ElementStyle, summarize: Bool, indent: Int) -> String {
        let strides = Tensor.contiguousStrides(for: shape)
        func rec(_ axis: Int, _ base: Int, _ indent: Int) -> String {
            let n = shape[axis]
            var picks: [Int?] = Array(0..<n)
            if summarize && n > 2 * edgeItems {
                picks = Array(0..<edgeItems) + [nil] + Array((n - edgeItems)..<n)
            }
            if axis == shape.count - 1 {
                let items = picks.map { i in i.map { style.render(values[base + $0 * strides[axis]], padded: true) } ?? " ..." }
                // Wrap long rows as PyTorch does.
                let perLine = max(1, (lineWidth - indent) / (style.width + 2))
                var lines: [String] = []
                var i = 0
                while i < items.count {
                    lines.append(items[i..<min(i + perLine, items.count)].joined(separator: ", "))
                    i += perLine
                }
                return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
            }
            let parts = picks.map { i in i.map { rec(axis + 1, base + $0 * strides[axis], indent + 1) } ?? "..." }
            let separator = "," + String(repeating: "\n", count: shape.count - axis - 1) + String(repeating: " ", count: indent + 1)
            return "[" + parts.joined(separator: separator) + "]"
        }
        return rec(0, 0, indent)
    }
}

/// How PyTorch's `_Formatter` prints the elements of one tensor.
struct ElementStyle {
    enum Kind { case bool, integer, integralFloat, fixed, scientific }
    let kind: Kind
    let width: Int

    init(values: [Double], dtype: DType) {
        if dtype == .bool {
            kind = .bool
            width = values.contains(0) ? 5 : 4
            return
        }
        if !dtype.isFloatingPoint {
            kind = .integer
            width = values.map { String(Int64($0)).count }.max() ?? 1
            return
        }
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.map { abs($0) }.filter { $0 != 0 }
        if finite.allSatisfy({ $0 == $0.rounded() }) {
            let big = (magnitudes.max() ?? 0)
            let small = (magnitudes.min() ?? 0)
            if big > 1e8 || (small > 0 && big / small > 1000 && big > 1e8) {
                kind = .scientific
            } else {
                kind = .integralFloat
            }
        } else if let big = magnitudes.max(), let small = magnitudes.min(), big / small > 1000 || big > 1e8 || small < 1e-4 {
            kind = .scientific
        } else {
            kind = .fixed
        }
        let probe = ElementStyle(kind: kind, width: 0)
        width = values.map { probe.render($0, padded: false).count }.max() ?? 1
    }

    private init(kind: Kind, width: Int) {
        self.kind = kind
        self.width = width
    }

    func render(_ x: Double, padded: Bool) -> String {
        var s: String
        switch kind {
        case .bool: s = x != 0 ? "True" : "False"
        case .integer: s = String(Int64(x))
        case .integralFloat: s = x.isFinite ? String(format: "%.0f.", x) : special(x)
        case .fixed: s = x.isFinite ? String(format: "%.4f", x) : special(x)
        case .scientific: s = x.isFinite ? String(format: "%.4e", x) : special(x)
        }
        if padded && s.count < width { s = String(repeating: " ", count: width - s.count) + s }
        return s
    }

    private func special(_ x: Double) -> String { x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
}
