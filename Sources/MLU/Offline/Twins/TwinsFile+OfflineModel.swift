extension TwinsFile {
    /// The twins description of `model`, as `ct.save_as_cambricon` writes it next to the model.
    ///
    /// Fields Cambricon fills with meaningless values get fixed ones: mask 0, the graph value id as
    /// `Id`, quantize position 0 and scale 0. The kernel header's core version is printed empty, as
    /// in every real file.
    /// - Parameter modelFileName: the `.cambricon` file name printed in the header line.
    public init(model: OfflineModel, modelFileName: String) {
        func tensor(_ d: OfflineIODescriptor) -> TwinsTensor {
            TwinsTensor(mask: 0, shape: d.shape, name: d.name, id: Int64(d.valueId), dataType: d.dataType.rawValue,
                        dimOrder: d.dimOrder.rawValue, quantizePosition: 0, quantizeScale: 0)
        }
        let header = TwinsKernelHeader(name: model.graph.functionName, coreVersion: "",
                                       modelParallelism: model.target.coreNumber, coreLimit: model.target.coreNumber)
        let function = TwinsFunction(name: model.graph.functionName, inputs: model.inputs.map(tensor),
                                     outputs: model.outputs.map(tensor), kernelHeaders: [header])
        self.init(modelFileName: modelFileName, functions: [function])
    }
}
