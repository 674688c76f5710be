import Foundation

extension Tensor {
    /// Throws when a tensor of `shape` and `dtype` cannot be allocated: negative sizes, an element count that
    /// overflows, or more bytes than the machine's physical memory. Kernels whose output size comes from user
    /// arguments (factories, interpolation, padding, transposed convolution) call it before allocating, so a
    /// typo such as `scale_factor=1e6` is an error instead of a crashed process.
    public static func checkAllocation(_ shape: [Int], dtype: DType = .float32, op: String) throws {
        var total = 1
        for s in shape {
            guard s >= 0 else { throw TensorError.invalidArgument("\(op): negative dimension in shape \(shape)") }
            let (p, overflow) = total.multipliedReportingOverflow(by: s)
            guard !overflow else { throw TensorError.invalidArgument("\(op): shape \(shape) has too many elements") }
            total = p
        }
        let (bytes, overflow) = total.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, UInt64(bytes) <= ProcessInfo.processInfo.physicalMemory else {
            throw TensorError.invalidArgument("\(op): a \(dtype.rawValue) tensor of shape \(shape) needs more memory than this machine has")
        }
    }
}
