import Ops
import Tensors

/// `nn.Sequential`: children named "0", "1", ... applied in order. Errors carry the failing child's path.
open class Sequential: Module {
    public init(_ modules: [Module]) throws {
        super.init()
        for (i, m) in modules.enumerated() { try registerModule(String(i), m) }
    }

    /// Children as (name, module) pairs, like `nn.Sequential(OrderedDict(...))`.
    public init(named modules: [(String, Module)]) throws {
        super.init()
        for (name, m) in modules { try registerModule(name, m) }
    }

    public var count: Int { children().count }

    /// The child at `index` (negative counts from the end).
    public func module(at index: Int) throws -> Module {
        let c = children()
        let i = index < 0 ? index + c.count : index
        guard i >= 0 && i < c.count else { throw NNError.attribute("index \(index) is out of range for Sequential of length \(c.count)") }
        return c[i]
    }

    /// Appends a module under the next index.
    public func append(_ module: Module) throws { try registerModule(String(children().count), module) }

    open override func forward(_ x: Tensor) throws -> Tensor {
        var y = x
        for (name, m) in namedChildren() {
            do { y = try m(y) } catch let e as NNError { throw e.prefixed(by: name) }
        }
        return y
    }
}

/// `nn.ModuleList`: an indexable list of children (no forward of its own).
open class ModuleList: Module {
    public init(_ modules: [Module] = []) throws {
        super.init()
        for (i, m) in modules.enumerated() { try registerModule(String(i), m) }
    }

    public var count: Int { children().count }

    public func module(at index: Int) throws -> Module {
        let c = children()
        let i = index < 0 ? index + c.count : index
        guard i >= 0 && i < c.count else { throw NNError.attribute("index \(index) is out of range for ModuleList of length \(c.count)") }
        return c[i]
    }

    public func append(_ module: Module) throws { try registerModule(String(children().count), module) }

    /// PyTorch 2.x groups consecutive identical children: `(0-2): 3 x Linear(...)`.
    open override var childReprLines: [String] {
        let items = namedChildren()
        var blocks = [(start: Int, end: Int, repr: String)]()
        for (i, item) in items.enumerated() {
            let r = item.module.repr
            if let last = blocks.last, last.repr == r { blocks[blocks.count - 1].end = i } else { blocks.append((i, i, r)) }
        }
        return blocks.map { b in
            let text = b.start == b.end ? "(\(b.start)): \(b.repr)" : "(\(b.start)-\(b.end)): \(b.end - b.start + 1) x \(b.repr)"
            return Module.addIndent(text, 2)
        }
    }

    open override func forward(_ x: Tensor) throws -> Tensor {
        throw NNError.notImplemented("ModuleList has no forward; iterate over its modules instead")
    }
}

/// `nn.ModuleDict`: children by key, in insertion order.
open class ModuleDict: Module {
    public init(_ modules: [(String, Module)] = []) throws {
        super.init()
        for (k, m) in modules { try registerModule(k, m) }
    }

    public subscript(key: String) -> Module? { child(key) }

    public var keys: [String] { namedChildren().map(\.name) }

    public func set(_ key: String, _ module: Module) throws { try registerModule(key, module) }

    open override func forward(_ x: Tensor) throws -> Tensor {
        throw NNError.notImplemented("ModuleDict has no forward; index it by key instead")
    }
}
