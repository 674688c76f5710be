import Tensors
@testable import Ops

/// Small helpers for building graphs by hand in the tests.
extension Graph {
    /// Adds a node whose single output has `shape` (float32) and returns the output id.
    @discardableResult
    mutating func add(_ op: Op, _ inputs: [Int], shape: [Int], name: String, dtype: DType = .float32) -> Int {
        let id = addValue(name: name, shape: shape, dtype: dtype)
        nodes.append(Node(op: op, inputs: inputs, outputs: [id], name: name))
        return id
    }

    mutating func input(_ name: String, _ shape: [Int], dtype: DType = .float32) -> Int {
        let id = addValue(name: name, shape: shape, dtype: dtype)
        inputs.append(id)
        return id
    }

    func opNames() -> [String] { nodes.map(\.op.name) }
}

/// `|a − b| ≤ atol + rtol·|b|` elementwise; returns the worst violation ratio (≤ 1 passes).
func closeness(_ a: [Float], _ b: [Float], rtol: Float = 1e-5, atol: Float = 1e-6) -> Float {
    guard a.count == b.count else { return .infinity }
    var worst: Float = 0
    for (x, y) in zip(a, b) { worst = max(worst, abs(x - y) / (atol + rtol * abs(y))) }
    return worst
}
