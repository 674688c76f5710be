import Foundation

/// Persistent ids, REDUCE / NEWOBJ / BUILD and the tensor rebuild functions: the only places a pickle
/// can ask for something to be built, each limited to the meanings `GlobalAllowList` gives a global.
extension PickleMachine {
    // MARK: persistent ids

    func persistentLoad(_ pid: VMValue) throws -> VMValue {
        guard case .node(let t) = pid, case .tuple = t.kind, let tag = t.items.first else {
            throw forbidden("persistent id is a \(pid.typeName), expected a ('storage', ...) tuple")
        }
        switch tag {
        case .scalar(.string("module")):
            // Legacy whole-model saves: ('module', cls, source_file, source) → the class.
            guard t.items.count >= 2, case .global = t.items[1] else { throw invalid("'module' persistent id without a class") }
            return t.items[1]
        case .scalar(.string("storage")):
            break
        default:
            throw forbidden("unknown persistent id type \(tag.typeName)")
        }
        let n = t.items.count
        guard n == 5 || n == 6 else { throw invalid("storage persistent id has \(n) items, expected 5 (zip) or 6 (legacy)") }
        guard case .global(let typeRef) = t.items[1], case .storageClass(let element)? = meaning(typeRef) else {
            throw invalid("storage persistent id names \(t.items[1].typeName), not a storage class")
        }
        guard let key = stringOrInt(t.items[2]) else { throw invalid("storage key is a \(t.items[2].typeName)") }
        guard let numel = int(t.items[4]), numel >= 0 else { throw invalid("storage size is \(t.items[4].typeName), expected a non-negative int") }
        var spec = StorageSpec(key: key, element: element, numel: numel)
        spec.storageClass = typeRef
        if n == 6, case .node(let view) = t.items[5], case .tuple = view.kind {
            guard view.items.count == 3, let off = int(view.items[1]), let size = int(view.items[2]), off >= 0, size >= 0 else {
                throw invalid("storage view metadata must be (key, offset, size)")
            }
            spec.viewOffset = off
            spec.viewSize = size
        }
        if let seen = storageSpecs[key] {
            guard seen.element == spec.element, seen.numel == spec.numel else {
                throw invalid("storage '\(key)' is described twice differently (\(seen.element.name) x \(seen.numel), \(spec.element.name) x \(spec.numel))")
            }
        } else {
            storageSpecs[key] = spec
            storageOrder.append(key)
        }
        return .node(try make(.storage(spec)))
    }

    func stringOrInt(_ v: VMValue) -> String? {
        switch v {
        case .scalar(.string(let s)): return s
        case .scalar(.int(let i)): return String(i)
        default: return nil
        }
    }

    func int(_ v: VMValue) -> Int? {
        if case .scalar(.int(let i)) = v { return i }
        return nil
    }

    func ints(_ v: VMValue, _ what: String) throws -> [Int] {
        guard case .node(let t) = v, case .tuple = t.kind else {
            if case .node(let l) = v, case .list = l.kind { return try l.items.map { guard let i = int($0) else { throw invalid("\(what) holds a \($0.typeName)") }; return i } }
            throw invalid("\(what) is a \(v.typeName), expected a tuple of ints")
        }
        return try t.items.map { item in
            guard let i = int(item) else { throw invalid("\(what) holds a \(item.typeName), expected ints") }
            return i
        }
    }

    // MARK: REDUCE / NEWOBJ / BUILD

    func reduce(_ callable: VMValue, _ args: [VMValue]) throws -> VMValue {
        guard case .global(let ref) = callable, let m = meaning(ref) else {
            throw forbidden("REDUCE on \(callable.typeName), which is not an allowed callable")
        }
        switch m {
        case .orderedDict, .counter:
            let d = try make(.dict(m == .orderedDict ? .orderedDict : .counter))
            if let first = args.first {
                guard case .node(let src) = first else { throw forbidden("\(ref) from a \(first.typeName)") }
                switch src.kind {
                case .list, .tuple:
                    for pair in src.items {
                        guard case .node(let p) = pair, p.items.count == 2 else { throw invalid("\(ref) item is not a pair") }
                        try setItem(d, p.items[0], p.items[1])
                    }
                case .dict:
                    for (k, v) in zip(src.keys, src.items) { try setItem(d, k, v) }
                default: throw forbidden("\(ref) from a \(first.typeName)")
                }
            }
            return .node(d)
        case .set, .frozenset:
            var items: [VMValue] = []
            if let first = args.first {
                guard case .node(let src) = first else { throw forbidden("\(ref) from a \(first.typeName)") }
                switch src.kind {
                case .list, .tuple, .set, .frozenset: items = src.items
                default: throw forbidden("\(ref) from a \(first.typeName)")
                }
            }
            return .node(try make(m == .set ? .set : .frozenset, items: items))
        case .bytes, .bytearray:
            guard let first = args.first else { return .scalar(.bytes([])) }
            switch first {
            case .scalar(.bytes(let b)): return .scalar(.bytes(b))
            case .node(let l):
                var out: [UInt8] = []
                for item in l.items {
                    guard let i = int(item), (0...255).contains(i) else { throw invalid("\(ref) item is not a byte") }
                    out.append(UInt8(i))
                }
                return .scalar(.bytes(out))
            default: throw forbidden("\(ref) from a \(first.typeName)")
            }
        case .codecsEncode:
            guard args.count == 2, case .scalar(.string(let text)) = args[0], case .scalar(.string(let enc)) = args[1] else {
                throw forbidden("_codecs.encode needs (str, encoding)")
            }
            switch enc.lowercased() {
            case "latin1", "latin-1", "iso-8859-1":
                var out: [UInt8] = []
                for s in text.unicodeScalars {
                    guard s.value < 256 else { throw invalid("_codecs.encode: character U+\(String(s.value, radix: 16)) is not latin-1") }
                    out.append(UInt8(s.value))
                }
                return .scalar(.bytes(out))
            case "utf-8", "utf8": return .scalar(.bytes(Array(text.utf8)))
            default: throw forbidden("_codecs.encode with encoding '\(enc)'")
            }
        case .complex:
            throw CheckpointError.unsupportedFeature(file: "", feature: "Python complex numbers (builtins.complex) at byte \(opOffset)")
        case .rebuildTensor, .rebuildTensorV2, .rebuildTensorV3:
            return .node(try rebuildTensor(ref: ref, meaning: m, args))
        case .rebuildParameter, .rebuildParameterWithState:
            guard let data = args.first, case .node(let t) = data, case .tensor = t.kind else {
                if let data = args.first, case .node(let q) = data, case .quantized = q.kind { return data }
                throw invalid("\(ref) needs a tensor first, got \(args.first?.typeName ?? "nothing")")
            }
            return data
        case .rebuildQTensor:
            return .node(try rebuildQuantized(args))
        case .rebuildFromTypeV2:
            // (func, type, args, state): a Tensor subclass or a Tensor with Python attributes.
            guard args.count == 4, case .node(let inner) = args[2], case .tuple = inner.kind else {
                throw invalid("_rebuild_from_type_v2 needs (func, type, args, state)")
            }
            return try reduce(args[0], inner.items)
        case .unsupportedRebuild(let name):
            throw CheckpointError.unsupportedFeature(file: "", feature: "torch._utils.\(name) (sparse, nested, meta or device tensors) at byte \(opOffset)")
        case .torchSize:
            guard let first = args.first else { return .node(try make(.tuple)) }
            return .node(try make(.tuple, items: try ints(first, "torch.Size").map { .scalar(.int($0)) }))
        case .torchDevice:
            guard case .scalar(.string(let type))? = args.first else { throw invalid("torch.device needs a string") }
            if args.count > 1, let i = int(args[1]) { return .scalar(.string("\(type):\(i)")) }
            return .scalar(.string(type))
        case .getLayout:
            guard case .scalar(.string(let s))? = args.first else { throw invalid("_get_layout needs a string") }
            return .scalar(.string(s))
        case .moduleClass:
            return .node(try make(.object(ref, .reduce), items: args))
        case .tensorClass, .parameterClass, .storageClass, .dtype, .qscheme, .layout, .functionReference:
            throw forbidden("REDUCE on \(ref), which is not callable here")
        }
    }

    func newObject(_ cls: VMValue, _ args: [VMValue]) throws -> VMValue {
        guard case .global(let ref) = cls, let m = meaning(ref) else {
            throw forbidden("NEWOBJ on \(cls.typeName), which is not an allowed class")
        }
        switch m {
        case .moduleClass:
            return .node(try make(.object(ref, .newObject), items: args))
        case .parameterClass:
            guard let data = args.first, case .node(let t) = data, case .tensor = t.kind else { throw invalid("Parameter needs a tensor") }
            return data
        case .orderedDict: return .node(try make(.dict(.orderedDict)))
        case .counter: return .node(try make(.dict(.counter)))
        case .set: return .node(try make(.set))
        default:
            throw forbidden("NEWOBJ on \(ref), which is not a class the loader builds")
        }
    }

    func build(_ target: VMValue, state: VMValue) throws {
        guard case .node(let n) = target else { throw forbidden("BUILD on \(target.typeName)") }
        switch n.kind {
        case .object, .dict(.orderedDict), .dict(.counter), .tensor, .quantized:
            try adopt(state, into: n)
            n.state = state
        default:
            throw forbidden("BUILD on \(n.kind.typeName), which has no state to set")
        }
    }

    // MARK: tensors

    func rebuildTensor(ref: GlobalRef, meaning m: GlobalMeaning, _ args: [VMValue]) throws -> PickleNode {
        let minimum = m == .rebuildTensorV3 ? 7 : 4
        guard args.count >= minimum else { throw invalid("\(ref) needs at least \(minimum) arguments, got \(args.count)") }
        guard case .node(let s) = args[0], case .storage(let storage) = s.kind else {
            throw invalid("\(ref) argument 0 is a \(args[0].typeName), expected a storage")
        }
        guard let offset = int(args[1]), offset >= 0 else { throw invalid("\(ref) storage offset is not a non-negative int") }
        let shape = try ints(args[2], "tensor size")
        let strides = try ints(args[3], "tensor stride")
        guard shape.count == strides.count else { throw invalid("tensor size \(shape) and stride \(strides) differ in rank") }
        var element = storage.element
        if m == .rebuildTensorV3 {
            guard case .global(let dref) = args[6], case .dtype(let e)? = meaning(dref) else {
                throw invalid("_rebuild_tensor_v3 argument 6 is a \(args[6].typeName), expected a dtype")
            }
            element = e
        }
        if case .quantized(let name, _) = element {
            throw invalid("\(name) storage used by \(ref) instead of _rebuild_qtensor")
        }
        if case .untyped = element { throw invalid("untyped storage without a dtype") }
        return try make(.tensor(TensorSpec(storage: storage, element: element, offset: offset, shape: shape, strides: strides)))
    }

    func rebuildQuantized(_ args: [VMValue]) throws -> PickleNode {
        guard args.count >= 5 else { throw invalid("_rebuild_qtensor needs 7 arguments, got \(args.count)") }
        guard case .node(let s) = args[0], case .storage(let storage) = s.kind else {
            throw invalid("_rebuild_qtensor argument 0 is not a storage")
        }
        guard let offset = int(args[1]), offset >= 0 else { throw invalid("quantized storage offset is not a non-negative int") }
        let shape = try ints(args[2], "tensor size")
        let strides = try ints(args[3], "tensor stride")
        guard shape.count == strides.count else { throw invalid("tensor size \(shape) and stride \(strides) differ in rank") }
        guard case .node(let q) = args[4], case .tuple = q.kind, case .global(let schemeRef)? = q.items.first,
              case .qscheme(let scheme)? = meaning(schemeRef) else {
            throw invalid("_rebuild_qtensor quantizer parameters must start with a qscheme")
        }
        let quantizer: QuantizerSpec
        switch scheme {
        case "per_tensor_affine", "per_tensor_symmetric":
            guard q.items.count == 3, let zp = int(q.items[2]) else { throw invalid("per-tensor quantizer needs (scheme, scale, zero_point)") }
            let scale: Double
            switch q.items[1] {
            case .scalar(.float(let d)): scale = d
            case .scalar(.int(let i)): scale = Double(i)
            default: throw invalid("per-tensor scale is a \(q.items[1].typeName)")
            }
            quantizer = .perTensor(scale: scale, zeroPoint: zp)
        case "per_channel_affine", "per_channel_symmetric":
            guard q.items.count == 4, case .node(let sc) = q.items[1], case .tensor = sc.kind,
                  case .node(let zp) = q.items[2], case .tensor = zp.kind, let axis = int(q.items[3]) else {
                throw invalid("per-channel quantizer needs (scheme, scales, zero_points, axis)")
            }
            quantizer = .perChannel(scales: sc, zeroPoints: zp, axis: axis)
        default:
            throw CheckpointError.unsupportedFeature(file: "", feature: "quantization scheme torch.\(scheme) at byte \(opOffset)")
        }
        return try make(.quantized(TensorSpec(storage: storage, element: storage.element, offset: offset, shape: shape, strides: strides), quantizer),
                        items: [])
    }

}
