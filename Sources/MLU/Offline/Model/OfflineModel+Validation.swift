import Tensors

extension OfflineModel {
    /// Checks everything the file format requires beyond byte layout: known ops, value ids in range,
    /// each value defined once and before use (topological order), constants matching their values
    /// and carrying valid scales, I/O present, a valid target.
    ///
    /// The writer calls this so it never writes a file the reader would reject; the reader calls it
    /// after decoding.
    /// - Throws: the first `OfflineFormatError` found.
    public func validate(opSet: OfflineOpSet = .current) throws {
        try validateStrings()
        try validateValues()
        let valueCount = graph.values.count
        var defined = [Bool](repeating: false, count: valueCount)

        func define(_ id: Int) throws {
            if defined[id] { throw OfflineFormatError.valueDefinedTwice(id: id, name: graph.values[id].name) }
            defined[id] = true
        }
        func checkRange(_ id: Int, _ section: OfflineSection, _ field: String) throws {
            guard id >= 0, id < valueCount else {
                throw OfflineFormatError.valueIdOutOfRange(section, field: field, id: UInt32(clamping: id), valueCount: valueCount)
            }
        }

        guard !inputs.isEmpty else { throw OfflineFormatError.missingIO(kind: "inputs") }
        guard !outputs.isEmpty else { throw OfflineFormatError.missingIO(kind: "outputs") }
        for (k, d) in inputs.enumerated() {
            try checkRange(d.valueId, .io, "input #\(k)")
            try checkIOShape(d, "input #\(k)")
            try define(d.valueId)
        }
        for c in constants {
            try checkRange(c.valueId, .tensors, "constant value id")
            try validateConstant(c)
            try define(c.valueId)
        }
        for (index, node) in graph.nodes.enumerated() {
            guard opSet.names.contains(node.op) else {
                throw OfflineFormatError.unknownOp(name: node.op, node: index, opsVersion: opSet.version)
            }
            for id in node.inputs {
                try checkRange(id, .graph, "node \(index) inputs")
                guard defined[id] else {
                    throw OfflineFormatError.undefinedValue(id: id, name: graph.values[id].name, usedBy: "node \(index) (\(node.op))")
                }
            }
            for id in node.outputs {
                try checkRange(id, .graph, "node \(index) outputs")
                try define(id)
            }
        }
        for (k, d) in outputs.enumerated() {
            try checkRange(d.valueId, .io, "output #\(k)")
            try checkIOShape(d, "output #\(k)")
            guard defined[d.valueId] else {
                throw OfflineFormatError.undefinedValue(id: d.valueId, name: graph.values[d.valueId].name, usedBy: "output #\(k)")
            }
        }
        try validateTarget()
        guard provenance.sourceSHA256.count == 32 else {
            throw OfflineFormatError.invalidSourceChecksum(byteCount: provenance.sourceSHA256.count)
        }
    }

    private func validateStrings() throws {
        func check(_ s: String, _ section: OfflineSection, _ field: String) throws {
            let n = s.utf8.count
            guard n <= OfflineFormat.maxStringLength else {
                throw OfflineFormatError.stringTooLong(section, field: field, length: UInt32(clamping: n))
            }
        }
        try check(graph.functionName, .graph, "function name")
        for v in graph.values { try check(v.name, .graph, "value name") }
        for (i, node) in graph.nodes.enumerated() {
            try check(node.op, .graph, "node \(i) op")
            for (key, value) in node.attributes {
                try check(key, .graph, "node \(i) attribute key")
                if case .string(let s) = value { try check(s, .graph, "node \(i) attribute '\(key)'") }
            }
        }
        for d in inputs + outputs { try check(d.name, .io, "descriptor name") }
        try check(provenance.toolVersion, .provenance, "tool version")
        for (key, value) in provenance.quantizationSettings {
            try check(key, .provenance, "setting key")
            try check(value, .provenance, "setting '\(key)'")
        }
    }

    private func validateValues() throws {
        var names = Set<String>()
        for (id, v) in graph.values.enumerated() {
            guard !v.name.isEmpty else { throw OfflineFormatError.emptyValueName(id: id) }
            guard names.insert(v.name).inserted else { throw OfflineFormatError.duplicateValueName(v.name) }
            guard v.dtype != .float64, v.dtype != .bfloat16 else {
                throw OfflineFormatError.invalidValueDType(value: v.name, dtype: v.dtype.rawValue)
            }
            try Self.checkShape(v.shape, .graph, "value '\(v.name)' shape")
        }
    }

    static func checkShape(_ shape: [Int], _ section: OfflineSection, _ field: String) throws {
        guard shape.count <= OfflineFormat.maxRank else {
            throw OfflineFormatError.rankTooLarge(section, field: field, rank: shape.count)
        }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw OfflineFormatError.negativeDimension(section, field: field, shape: shape.map { Int64($0) })
        }
        var product = 1
        for d in shape {
            let (p, overflow) = product.multipliedReportingOverflow(by: d)
            guard !overflow, p <= Int.max / 8 else {
                throw OfflineFormatError.elementCountOverflow(section, field: field, shape: shape.map { Int64($0) })
            }
            product = p
        }
    }

    private func checkIOShape(_ d: OfflineIODescriptor, _ field: String) throws {
        try Self.checkShape(d.shape, .io, field + " shape")
        guard !d.shape.isEmpty else {
            throw OfflineFormatError.invalidIOShape(name: d.name.isEmpty ? field : d.name, shape: d.shape)
        }
    }

    private func validateConstant(_ c: OfflineConstant) throws {
        let value = graph.values[c.valueId]
        let dtype = c.tensor.dtype
        guard [.float32, .float16, .int8, .int16].contains(dtype) else {
            throw OfflineFormatError.invalidConstantDType(value: value.name, dtype: dtype.rawValue)
        }
        try Self.checkShape(c.tensor.shape, .tensors, "constant '\(value.name)' shape")
        guard c.tensor.shape == value.shape, dtype == value.dtype else {
            throw OfflineFormatError.constantValueMismatch(
                value: value.name,
                reason: "tensor is \(dtype.rawValue) \(c.tensor.shape), value is \(value.dtype.rawValue) \(value.shape)")
        }
        let isInteger = dtype == .int8 || dtype == .int16
        guard let q = c.quantization else {
            if isInteger { throw OfflineFormatError.invalidQuantization(value: value.name, reason: "\(dtype.rawValue) constant has no scale") }
            return
        }
        guard isInteger else {
            throw OfflineFormatError.invalidQuantization(value: value.name, reason: "\(dtype.rawValue) constant must not carry scales")
        }
        if let axis = q.axis {
            guard axis >= 0, axis < c.tensor.rank else {
                throw OfflineFormatError.invalidQuantization(value: value.name, reason: "channel axis \(axis) is outside rank \(c.tensor.rank)")
            }
            guard q.scales.count == c.tensor.shape[axis] else {
                throw OfflineFormatError.invalidQuantization(
                    value: value.name, reason: "\(q.scales.count) scales for \(c.tensor.shape[axis]) channels on axis \(axis)")
            }
        } else {
            guard q.scales.count == 1 else {
                throw OfflineFormatError.invalidQuantization(value: value.name, reason: "per-tensor quantization has \(q.scales.count) scales, expected 1")
            }
        }
        guard q.scales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw OfflineFormatError.invalidQuantization(value: value.name, reason: "scales must be finite and positive")
        }
    }

    private func validateTarget() throws {
        let valid = DeviceProfile.profile(for: target.coreVersion).validCoreNumbers.value
        guard valid.contains(target.coreNumber) else {
            throw OfflineFormatError.invalidCoreNumber(target.coreNumber, coreVersion: target.coreVersion.rawValue, valid: valid)
        }
        guard target.batch >= 1, target.batch <= Int(UInt32.max) else { throw OfflineFormatError.invalidBatch(target.batch) }
        if let f = target.inputFormat, !(0...3).contains(f) {
            throw OfflineFormatError.invalidInputFormat(UInt8(clamping: f))
        }
    }
}
