import Foundation

extension Tensor {
    /// Throws when a tensor of `shape` and `dtype` cannot be allocated: negative sizes, an element count that
    /// overflows, or more bytes than the machine's physical memory. Kernels whose output size comes from user
    /// arguments (factories, interpolation, padding, transposed convolution) call it before allocating, so a
    /// typo such as `scale_factor=1e6` is an error instead of a crashed process.
    public static func checkAllocation(_ shape: [Int], dtype: DType = .float32, op: String) throws {
        let total = try checkShape(shape, op: op)
        let (bytes, overflow) = total.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, UInt64(bytes) <= ProcessInfo.processInfo.physicalMemory else {
            throw TensorError.invalidArgument("\(op): a \(dtype.rawValue) tensor of shape \(shape) needs more memory than this machine has")
        }
    }

    /// Checks that `shape` has no negative dimension and that its element count, and the product of its non-zero
    /// dimensions (what an empty tensor's strides multiply), fit in `Int`, as PyTorch's "numel: integer
    /// multiplication overflow" check does for views. Returns the element count.
    @discardableResult
    public static func checkShape(_ shape: [Int], op: String) throws -> Int {
        var total = 1, span = 1
        for s in shape {
            guard s >= 0 else { throw TensorError.invalidArgument("\(op): negative dimension in shape \(shape)") }
            // `span` skips zero dimensions: an empty tensor's strides still multiply the other dimensions.
            let (p, overflow) = total.multipliedReportingOverflow(by: s)
            let (q, spanOverflow) = span.multipliedReportingOverflow(by: Swift.max(s, 1))
            guard !overflow, !spanOverflow else { throw TensorError.invalidArgument("\(op): shape \(shape) has too many elements") }
            total = p
            span = q
        }
        return total
    }
}
