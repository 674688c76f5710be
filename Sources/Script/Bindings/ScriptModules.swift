import NN
import Tensors

/// A Swift module whose `forward` may live in a script class (`class Net(nn.Module)`).
///
/// The native base of a script instance keeps a strong reference to that instance, so a model built
/// in a script stays whole while only native containers hold it (a `Sequential` of script blocks).
protocol ScriptBacked: AnyObject {
    var scriptInstance: Instance? { get set }
    var interpreter: Interpreter? { get set }
}

extension ScriptBacked {
    /// The script's `forward` when the script class defines one.
    func scriptForward(_ input: Tensor) throws -> Tensor? {
        guard let instance = scriptInstance, let interpreter, ScriptModuleSupport.definesForward(instance.cls) else { return nil }
        let out = try interpreter.callMethod(.instance(instance), "forward", [Convert.wrap(input)])
        guard let t = Convert.tensorOrNil(out) else {
            throw ScriptError.typeError("\(instance.cls.name).forward returned \(Convert.typeName(out)), but a Tensor was expected by the enclosing container")
        }
        return t
    }
}

enum ScriptModuleSupport {
    /// True when a script class (not a native one) in the MRO defines `forward`.
    static func definesForward(_ cls: ClassObject) -> Bool {
        for c in cls.mro where c.native == nil {
            if c.attributes["forward"] != nil { return true }
        }
        return false
    }
}

/// The native base of `class Net(nn.Module)`.
final class ScriptModule: NNModule, ScriptBacked {
    var scriptInstance: Instance?
    weak var interpreter: Interpreter?

    override func forward(_ input: Tensor) throws -> Tensor {
        if let out = try scriptForward(input) { return out }
        return try super.forward(input)
    }
}

/// The native base of `class Block(nn.Sequential)`: PyTorch's Sequential unless the script overrides `forward`.
final class ScriptSequential: Sequential, ScriptBacked {
    var scriptInstance: Instance?
    weak var interpreter: Interpreter?

    override func forward(_ input: Tensor) throws -> Tensor {
        if let out = try scriptForward(input) { return out }
        return try super.forward(input)
    }
}

final class ScriptModuleList: ModuleList, ScriptBacked {
    var scriptInstance: Instance?
    weak var interpreter: Interpreter?

    override func forward(_ input: Tensor) throws -> Tensor {
        if let out = try scriptForward(input) { return out }
        return try super.forward(input)
    }
}

final class ScriptModuleDict: ModuleDict, ScriptBacked {
    var scriptInstance: Instance?
    weak var interpreter: Interpreter?

    override func forward(_ input: Tensor) throws -> Tensor {
        if let out = try scriptForward(input) { return out }
        return try super.forward(input)
    }
}
