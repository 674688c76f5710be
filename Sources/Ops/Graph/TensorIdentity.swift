import Tensors

/// What the tracer takes as "the same tensor": the same storage object, offset, shape, strides and dtype.
/// Two views of one storage with different geometry are different tensors; a tensor re-created with
/// identical geometry on the same storage is the same one. The device tag is left out: `to(device)` only
/// re-tags the same host storage in the emulator, so a moved tensor is still the same value.
///
/// Limits (docs/graph.md): the storage is compared by object identity, so the tracer keeps every storage
/// it has seen alive until tracing ends (otherwise a freed storage's address could be reused by a new,
/// unrelated one); writes that bypass the dispatcher (in-place kernels called directly) are invisible.
struct TensorIdentity: Hashable {
    let storage: ObjectIdentifier
    let offset: Int
    let shape: [Int]
    let strides: [Int]
    let dtype: DType

    init(_ t: Tensor) {
        storage = ObjectIdentifier(t.storage)
        offset = t.offset
        shape = t.shape
        strides = t.strides
        dtype = t.dtype
    }
}
