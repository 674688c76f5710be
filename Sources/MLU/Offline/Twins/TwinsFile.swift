/// The contents of a `.cambricon_twins` file: Cambricon's plain-text description of an offline
/// model (reference cambricon.md §5), the documented place to read a model's I/O.
///
/// Field names follow the file. `mask`, `id` and the quantize fields of float I/O hold values
/// Cambricon's tools leave uninitialised; they are carried through, never interpreted.
public struct TwinsFile: Equatable, Sendable {
    /// e.g. "yolov5s.cambricon", printed in the header line.
    public var modelFileName: String
    public var functions: [TwinsFunction]

    public init(modelFileName: String, functions: [TwinsFunction]) {
        self.modelFileName = modelFileName
        self.functions = functions
    }
}

/// One `Function #i { ... }` block.
public struct TwinsFunction: Equatable, Sendable {
    public var kernelNumber: Int
    public var cacheMode: Int
    /// The name `cnrtExtractFunction` takes, normally "subnet0".
    public var name: String
    public var inputs: [TwinsTensor]
    public var outputs: [TwinsTensor]
    public var kernelHeaders: [TwinsKernelHeader]

    public init(kernelNumber: Int = 1, cacheMode: Int = 0, name: String, inputs: [TwinsTensor],
                outputs: [TwinsTensor], kernelHeaders: [TwinsKernelHeader]) {
        self.kernelNumber = kernelNumber
        self.cacheMode = cacheMode
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.kernelHeaders = kernelHeaders
    }
}

/// One `Input #k.` / `Output #k.` entry.
public struct TwinsTensor: Equatable, Sendable {
    public var mask: Int64
    /// NHWC dimensions (rank may be 2, e.g. `1 1000`).
    public var shape: [Int]
    public var name: String
    public var id: Int64
    /// `CNRT_FLOAT32`, `CNRT_FLOAT16`, `CNRT_UINT8`, ... kept as text so other CNRT types parse.
    public var dataType: String
    /// `CNRT_NHWC` in every known file.
    public var dimOrder: String
    public var quantizePosition: Int64
    /// Printed with `%f` (so `-0.000000` survives a round trip as -0.0).
    public var quantizeScale: Double

    public init(mask: Int64 = 0, shape: [Int], name: String = "", id: Int64, dataType: String,
                dimOrder: String = CNRTDimOrder.nhwc.rawValue, quantizePosition: Int64 = 0, quantizeScale: Double = 0) {
        self.mask = mask
        self.shape = shape
        self.name = name
        self.id = id
        self.dataType = dataType
        self.dimOrder = dimOrder
        self.quantizePosition = quantizePosition
        self.quantizeScale = quantizeScale
    }
}

/// One `Kernel header #i:` block.
public struct TwinsKernelHeader: Equatable, Sendable {
    /// e.g. "subnet0442" (Cambricon appends a number to the function name).
    public var name: String
    /// Printed empty by Cambricon's tools.
    public var coreVersion: String
    /// Equals the core number (`ct.set_core_number`).
    public var modelParallelism: Int
    public var coreLimit: Int
    public var instDataSplit: Bool

    public init(name: String, coreVersion: String = "", modelParallelism: Int, coreLimit: Int, instDataSplit: Bool = true) {
        self.name = name
        self.coreVersion = coreVersion
        self.modelParallelism = modelParallelism
        self.coreLimit = coreLimit
        self.instDataSplit = instDataSplit
    }
}
