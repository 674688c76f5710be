import Foundation
import Tensors

/// The single entry point of every tensor operation the script layer and the NN layers perform.
///
/// It picks the backend from the inputs' device (CPU kernels, or the MLU backend the MLU module registers),
/// then tells the active recorders (the tracer) what ran. Callers never name a backend, so tracing and the
/// emulated device plug in without touching them.
public final class Dispatcher: @unchecked Sendable {
    /// The process-wide dispatcher.
    public static let shared = Dispatcher()

    private let lock = NSLock()
    private var cpuBackend: Backend = CPUBackend()
    private var mluBackend: Backend?
    private var recorders: [OpRecorder] = []

    public init() {}

    /// Installs the backend for MLU tensors (module MLU does this).
    public func register(mlu backend: Backend) {
        lock.lock(); defer { lock.unlock() }
        mluBackend = backend
    }

    /// Replaces the CPU backend (tests, or a fused executor).
    public func register(cpu backend: Backend) {
        lock.lock(); defer { lock.unlock() }
        cpuBackend = backend
    }

    /// Runs `body` with `recorder` seeing every dispatched op (nested recorders all see them).
    public func recording<R>(with recorder: OpRecorder, _ body: () throws -> R) rethrows -> R {
        lock.lock(); recorders.append(recorder); lock.unlock()
        defer {
            lock.lock()
            if let i = recorders.lastIndex(where: { $0 === recorder }) { recorders.remove(at: i) }
            lock.unlock()
        }
        return try body()
    }

    /// The backend that runs ops on `device`.
    public func backend(for device: Device) throws -> Backend {
        lock.lock(); defer { lock.unlock() }
        switch device {
        case .cpu: return cpuBackend
        case .mlu:
            guard let mluBackend else {
                throw TensorError.invalidArgument("no MLU backend is registered; import the MLU module (torch_mlu) before using \(device)")
            }
            return mluBackend
        }
    }

    /// Executes `op` on `inputs` with the backend of their device.
    public func run(_ op: Op, _ inputs: [Tensor]) throws -> [Tensor] {
        let device = inputs.first?.device ?? .cpu
        for t in inputs where t.device != device {
            throw TensorError.invalidArgument("\(op.name): Expected all tensors to be on the same device, but found at least two devices, \(device) and \(t.device)!")
        }
        let outputs = try backend(for: device).execute(op, inputs)
        lock.lock(); let active = recorders; lock.unlock()
        for r in active { r.record(op, inputs: inputs, outputs: outputs) }
        return outputs
    }

    /// Executes a single-output op.
    public func run1(_ op: Op, _ inputs: [Tensor]) throws -> Tensor {
        let out = try run(op, inputs)
        guard let first = out.first else { throw TensorError.invalidArgument("\(op.name) produced no output") }
        return first
    }
}
