import Tensors

/// Something that executes operators on tensors of one device kind: the CPU float kernels here, the MLU
/// emulation (module MLU) later. Backends return fresh outputs (views share their input's storage).
public protocol Backend: AnyObject, Sendable {
    /// A short name for errors and traces (`cpu`, `mlu`).
    var name: String { get }
    /// Runs `op` on `inputs`; throws a `TensorError` naming the op and shapes on bad input.
    func execute(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor]
}

/// Observes every dispatched operation: the tracer (`torch.jit.trace`) and per-layer error tools plug in here.
public protocol OpRecorder: AnyObject {
    func record(_ op: Op, inputs: [Tensor], outputs: [Tensor])
}
