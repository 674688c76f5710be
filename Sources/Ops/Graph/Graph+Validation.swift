import Tensors

extension Graph {
    /// Checks the invariants every pass keeps: value ids in range, unique names, each value defined once
    /// (input, constant or node output) and before it is read, constants matching their values, and
    /// outputs defined.
    /// - Throws: the first `GraphError` found.
    public func validate() throws {
        var names = Set<String>()
        for v in values where !names.insert(v.name).inserted { throw GraphError.duplicateValueName(v.name) }
        var defined = [Bool](repeating: false, count: values.count)
        func check(_ id: Int, _ user: String) throws {
            guard values.indices.contains(id) else { throw GraphError.valueOutOfRange(id: id, count: values.count, usedBy: user) }
        }
        func define(_ id: Int, _ by: String) throws {
            try check(id, by)
            if defined[id] { throw GraphError.valueDefinedTwice(value: values[id].name, by: by) }
            defined[id] = true
        }
        for (k, id) in inputs.enumerated() { try define(id, "graph input #\(k)") }
        for id in constants.keys.sorted() {
            try define(id, "a constant")
            guard let t = constants[id] else { continue }
            let v = values[id]
            guard t.shape == v.shape, t.dtype == v.dtype else {
                throw GraphError.constantMismatch(value: v.name, expected: "\(v.dtype.rawValue) \(v.shape)", found: "\(t.dtype.rawValue) \(t.shape)")
            }
        }
        for node in nodes {
            let user = "node '\(node.name)' (\(node.op.name))"
            for id in node.inputs {
                try check(id, user)
                guard defined[id] else { throw GraphError.undefinedValue(value: values[id].name, usedBy: user) }
            }
            for id in node.outputs { try define(id, user) }
        }
        for (k, id) in outputs.enumerated() {
            try check(id, "graph output #\(k)")
            guard defined[id] else { throw GraphError.undefinedValue(value: values[id].name, usedBy: "graph output #\(k)") }
        }
    }

    /// For each value id, the indices of the nodes that read it (in node order).
    public func consumers() -> [[Int]] {
        var result = [[Int]](repeating: [], count: values.count)
        for (n, node) in nodes.enumerated() {
            for id in node.inputs where result.indices.contains(id) && result[id].last != n { result[id].append(n) }
        }
        return result
    }

    /// The index of the node defining each value id (nil for inputs and constants).
    public func producers() -> [Int?] {
        var result = [Int?](repeating: nil, count: values.count)
        for (n, node) in nodes.enumerated() {
            for id in node.outputs where result.indices.contains(id) { result[id] = n }
        }
        return result
    }

    /// The same graph without values that nothing defines or reads, with value ids renumbered densely
    /// (inputs first, then constants in id order, then node outputs in node order) and the memory plan
    /// dropped (ids changed).
    public func compacted() -> Graph {
        var used = Set(inputs).union(outputs)
        for node in nodes { used.formUnion(node.inputs); used.formUnion(node.outputs) }
        var order = [Int]()
        var seen = Set<Int>()
        func visit(_ id: Int) { if values.indices.contains(id), used.contains(id), seen.insert(id).inserted { order.append(id) } }
        inputs.forEach(visit)
        constants.keys.sorted().forEach(visit)
        for node in nodes { node.outputs.forEach(visit) }
        var remap = [Int: Int]()
        for (new, old) in order.enumerated() { remap[old] = new }
        func map(_ id: Int) -> Int { remap[id] ?? id }
        var g = Graph()
        g.values = order.map { values[$0] }
        g.inputs = inputs.map(map)
        g.outputs = outputs.map(map)
        for (id, t) in constants { if let n = remap[id] { g.constants[n] = t } }
        g.nodes = nodes.map { n in
            var m = n
            m.inputs = n.inputs.map(map)
            m.outputs = n.outputs.map(map)
            return m
        }
        return g
    }
}
