import Ops
import Tensors

extension Graph {
    /// Channel positions of the model's R, G, B inside the 4-channel pixel for each `ct.set_input_format`
    /// (0 rgba, 1 argb, 2 bgra, 3 abgr), as Cambricon's first-conv weight arrangement places them.
    static let firstConvChannelPositions: [[Int]] = [[0, 1, 2], [1, 2, 3], [2, 1, 0], [3, 2, 1]]

    /// Prepares a firstconv model for its uint8 input (reference §2, "firstconv"; docs/runtime.md).
    ///
    /// A conv node whose quantization normalises its input (`NodeQuantization.normalizesInput`) and whose
    /// input 0 is a float graph input read by that node alone takes raw pixels on the card: the offline
    /// model's input becomes uint8 NHWC. A 3-channel input becomes 4 channels in the order `inputFormat`
    /// names: the weight gets a zero slice at the alpha position and the normalization a neutral entry
    /// (mean 0, std 1), so the integer sums — and the outputs — equal the 3-channel layer's exactly.
    /// 1- and 4-channel inputs keep their channels.
    ///
    /// A normalising node that reads anything else (an intermediate value, an input shared with other
    /// nodes) is left as it is: it still normalises, and the model keeps a float input.
    ///
    /// - Returns: the graph and the ids of the inputs that are now uint8 on the card.
    /// - Throws: `LoweringError.badQuantization` when the weight or normalization does not fit the input.
    func preparingFirstConvInputs(inputFormat: Int) throws -> (graph: Graph, uint8Inputs: Set<Int>) {
        var g = self
        var uint8Inputs = Set<Int>()
        let readers = consumers()
        for (n, node) in nodes.enumerated() {
            guard var q = node.quantization, q.normalizesInput, case .conv2d(let a) = node.op,
                  let inputId = node.inputs.first, inputs.contains(inputId), readers[inputId] == [n],
                  values[inputId].dtype.isFloatingPoint, values[inputId].shape.count == 4 else { continue }
            let channels = values[inputId].shape[1]
            guard node.inputs.count >= 2, let weight = constants[node.inputs[1]], weight.rank == 4 else {
                throw LoweringError.badQuantization(node: node.name, reason: "firstconv: its weight (input 1) is not a 4-D constant")
            }
            guard a.groups == 1, weight.shape[1] == channels, [1, 3, 4].contains(channels),
                  q.inputMean255?.count == channels, q.inputStd255?.count == channels else {
                throw LoweringError.badQuantization(
                    node: node.name,
                    reason: "firstconv needs 1, 3 or 4 input channels, groups 1 and one mean/std per channel (input \(values[inputId].shape), weight \(weight.shape), groups \(a.groups))")
            }
            if channels == 3 {
                guard readers[node.inputs[1]] == [n] else {
                    throw LoweringError.badQuantization(node: node.name, reason: "firstconv: its weight is shared with another node")
                }
                guard Self.firstConvChannelPositions.indices.contains(inputFormat) else {
                    throw LoweringError.badQuantization(node: node.name, reason: "input format \(inputFormat) is not 0 (rgba), 1 (argb), 2 (bgra) or 3 (abgr)")
                }
                let positions = Self.firstConvChannelPositions[inputFormat]
                g.constants[node.inputs[1]] = Self.spreadingChannels(of: weight, to: positions)
                g.values[node.inputs[1]].shape[1] = 4
                var mean = [Float](repeating: 0, count: 4), std = [Float](repeating: 1, count: 4)
                for (c, p) in positions.enumerated() {
                    mean[p] = q.inputMean255?[c] ?? 0
                    std[p] = q.inputStd255?[c] ?? 1
                }
                q.inputMean255 = mean
                q.inputStd255 = std
                g.nodes[n].quantization = q
                g.values[inputId].shape[1] = 4
            }
            uint8Inputs.insert(inputId)
        }
        return (g, uint8Inputs)
    }

    /// `weight` [O, 3, kh, kw] as [O, 4, kh, kw] float32 with input channel c at `positions[c]` and zeros elsewhere.
    private static func spreadingChannels(of weight: Tensor, to positions: [Int]) -> Tensor {
        let w = weight.to(.cpu).contiguous().to(.float32).floats()
        let o = weight.shape[0], plane = weight.shape[2] * weight.shape[3]
        var out = [Float](repeating: 0, count: o * 4 * plane)
        for k in 0..<o {
            for (c, p) in positions.enumerated() {
                let src = (k * 3 + c) * plane, dst = (k * 4 + p) * plane
                for i in 0..<plane { out[dst + i] = w[src + i] }
            }
        }
        return Tensor(out, shape: [o, 4, weight.shape[2], weight.shape[3]])
    }
}
