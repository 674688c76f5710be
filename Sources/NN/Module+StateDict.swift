import Tensors

extension Module {
    /// Parameters and persistent buffers with PyTorch's dotted keys and order: each module's own parameters,
    /// then its buffers, then its children depth first. None entries are left out.
    public func stateDict(prefix: String = "") -> [(key: String, tensor: Tensor)] {
        var out = [(key: String, tensor: Tensor)]()
        for (path, m) in namedModules(prefix: "") {
            let base = prefix + (path.isEmpty ? "" : path + ".")
            for name in m.parameterNames { if let t = m.parameter(name) { out.append((base + name, t)) } }
            for name in m.persistentBufferNames { if let t = m.buffer(name) { out.append((base + name, t)) } }
        }
        return out
    }

    /// Copies `entries` into this module's parameters and buffers (converted to each one's dtype and device).
    ///
    /// - Parameter strict: when true, missing and unexpected keys are errors; when false they are returned.
    /// - Throws: `NNError.loadStateDict` listing every missing key, unexpected key and size mismatch together
    ///   (size mismatches are errors even when not strict, as in PyTorch). Nothing is loaded when it throws.
    @discardableResult
    public func loadStateDict(_ entries: [(key: String, tensor: Tensor)], strict: Bool = true) throws -> IncompatibleKeys {
        var given = [String: Tensor]()
        var givenOrder = [String]()
        for (k, t) in entries {
            if given.updateValue(t, forKey: k) == nil { givenOrder.append(k) }
        }
        var expected = Set<String>()
        var missing = [String]()
        var mismatches = [LoadStateDictReport.SizeMismatch]()
        var assignments = [(module: Module, name: String, tensor: Tensor)]()
        for (path, m) in namedModules() {
            let base = path.isEmpty ? "" : path + "."
            let names = m.parameterNames.filter { m.parameter($0) != nil } + m.persistentBufferNames.filter { m.buffer($0) != nil }
            for name in names {
                let key = base + name
                expected.insert(key)
                guard let current = m.parameter(name) ?? m.buffer(name) else { continue }
                guard let incoming = given[key] else { missing.append(key); continue }
                guard incoming.shape == current.shape else {
                    mismatches.append(.init(key: key, checkpointShape: incoming.shape, modelShape: current.shape))
                    continue
                }
                assignments.append((m, name, incoming.to(current.dtype).dense().to(current.device)))
            }
        }
        let unexpected = givenOrder.filter { !expected.contains($0) }
        if !mismatches.isEmpty || (strict && (!missing.isEmpty || !unexpected.isEmpty)) {
            throw NNError.loadStateDict(LoadStateDictReport(moduleName: typeName, missingKeys: strict ? missing : [],
                                                            unexpectedKeys: strict ? unexpected : [], sizeMismatches: mismatches))
        }
        for a in assignments { a.module.replaceTensor(a.name, with: a.tensor) }
        return IncompatibleKeys(missingKeys: missing, unexpectedKeys: unexpected)
    }
}
