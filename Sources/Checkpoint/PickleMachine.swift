import Foundation

/// The pickle virtual machine: reads protocol 0–5 opcodes and builds `VMValue`s without running code.
///
/// Every global goes through `GlobalAllowList`; `REDUCE`, `NEWOBJ` and `BUILD` only interpret the
/// allow-listed meanings (tensor rebuilds, containers, inert module classes). Memo indices, nesting
/// depth, object count and every length prefix are checked, so hostile input ends in an error.
final class PickleMachine {
    private var reader: ByteReader
    private let options: PickleReadOptions
    private var stack: [VMValue] = []
    private var marks: [Int] = []
    private var memo: [Int: VMValue] = [:]
    /// Every node made, so teardown can clear them iteratively (deep chains must not recurse in deinit).
    private var nodes: [PickleNode] = []
    private var opOffset = 0
    private(set) var protocolVersion = 0
    /// Storages named by persistent ids, by key (first description wins; later ones must agree).
    private(set) var storageSpecs: [String: StorageSpec] = [:]
    private(set) var storageOrder: [String] = []

    init(bytes: UnsafeRawBufferPointer, origin: Int = 0, options: PickleReadOptions = PickleReadOptions()) {
        self.reader = ByteReader(bytes, origin: origin)
        self.options = options
    }

    deinit {
        memo.removeAll()
        stack.removeAll()
        for n in nodes {
            n.items.removeAll()
            n.keys.removeAll()
            n.keyIndex.removeAll()
            n.state = nil
        }
    }

    /// Bytes consumed so far (the next pickle of a legacy file starts here).
    var consumed: Int { reader.position }

    // MARK: errors

    private func invalid(_ detail: String) -> CheckpointError {
        .invalidPickle(file: "", detail: detail, offset: opOffset)
    }

    private func forbidden(_ detail: String) -> CheckpointError {
        .forbiddenOperation(file: "", detail: detail, offset: opOffset)
    }

    // MARK: stack helpers

    private func pop() throws -> VMValue {
        if let m = marks.last, stack.count <= m { throw invalid("stack underflow (pop below MARK)") }
        guard let v = stack.popLast() else { throw invalid("stack underflow") }
        return v
    }

    private func top() throws -> VMValue {
        if let m = marks.last, stack.count <= m { throw invalid("stack underflow (top below MARK)") }
        guard let v = stack.last else { throw invalid("stack underflow") }
        return v
    }

    private func popMark() throws -> [VMValue] {
        guard let m = marks.popLast() else { throw invalid("no MARK on the stack") }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    private func make(_ kind: PickleNode.Kind, items: [VMValue] = []) throws -> PickleNode {
        guard nodes.count < options.maxObjects else { throw invalid("more than \(options.maxObjects) objects") }
        let depth = (items.map(\.depth).max() ?? 0) + 1
        guard depth <= options.maxDepth else { throw invalid("nesting deeper than \(options.maxDepth) levels") }
        let n = PickleNode(kind: kind, items: items, depth: depth)
        nodes.append(n)
        return n
    }

    private func push(_ kind: PickleNode.Kind, items: [VMValue] = []) throws {
        stack.append(.node(try make(kind, items: items)))
    }

    /// Records that `child` now lives inside `parent`, checking the nesting limit.
    private func adopt(_ child: VMValue, into parent: PickleNode) throws {
        let d = child.depth + 1
        if d > parent.depth {
            guard d <= options.maxDepth else { throw invalid("nesting deeper than \(options.maxDepth) levels") }
            parent.depth = d
        }
    }

    private func setItem(_ dict: PickleNode, _ key: VMValue, _ value: VMValue) throws {
        guard let h = HashKey(key) else { throw invalid("unhashable dict key of type \(key.typeName)") }
        try adopt(key, into: dict)
        try adopt(value, into: dict)
        if let i = dict.keyIndex[h] {
            dict.items[i] = value
        } else {
            dict.keyIndex[h] = dict.keys.count
            dict.keys.append(key)
            dict.items.append(value)
        }
    }

    // MARK: run

    /// Runs until `STOP` and returns the pickled object.
    func run() throws -> VMValue {
        while true {
            opOffset = reader.fileOffset
            guard !reader.isAtEnd else {
                throw CheckpointError.truncated(file: "", detail: "pickle ends without STOP", offset: opOffset)
            }
            let op = try reader.u8()
            if op == 0x2E {  // STOP
                guard marks.isEmpty else { throw invalid("STOP with an open MARK") }
                guard stack.count == 1, let result = stack.last else {
                    throw invalid("STOP with \(stack.count) values on the stack (expected 1)")
                }
                return result
            }
            try step(op)
        }
    }

    private func step(_ op: UInt8) throws {
        switch op {
        case 0x80:  // PROTO
            let p = Int(try reader.u8("protocol"))
            guard p <= 5 else { throw invalid("pickle protocol \(p) is newer than 5") }
            protocolVersion = p
        case 0x95:  // FRAME
            let n = try reader.u64("frame length")
            guard n <= UInt64(reader.remaining) else {
                throw CheckpointError.truncated(file: "", detail: "frame claims \(n) bytes, \(reader.remaining) remain", offset: opOffset)
            }
        case 0x28: // MARK
            guard marks.count < options.maxDepth else { throw invalid("more than \(options.maxDepth) nested MARKs") }
            marks.append(stack.count)
        case 0x30: _ = try pop()  // POP
        case 0x31: _ = try popMark()  // POP_MARK
        case 0x32: stack.append(try top())  // DUP

        // Scalars
        case 0x4E: stack.append(.scalar(.none))
        case 0x88: stack.append(.scalar(.bool(true)))
        case 0x89: stack.append(.scalar(.bool(false)))
        case 0x4B: stack.append(.scalar(.int(Int(try reader.u8("BININT1")))))
        case 0x4D: stack.append(.scalar(.int(try reader.u16("BININT2"))))
        case 0x4A: stack.append(.scalar(.int(try reader.i32("BININT"))))
        case 0x8A:  // LONG1
            let n = Int(try reader.u8("LONG1 length"))
            stack.append(.scalar(PickleMachine.integer(fromLittleEndian: Array(try reader.take(n, "LONG1")))))
        case 0x8B:  // LONG4
            let n = try reader.i32("LONG4 length")
            guard n >= 0 else { throw invalid("LONG4 negative length \(n)") }
            stack.append(.scalar(PickleMachine.integer(fromLittleEndian: Array(try reader.take(n, "LONG4")))))
        case 0x47:  // BINFLOAT, big-endian
            let raw = try reader.take(8, "BINFLOAT")
            var bits: UInt64 = 0
            for b in raw { bits = (bits << 8) | UInt64(b) }
            stack.append(.scalar(.float(Double(bitPattern: bits))))
        case 0x49: try textInt()  // INT
        case 0x4C: try textLong()  // LONG
        case 0x46:  // FLOAT
            let text = try lineString("FLOAT")
            guard let d = Double(text.trimmingCharacters(in: .whitespaces)) else { throw invalid("FLOAT '\(text)' is not a number") }
            stack.append(.scalar(.float(d)))

        // Strings and bytes
        case 0x58: try pushString(length: try reader.u32("BINUNICODE length"), "BINUNICODE")
        case 0x8C: try pushString(length: Int(try reader.u8("SHORT_BINUNICODE length")), "SHORT_BINUNICODE")
        case 0x8D: try pushString(length: try length64("BINUNICODE8"), "BINUNICODE8")
        case 0x55: try pushPy2String(length: Int(try reader.u8("SHORT_BINSTRING length")), "SHORT_BINSTRING")
        case 0x54:
            let n = try reader.i32("BINSTRING length")
            guard n >= 0 else { throw invalid("BINSTRING negative length \(n)") }
            try pushPy2String(length: n, "BINSTRING")
        case 0x43: try pushBytes(length: Int(try reader.u8("SHORT_BINBYTES length")), "SHORT_BINBYTES")
        case 0x42: try pushBytes(length: try reader.u32("BINBYTES length"), "BINBYTES")
        case 0x8E: try pushBytes(length: try length64("BINBYTES8"), "BINBYTES8")
        case 0x96: try pushBytes(length: try length64("BYTEARRAY8"), "BYTEARRAY8")
        case 0x53: stack.append(.scalar(.string(try PickleMachine.unquote(try lineString("STRING")))))  // STRING
        case 0x56:  // UNICODE: raw-unicode-escape, i.e. latin-1 bytes with \\uXXXX escapes
            let raw = try reader.line("UNICODE")
            stack.append(.scalar(.string(PickleMachine.rawUnicodeEscape(String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))))))

        // Containers
        case 0x29: try push(.tuple)
        case 0x5D: try push(.list)
        case 0x7D: try push(.dict(.dict))
        case 0x8F: try push(.set)
        case 0x74: try push(.tuple, items: try popMark())  // TUPLE
        case 0x85: let a = try pop(); try push(.tuple, items: [a])
        case 0x86: let b = try pop(); let a = try pop(); try push(.tuple, items: [a, b])
        case 0x87: let c = try pop(); let b = try pop(); let a = try pop(); try push(.tuple, items: [a, b, c])
        case 0x6C: try push(.list, items: try popMark())  // LIST
        case 0x91: try push(.frozenset, items: try popMark())  // FROZENSET
        case 0x64:  // DICT
            let items = try popMark()
            guard items.count % 2 == 0 else { throw invalid("DICT with an odd number of items") }
            let d = try make(.dict(.dict))
            for i in stride(from: 0, to: items.count, by: 2) { try setItem(d, items[i], items[i + 1]) }
            stack.append(.node(d))
        case 0x61:  // APPEND
            let v = try pop()
            try appendItems([v], op: "APPEND")
        case 0x65: try appendItems(try popMark(), op: "APPENDS")
        case 0x90:  // ADDITEMS
            let items = try popMark()
            guard case .node(let s) = try top(), case .set = s.kind else { throw forbidden("ADDITEMS into \(try top().typeName)") }
            for i in items { try adopt(i, into: s); s.items.append(i) }
        case 0x73:  // SETITEM
            let v = try pop(); let k = try pop()
            try setItems([k, v], op: "SETITEM")
        case 0x75: try setItems(try popMark(), op: "SETITEMS")

        // Memo
        case 0x71: try put(Int(try reader.u8("BINPUT index")))
        case 0x72: try put(try reader.u32("LONG_BINPUT index"))
        case 0x70:  // PUT
            guard let i = Int(try lineString("PUT")), i >= 0 else { throw invalid("PUT index is not a number") }
            try put(i)
        case 0x94: try put(memo.count)  // MEMOIZE
        case 0x68: try get(Int(try reader.u8("BINGET index")))
        case 0x6A: try get(try reader.u32("LONG_BINGET index"))
        case 0x67:  // GET
            guard let i = Int(try lineString("GET")), i >= 0 else { throw invalid("GET index is not a number") }
            try get(i)

        // Globals and objects
        case 0x63:  // GLOBAL
            let module = try lineString("GLOBAL module")
            let name = try lineString("GLOBAL name")
            stack.append(.global(try resolve(module: module, name: name)))
        case 0x93:  // STACK_GLOBAL
            let nameV = try pop(), moduleV = try pop()
            guard case .scalar(.string(let name)) = nameV, case .scalar(.string(let module)) = moduleV else {
                throw invalid("STACK_GLOBAL needs two strings, got \(moduleV.typeName), \(nameV.typeName)")
            }
            stack.append(.global(try resolve(module: module, name: name)))
        case 0x52:  // REDUCE
            let args = try pop(), callable = try pop()
            guard case .node(let a) = args, case .tuple = a.kind else { throw invalid("REDUCE arguments are a \(args.typeName), not a tuple") }
            stack.append(try reduce(callable, a.items))
        case 0x81:  // NEWOBJ
            let args = try pop(), cls = try pop()
            guard case .node(let a) = args, case .tuple = a.kind else { throw invalid("NEWOBJ arguments are a \(args.typeName), not a tuple") }
            stack.append(try newObject(cls, a.items))
        case 0x92:  // NEWOBJ_EX
            let kwargs = try pop(), args = try pop(), cls = try pop()
            guard case .node(let a) = args, case .tuple = a.kind else { throw invalid("NEWOBJ_EX arguments are a \(args.typeName), not a tuple") }
            if case .node(let k) = kwargs, case .dict = k.kind, k.keys.isEmpty {} else {
                throw forbidden("NEWOBJ_EX with keyword arguments is not supported")
            }
            stack.append(try newObject(cls, a.items))
        case 0x6F:  // OBJ
            let items = try popMark()
            guard let cls = items.first else { throw invalid("OBJ without a class") }
            stack.append(try newObject(cls, Array(items.dropFirst())))
        case 0x69:  // INST
            let module = try lineString("INST module")
            let name = try lineString("INST name")
            let cls = VMValue.global(try resolve(module: module, name: name))
            stack.append(try newObject(cls, try popMark()))
        case 0x62:  // BUILD
            let state = try pop()
            try build(try top(), state: state)
        case 0x51:  // BINPERSID
            let pid = try pop()
            stack.append(try persistentLoad(pid))
        case 0x50:  // PERSID
            _ = try lineString("PERSID")
            throw forbidden("text persistent id (PERSID): PyTorch storages use binary tuple ids")
        case 0x82, 0x83, 0x84:
            throw forbidden("extension registry code (EXT1/2/4) cannot be resolved without Python's copyreg")
        default:
            throw CheckpointError.unsupportedOpcode(file: "", opcode: op, offset: opOffset)
        }
    }

    // MARK: opcode helpers

    private func length64(_ what: String) throws -> Int {
        let n = try reader.u64("\(what) length")
        guard n <= UInt64(reader.remaining) else {
            throw CheckpointError.truncated(file: "", detail: "\(what) claims \(n) bytes, \(reader.remaining) remain", offset: opOffset)
        }
        return Int(n)
    }

    private func lineString(_ what: String) throws -> String {
        let raw = try reader.line(what)
        return String(decoding: raw, as: UTF8.self)
    }

    private func pushString(length: Int, _ what: String) throws {
        let raw = try reader.take(length, what)
        guard let s = String(validatingUTF8Bytes: raw) else { throw invalid("\(what) is not valid UTF-8") }
        stack.append(.scalar(.string(s)))
    }

    private func pushPy2String(length: Int, _ what: String) throws {
        let raw = try reader.take(length, what)
        let s = String(validatingUTF8Bytes: raw) ?? String(raw.map { Character(Unicode.Scalar($0)) })
        stack.append(.scalar(.string(s)))
    }

    private func pushBytes(length: Int, _ what: String) throws {
        stack.append(.scalar(.bytes(Array(try reader.take(length, what)))))
    }

    private func textInt() throws {
        let text = try lineString("INT").trimmingCharacters(in: .whitespaces)
        if text == "00" { stack.append(.scalar(.bool(false))); return }
        if text == "01" { stack.append(.scalar(.bool(true))); return }
        stack.append(.scalar(try decimalInteger(text, "INT")))
    }

    private func textLong() throws {
        var text = try lineString("LONG").trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("L") { text.removeLast() }
        stack.append(.scalar(try decimalInteger(text, "LONG")))
    }


    /// A protocol-0 decimal integer of any size (`.bigInt` beyond 64 bits); at most 10 000 digits.
    private func decimalInteger(_ text: String, _ what: String) throws -> PickleValue {
        if let i = Int(text) { return .int(i) }
        var digits = Substring(text)
        var negative = false
        if digits.first == "-" { negative = true; digits = digits.dropFirst() } else if digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 10_000, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw invalid("\(what) '\(text.prefix(40))' is not a decimal integer")
        }
        // Magnitude as little-endian 32-bit limbs.
        var limbs: [UInt32] = [0]
        for c in digits.utf8 {
            var carry = UInt64(c - 48)
            for i in limbs.indices {
                let v = UInt64(limbs[i]) * 10 + carry
                limbs[i] = UInt32(truncatingIfNeeded: v)
                carry = v >> 32
            }
            if carry > 0 { limbs.append(UInt32(carry)) }
        }
        var bytes: [UInt8] = limbs.flatMap { l in (0..<4).map { UInt8((l >> (8 * UInt32($0))) & 0xFF) } }
        bytes.append(0)  // room for the sign bit
        if negative {
            var carry: UInt16 = 1
            for i in bytes.indices {
                let v = UInt16(~bytes[i]) + carry
                bytes[i] = UInt8(v & 0xFF)
                carry = v >> 8
            }
        }
        return PickleMachine.integer(fromLittleEndian: bytes)
    }

    private func put(_ index: Int) throws {
        memo[index] = try top()
    }

    private func get(_ index: Int) throws {
        guard let v = memo[index] else { throw invalid("memo index \(index) was never stored (memo holds \(memo.count))") }
        stack.append(v)
    }

    private func appendItems(_ items: [VMValue], op: String) throws {
        let target = try top()
        guard case .node(let list) = target, case .list = list.kind else { throw forbidden("\(op) into \(target.typeName)") }
        for i in items { try adopt(i, into: list) }
        list.items.append(contentsOf: items)
    }

    private func setItems(_ items: [VMValue], op: String) throws {
        guard items.count % 2 == 0 else { throw invalid("\(op) with an odd number of items") }
        let target = try top()
        guard case .node(let dict) = target, case .dict = dict.kind else { throw forbidden("\(op) into \(target.typeName)") }
        for i in stride(from: 0, to: items.count, by: 2) { try setItem(dict, items[i], items[i + 1]) }
    }

    private func resolve(module: String, name: String) throws -> GlobalRef {
        let ref = GlobalAllowList.normalised(module: module, name: name)
        guard GlobalAllowList.meaning(of: ref, options: options) != nil else {
            throw CheckpointError.forbiddenGlobal(file: "", global: "\(module).\(name)", offset: opOffset)
        }
        return ref
    }

    private func meaning(_ ref: GlobalRef) -> GlobalMeaning? {
        GlobalAllowList.meaning(of: ref, options: options)
    }

    // MARK: persistent ids

    private func persistentLoad(_ pid: VMValue) throws -> VMValue {
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

    private func stringOrInt(_ v: VMValue) -> String? {
        switch v {
        case .scalar(.string(let s)): return s
        case .scalar(.int(let i)): return String(i)
        default: return nil
        }
    }

    private func int(_ v: VMValue) -> Int? {
        if case .scalar(.int(let i)) = v { return i }
        return nil
    }

    private func ints(_ v: VMValue, _ what: String) throws -> [Int] {
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

    private func reduce(_ callable: VMValue, _ args: [VMValue]) throws -> VMValue {
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

    private func newObject(_ cls: VMValue, _ args: [VMValue]) throws -> VMValue {
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

    private func build(_ target: VMValue, state: VMValue) throws {
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

    private func rebuildTensor(ref: GlobalRef, meaning m: GlobalMeaning, _ args: [VMValue]) throws -> PickleNode {
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

    private func rebuildQuantized(_ args: [VMValue]) throws -> PickleNode {
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

    // MARK: static decoding helpers

    /// Python's `decode_long`: little-endian two's complement; `.int` when it fits 64 bits.
    static func integer(fromLittleEndian bytes: [UInt8]) -> PickleValue {
        if bytes.isEmpty { return .int(0) }
        if bytes.count <= 8 {
            var v: UInt64 = 0
            for b in bytes.reversed() { v = (v << 8) | UInt64(b) }
            let bits = bytes.count * 8
            if bits < 64, bytes.last.map({ $0 & 0x80 != 0 }) == true { v |= ~UInt64(0) << UInt64(bits) }
            return .int(Int(Int64(bitPattern: v)))
        }
        // Drop redundant sign-extension bytes; keep it big only when it really is.
        var trimmed = bytes
        while trimmed.count > 8 {
            let last = trimmed[trimmed.count - 1], prev = trimmed[trimmed.count - 2]
            if (last == 0 && prev & 0x80 == 0) || (last == 0xFF && prev & 0x80 != 0) { trimmed.removeLast() } else { break }
        }
        if trimmed.count <= 8 { return integer(fromLittleEndian: trimmed) }
        return .bigInt(trimmed)
    }

    /// A protocol-0 `STRING` argument: a Python repr in single or double quotes.
    static func unquote(_ text: String) throws -> String {
        var s = Substring(text)
        guard s.count >= 2, let q = s.first, (q == "'" || q == "\""), s.last == q else {
            throw CheckpointError.invalidPickle(file: "", detail: "STRING argument is not quoted", offset: 0)
        }
        s = s.dropFirst().dropLast()
        var out = ""
        var it = s.makeIterator()
        while let c = it.next() {
            guard c == "\\" else { out.append(c); continue }
            guard let e = it.next() else { break }
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "x":
                let h = String([it.next(), it.next()].compactMap { $0 })
                if let v = UInt8(h, radix: 16) { out.unicodeScalars.append(Unicode.Scalar(v)) }
            default: out.append(e)
            }
        }
        return out
    }

    /// A protocol-0 `UNICODE` argument (`raw-unicode-escape`: `\uXXXX` escapes).
    static func rawUnicodeEscape(_ text: String) -> String {
        var out = ""
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\", i + 5 < scalars.count + 0, scalars[i + 1] == "u",
               let v = UInt32(String(String.UnicodeScalarView(scalars[(i + 2)..<min(i + 6, scalars.count)])), radix: 16),
               let u = Unicode.Scalar(v) {
                out.unicodeScalars.append(u)
                i += 6
            } else {
                out.unicodeScalars.append(scalars[i])
                i += 1
            }
        }
        return out
    }
}

extension String {
    /// Decodes UTF-8, or `nil` when the bytes are not valid UTF-8.
    init?(validatingUTF8Bytes raw: UnsafeRawBufferPointer) {
        var it = raw.makeIterator()
        var out = String.UnicodeScalarView()
        var decoder = UTF8()
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let s): out.append(s)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = String(out)
    }
}
