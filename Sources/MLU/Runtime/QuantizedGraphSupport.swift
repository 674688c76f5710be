import NN
import Ops
import Quantization
import Tensors

/// Wires the quantizer's layers (`MLUConv2d`, `MLULinear`) into tracing, fused mode and offline models
/// through `GraphRuntime`'s three hooks (docs/runtime.md, "Quantized layers").
///
/// - Tracing: each quantized layer records its node (`conv2d` / `linear` on its own weight and bias)
///   from its `capture` hook, since its integer forward does not go through the dispatcher.
/// - Annotation: a layer's `LayerQuantization` becomes the node's `NodeQuantization`.
/// - Execution: `QuantizedNodeExecutor` computes such nodes with the same integer arithmetic as
///   layer-by-layer mode (`QuantizedCompute`), so fused and layer-by-layer agree.
/// A firstconv layer records its node like any other; its normalization travels in the
/// `NodeQuantization` (`inputMean255`/`inputStd255`), so the node takes raw pixels, and lowering gives the
/// offline model its uint8 4-channel NHWC input (docs/runtime.md, "firstconv").
public enum QuantizedGraphSupport {
    /// Sets the hooks (idempotent).
    public static func install() {
        GraphRuntime.quantizedKernel = QuantizedNodeExecutor()
        GraphRuntime.quantizationOfModule = { module in
            guard let layer = module as? MLUQuantizedLayer, layer is MLUConv2d || layer is MLULinear else { return nil }
            return nodeQuantization(layer.quantization)
        }
        GraphRuntime.tracingInstaller = { root, tracer in
            var undo = [() -> Void]()
            for (_, module) in root.namedModules() {
                guard let layer = module as? MLUQuantizedLayer, let weight = layer.parameter("weight") else { continue }
                let op: Op
                if let conv = layer as? MLUConv2d {
                    op = .conv2d(Conv2dAttributes(stride: conv.stride, padding: conv.padding, dilation: conv.dilation, groups: conv.groups))
                } else if layer is MLULinear {
                    op = .linear
                } else {
                    continue
                }
                let q = layer.quantization
                let previous = q.capture
                q.capture = { x, y in
                    previous?(x, y)
                    guard x.device.isMLU else { return }
                    tracer.record(op, inputs: [x, weight] + (layer.parameter("bias").map { [$0] } ?? []), outputs: [y])
                }
                undo.append { q.capture = previous }
            }
            return { undo.forEach { $0() } }
        }
    }

    static func nodeQuantization(_ q: LayerQuantization) -> NodeQuantization {
        NodeQuantization(dtype: q.dtype == .int8 ? .int8 : .int16, inputScale: Double(q.inputScale),
                         weightScales: q.weightScales, weightAxis: q.perChannel ? 0 : nil,
                         inputMean255: q.skipsFirstConvNormalization ? nil : q.firstConv?.mean255,
                         inputStd255: q.skipsFirstConvNormalization ? nil : q.firstConv?.std255)
    }
}

/// Computes quantized `conv2d` / `linear` nodes as the MLU does (reference §1.6): quantize input and
/// weight, exact integer accumulation, dequantize, float bias; fused BatchNorm and ReLU; FP16 result for FP16 input.
final class QuantizedNodeExecutor: QuantizedNodeKernel {
    func execute(_ node: Node, inputs: [Tensor]) throws -> [Tensor] {
        try execute(node, inputs: inputs, preferredFormat: nil)
    }

    func execute(_ node: Node, inputs: [Tensor], preferredFormat: MemoryFormat?) throws -> [Tensor] {
        guard let q = node.quantization, inputs.count >= 2 else {
            throw GraphError.nodeFailed(node: node.name, op: node.op.name, message: "a quantized node needs its quantization, input and weight")
        }
        let dtype: QuantDType = q.dtype == .int16 ? .int16 : .int8
        // An absorbed `cat`: the first `parts` inputs are the concatenated activations; an absorbed `interpolate`:
        // the input is resized first.
        let parts = q.activationInputs
        guard parts >= 1, inputs.count >= parts + 1, q.resizedInputs.map({ $0.count == parts }) ?? true else {
            throw GraphError.nodeFailed(node: node.name, op: node.op.name, message: "a quantized node needs its \(parts) input(s) and weight")
        }
        let x = inputs[0], weight = inputs[parts], bias = inputs.count > parts + 1 ? inputs[parts + 1] : nil
        var y: Tensor
        do {
            switch node.op {
            case .conv2d(let a) where parts > 1 || q.resizedInputs != nil:
                let activations = try (0..<parts).map { i -> ConvolutionInput in
                    let t = inputs[i]
                    guard let attributes = q.resizedInputs?[i] else { return ConvolutionInput(t) }
                    guard t.rank == 4, let resize = try BilinearResize(attributes, inputHeight: t.shape[2], inputWidth: t.shape[3]) else {
                        throw QuantizationError.invalidArgument("an absorbed resize must be bilinear on a 4-D input, got \(t.shape)")
                    }
                    return ConvolutionInput(t, resize: resize)
                }
                y = try QuantizedCompute.conv2d(concatenating: activations, weight: weight, bias: bias,
                                                geometry: .init(stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups),
                                                dtype: dtype, inputScale: Float(q.inputScale), weightScales: q.weightScales,
                                                epilogue: ConvolutionEpilogue(affine: q.outputAffine, relu: a.fusedReLU),
                                                outputFormat: preferredFormat, outputCodeScale: q.outputCodeScale.map { Float($0) })
            case .conv2d(let a):
                // BatchNorm and ReLU run in the convolution's own pass; FP16 results round once at the end,
                // which equals rounding before a ReLU (monotone, 0 and NaN kept). A fused BatchNorm only
                // comes with float32 values (`fusingBatchNormIntoQuantizedConvolutions`).
                y = try QuantizedCompute.conv2d(x, weight: weight, bias: bias,
                                                geometry: .init(stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups),
                                                dtype: dtype, inputScale: Float(q.inputScale), weightScales: q.weightScales,
                                                normalization: try normalization(of: q, node: node, channels: x.shape.count == 4 ? x.shape[1] : 0),
                                                epilogue: ConvolutionEpilogue(affine: q.outputAffine, relu: a.fusedReLU),
                                                outputFormat: preferredFormat, inputIsCodes: q.inputIsCodes,
                                                outputCodeScale: q.outputCodeScale.map { Float($0) })
            case .linear:
                let inFeatures = weight.shape.last ?? 0, outFeatures = weight.shape.first ?? 0
                let rows = inFeatures > 0 ? x.count / inFeatures : 0
                let out = try QuantizedCompute.conv2d(x.contiguous().reshape([rows, inFeatures, 1, 1]),
                                                      weight: weight.reshape([outFeatures, inFeatures, 1, 1]), bias: bias,
                                                      geometry: .init(), dtype: dtype, inputScale: Float(q.inputScale),
                                                      weightScales: q.weightScales)
                y = try out.reshape(Array(x.shape.dropLast()) + [outFeatures])
            default:
                throw GraphError.nodeFailed(node: node.name, op: node.op.name, message: "only conv2d and linear nodes can be quantized")
            }
        } catch let e as QuantizationError {
            throw GraphError.nodeFailed(node: node.name, op: node.op.name, message: e.description)
        }
        if x.dtype == .float16 && q.outputCodeScale == nil { y = y.to(.float16) }
        y.device = x.device
        return [y]
    }

    /// The firstconv normalization of a node, checked against its input channels.
    private func normalization(of q: NodeQuantization, node: Node, channels: Int) throws -> FirstConvNormalization? {
        guard let mean = q.inputMean255, let std = q.inputStd255 else { return nil }
        guard mean.count == channels, std.count == channels else {
            throw GraphError.nodeFailed(node: node.name, op: node.op.name,
                                        message: "firstconv normalization has \(mean.count) means and \(std.count) stds for \(channels) input channels")
        }
        return FirstConvNormalization(mean255: mean, std255: std)
    }
}
