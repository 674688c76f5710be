import Foundation
import Ops
import Tensors

extension Module {
    /// Runs a layer's computation, turning kernel errors into `NNError.forward` naming this layer.
    func runLayer(_ body: () throws -> Tensor) throws -> Tensor {
        do {
            return try body()
        } catch let e as TensorError {
            throw NNError.forward(path: [], layer: repr, message: e.description)
        }
    }

    /// Throws `NNError.forward` naming this layer when `condition` is false.
    func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw NNError.forward(path: [], layer: repr, message: message()) }
    }

    /// Uniform(-bound, bound) initial values, PyTorch's default for conv/linear (kaiming_uniform with a=√5).
    static func uniformInit(_ shape: [Int], bound: Double) throws -> Tensor {
        let u = try Tensor.rand(shape)
        return try u.binary(.mul, scalar: 2 * bound).binary(.sub, scalar: bound)
    }

    /// Normalises a 1-or-n-element size argument to `n` values, naming the layer and argument on error.
    static func expand(_ v: [Int], to n: Int, layer: String, argument: String) throws -> [Int] {
        if v.count == 1 { return [Int](repeating: v[0], count: n) }
        guard v.count == n else {
            throw NNError.invalidArgument(layer: layer, message: "\(argument) must be an int or a tuple of \(n) ints, got \(v)")
        }
        return v
    }
}
