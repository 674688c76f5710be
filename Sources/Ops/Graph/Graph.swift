import Tensors

/// A traced computation: named values, nodes in topological order, graph inputs and outputs, and
/// constants (weights) held as tensors (STYLE "Build the graph, then run it").
///
/// Values are referred to by their index in `values` (a *value id*). Every value is defined exactly once:
/// as a graph input, as a constant, or as an output of one node, and a node reads only values defined
/// before it. `validate()` checks this; passes keep it. The same structure is what the offline model
/// stores (module MLU, `Sources/MLU/Lowering`).
public struct Graph: @unchecked Sendable {
    /// Every value of the graph, indexed by value id.
    public var values: [GraphValue]
    /// Value ids of the graph inputs, in call order.
    public var inputs: [Int]
    /// Value ids of the graph outputs, in return order.
    public var outputs: [Int]
    /// Constant values (weights, biases, statistics) by value id.
    public var constants: [Int: Tensor]
    /// The operations, in topological order.
    public var nodes: [Node]
    /// The buffer plan of `planMemory`, when it has run on this exact graph.
    public var memoryPlan: MemoryPlan?

    public init(values: [GraphValue] = [], inputs: [Int] = [], outputs: [Int] = [], constants: [Int: Tensor] = [:],
                nodes: [Node] = [], memoryPlan: MemoryPlan? = nil) {
        self.values = values
        self.inputs = inputs
        self.outputs = outputs
        self.constants = constants
        self.nodes = nodes
        self.memoryPlan = memoryPlan
    }

    /// Adds a value with a name unique in this graph (a suffix `_1`, `_2`, … is added on collision).
    /// - Returns: the new value id.
    @discardableResult
    public mutating func addValue(name: String, shape: [Int], dtype: DType) -> Int {
        values.append(GraphValue(name: uniqueName(name.isEmpty ? "v" : name), shape: shape, dtype: dtype))
        return values.count - 1
    }

    /// Adds a constant value holding `tensor`.
    @discardableResult
    public mutating func addConstant(_ tensor: Tensor, name: String) -> Int {
        let id = addValue(name: name, shape: tensor.shape, dtype: tensor.dtype)
        constants[id] = tensor
        return id
    }

    /// `base`, or `base_k` for the smallest k ≥ 1 that no value uses yet.
    func uniqueName(_ base: String) -> String {
        let taken = Set(values.map(\.name))
        if !taken.contains(base) { return base }
        var k = 1
        while taken.contains("\(base)_\(k)") { k += 1 }
        return "\(base)_\(k)"
    }
}

/// One value of a graph: a unique name, its shape and dtype (known statically: tracing records them).
public struct GraphValue: Hashable, Sendable {
    public var name: String
    public var shape: [Int]
    public var dtype: DType

    public init(name: String, shape: [Int], dtype: DType) {
        self.name = name
        self.shape = shape
        self.dtype = dtype
    }

    /// Bytes of a dense tensor of this value.
    public var byteCount: Int { shape.reduce(1, *) * dtype.itemSize }
}

/// One operation of a graph: the engine's `Op` with its attributes, the value ids it reads and defines,
/// and a name (the module path such as `enc1.0.0` when the tracer knew it, otherwise op kind + counter).
public struct Node: @unchecked Sendable {
    public var op: Op
    public var inputs: [Int]
    public var outputs: [Int]
    public var name: String
    /// Set on quantized Conv/Linear nodes by the quantizer; nil for float nodes.
    public var quantization: NodeQuantization?

    public init(op: Op, inputs: [Int], outputs: [Int], name: String, quantization: NodeQuantization? = nil) {
        self.op = op
        self.inputs = inputs
        self.outputs = outputs
        self.name = name
        self.quantization = quantization
    }
}

/// How a quantized node (Conv/Linear family) computes on the MLU: the seam to the quantizer.
///
/// The graph keeps real (float) weights; `weightScales` say how the lowering turns them into int8/int16
/// constants (real = q / scale, Catch's multiplicative scale, reference cambricon.md §1.1), and
/// `inputScale` is the activation scale the MLU applies before the integer convolution. The executor runs
/// such nodes through a `QuantizedNodeKernel` (module Quantization/MLU provides it).
public struct NodeQuantization: Hashable, Sendable {
    /// `.int8` or `.int16`.
    public var dtype: DType
    /// Scale of the node's first input (activations).
    public var inputScale: Double
    /// One scale for the whole weight, or one per output channel.
    public var weightScales: [Float]
    /// The weight axis the per-channel scales run along (0 for Conv/Linear), nil for one scale.
    public var weightAxis: Int?
    /// firstconv (reference §2): `mean × 255` and `std × 255` per input channel. The node's input is raw
    /// 0..255 pixels, normalised as `(x − mean255) / std255` before quantizing; nil for every other layer.
    public var inputMean255: [Float]?
    public var inputStd255: [Float]?
    /// An inference BatchNorm that fused mode folded into the node's float epilogue
    /// (`fusingBatchNormIntoQuantizedConvolutions`): applied to the dequantized output, before a fused ReLU.
    /// Only optimized graphs carry it; traced graphs, and so offline models, keep the BatchNorm node.
    public var outputAffine: ChannelAffine?
    /// Set by `absorbingConcatIntoQuantizedConvolutions` (execution only, like `outputAffine`): the node's
    /// first `concatenatedInputs` inputs, concatenated along channels, are its activation input (the `cat` it
    /// absorbed); the weight and bias follow them. nil: one activation input.
    public var concatenatedInputs: Int?
    /// Set by `absorbingResizeIntoQuantizedConvolutions` (execution only): one entry per activation input (the
    /// `concatenatedInputs` parts, or the one input), the bilinear `interpolate` the node computes on that input
    /// before quantizing it (the `interpolate` node it absorbed), or nil for an input taken as it is.
    public var resizedInputs: [InterpolateAttributes?]?
    /// Set by `passingCodesBetweenQuantizedConvolutions` (execution only): the node writes its output as int8
    /// codes at this scale (its one reader's `inputScale`) instead of floats, the reader quantizing it in the
    /// same pass that dequantizes it.
    public var outputCodeScale: Double?
    /// Set with the producer's `outputCodeScale`: the node's activation input is int8 codes at its `inputScale`,
    /// taken as they are.
    public var inputIsCodes: Bool

    public init(dtype: DType, inputScale: Double, weightScales: [Float], weightAxis: Int? = nil,
                inputMean255: [Float]? = nil, inputStd255: [Float]? = nil, outputAffine: ChannelAffine? = nil,
                concatenatedInputs: Int? = nil, resizedInputs: [InterpolateAttributes?]? = nil, outputCodeScale: Double? = nil,
                inputIsCodes: Bool = false) {
        self.dtype = dtype
        self.inputScale = inputScale
        self.weightScales = weightScales
        self.weightAxis = weightAxis
        self.inputMean255 = inputMean255
        self.inputStd255 = inputStd255
        self.outputAffine = outputAffine
        self.concatenatedInputs = concatenatedInputs
        self.resizedInputs = resizedInputs
        self.outputCodeScale = outputCodeScale
        self.inputIsCodes = inputIsCodes
    }

    /// Whether the node carries a fusion only executors run (`outputAffine`, `concatenatedInputs`,
    /// `resizedInputs`, `outputCodeScale`, `inputIsCodes`): such a node belongs to `optimizedForExecution()`'s
    /// graph and cannot be lowered to an offline model.
    public var hasExecutionOnlyFusion: Bool {
        outputAffine != nil || concatenatedInputs != nil || resizedInputs != nil || outputCodeScale != nil || inputIsCodes
    }

    /// How many of the node's inputs are activations (the rest are its weight and bias).
    public var activationInputs: Int { concatenatedInputs ?? 1 }

    /// Whether the node is a firstconv layer: it takes raw pixels and normalises them itself.
    public var normalizesInput: Bool { inputMean255 != nil }
}

/// A per-channel `x · scale + shift` (one fused multiply-add per value, as the BatchNorm kernel computes it).
public struct ChannelAffine: Hashable, Sendable {
    public var scale: [Float]
    public var shift: [Float]

    public init(scale: [Float], shift: [Float]) {
        self.scale = scale
        self.shift = shift
    }
}
