import Tensors

/// Encodes and decodes the `GRPH` payload: function name, named values, nodes.
enum GraphSectionCodec {
    static func encode(_ graph: OfflineGraph) -> [UInt8] {
        var w = ByteWriter()
        w.string(graph.functionName)
        w.u32(UInt32(graph.values.count))
        for v in graph.values {
            w.string(v.name)
            w.u8(DTypeCode.code(for: v.dtype))
            w.shape(v.shape)
        }
        w.u32(UInt32(graph.nodes.count))
        for node in graph.nodes {
            w.string(node.op)
            w.u32(UInt32(node.attributes.count))
            for key in node.attributes.keys.sorted() {
                guard let value = node.attributes[key] else { continue }
                w.string(key)
                w.u8(value.typeTag)
                switch value {
                case .int(let i): w.i64(i)
                case .float(let f): w.f64(f)
                case .bool(let b): w.u8(b ? 1 : 0)
                case .string(let s): w.string(s)
                case .ints(let list):
                    w.u32(UInt32(list.count))
                    for i in list { w.i64(i) }
                case .floats(let list):
                    w.u32(UInt32(list.count))
                    for f in list { w.f64(f) }
                }
            }
            w.u32(UInt32(node.inputs.count))
            for id in node.inputs { w.u32(UInt32(id)) }
            w.u32(UInt32(node.outputs.count))
            for id in node.outputs { w.u32(UInt32(id)) }
        }
        return w.bytes
    }

    static func decode(_ r: inout ByteReader) throws -> OfflineGraph {
        let functionName = try r.string("function name")
        // A value is at least: name length (4) + dtype (1) + rank (1).
        let valueCount = try r.count("values", minimumElementSize: 6)
        var values = [OfflineValue]()
        values.reserveCapacity(valueCount)
        for _ in 0..<valueCount {
            let name = try r.string("value name")
            let code = try r.u8("value dtype")
            guard let dtype = DTypeCode.dtype(for: code) else {
                throw OfflineFormatError.unknownDType(.graph, field: "value '\(name)'", code: code)
            }
            let shape = try r.shape("value '\(name)' shape")
            values.append(OfflineValue(name: name, dtype: dtype, shape: shape))
        }
        // A node is at least: op length (4) + attribute count (4) + input count (4) + output count (4).
        let nodeCount = try r.count("nodes", minimumElementSize: 16)
        var nodes = [OfflineNode]()
        nodes.reserveCapacity(nodeCount)
        for index in 0..<nodeCount {
            let op = try r.string("node \(index) op")
            let attributes = try decodeAttributes(&r, node: index)
            let inputs = try decodeIds(&r, "node \(index) inputs")
            let outputs = try decodeIds(&r, "node \(index) outputs")
            nodes.append(OfflineNode(op: op, attributes: attributes, inputs: inputs, outputs: outputs))
        }
        return OfflineGraph(functionName: functionName, values: values, nodes: nodes)
    }

    private static func decodeIds(_ r: inout ByteReader, _ field: String) throws -> [Int] {
        let n = try r.count(field, minimumElementSize: 4)
        var ids = [Int]()
        ids.reserveCapacity(n)
        for _ in 0..<n { ids.append(Int(try r.u32(field))) }
        return ids
    }

    private static func decodeAttributes(_ r: inout ByteReader, node: Int) throws -> [String: OfflineAttribute] {
        let field = "node \(node) attributes"
        // An attribute is at least: key length (4) + type tag (1) + a 1-byte bool.
        let n = try r.count(field, minimumElementSize: 6)
        var attributes = [String: OfflineAttribute]()
        var previousKey: String?
        for _ in 0..<n {
            let key = try r.string(field + " key")
            if let previous = previousKey, !(previous < key) {
                throw OfflineFormatError.unsortedKeys(.graph, field: field, key: key)
            }
            previousKey = key
            let tag = try r.u8("attribute '\(key)' type")
            let valueField = "node \(node) attribute '\(key)'"
            switch tag {
            case 1: attributes[key] = .int(try r.i64(valueField))
            case 2: attributes[key] = .float(try r.f64(valueField))
            case 3:
                let b = try r.u8(valueField)
                guard b <= 1 else { throw OfflineFormatError.invalidBool(node: node, key: key, value: b) }
                attributes[key] = .bool(b == 1)
            case 4: attributes[key] = .string(try r.string(valueField))
            case 5:
                let count = try r.count(valueField, minimumElementSize: 8)
                var list = [Int64]()
                list.reserveCapacity(count)
                for _ in 0..<count { list.append(try r.i64(valueField)) }
                attributes[key] = .ints(list)
            case 6:
                let count = try r.count(valueField, minimumElementSize: 8)
                var list = [Double]()
                list.reserveCapacity(count)
                for _ in 0..<count { list.append(try r.f64(valueField)) }
                attributes[key] = .floats(list)
            default:
                throw OfflineFormatError.unknownAttributeType(node: node, key: key, tag: tag)
            }
        }
        return attributes
    }
}
