import Foundation

/// The pickle virtual machine: reads protocol 0–5 opcodes and builds `VMValue`s without running code.
///
/// Every global goes through `GlobalAllowList`; `REDUCE`, `NEWOBJ` and `BUILD` only interpret the
/// allow-listed meanings (tensor rebuilds, containers, inert module classes). Memo indices, nesting
/// depth, object count and every length prefix are checked, so hostile input ends in an error.
final class PickleMachine {
    var reader: ByteReader
    let options: PickleReadOptions
    var stack: [VMValue] = []
    var marks: [Int] = []
    var memo: [Int: VMValue] = [:]
    /// Every node made, so teardown can clear them iteratively (deep chains must not recurse in deinit).
    var nodes: [PickleNode] = []
    var opOffset = 0
    private(set) var protocolVersion = 0
    /// Storages named by persistent ids, by key (first description wins; later ones must agree).
    var storageSpecs: [String: StorageSpec] = [:]
    var storageOrder: [String] = []

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

    func invalid(_ detail: String) -> CheckpointError {
        .invalidPickle(file: "", detail: detail, offset: opOffset)
    }

    func forbidden(_ detail: String) -> CheckpointError {
        .forbiddenOperation(file: "", detail: detail, offset: opOffset)
    }

    // MARK: stack helpers

    func pop() throws -> VMValue {
        if let m = marks.last, stack.count <= m { throw invalid("stack underflow (pop below MARK)") }
        guard let v = stack.popLast() else { throw invalid("stack underflow") }
        return v
    }

    func top() throws -> VMValue {
        if let m = marks.last, stack.count <= m { throw invalid("stack underflow (top below MARK)") }
        guard let v = stack.last else { throw invalid("stack underflow") }
        return v
    }

    func popMark() throws -> [VMValue] {
        guard let m = marks.popLast() else { throw invalid("no MARK on the stack") }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    func make(_ kind: PickleNode.Kind, items: [VMValue] = []) throws -> PickleNode {
        guard nodes.count < options.maxObjects else { throw invalid("more than \(options.maxObjects) objects") }
        let depth = (items.map(\.depth).max() ?? 0) + 1
        guard depth <= options.maxDepth else { throw invalid("nesting deeper than \(options.maxDepth) levels") }
        let n = PickleNode(kind: kind, items: items, depth: depth)
        nodes.append(n)
        return n
    }

    func push(_ kind: PickleNode.Kind, items: [VMValue] = []) throws {
        stack.append(.node(try make(kind, items: items)))
    }

    /// Records that `child` now lives inside `parent`, checking the nesting limit.
    func adopt(_ child: VMValue, into parent: PickleNode) throws {
        let d = child.depth + 1
        if d > parent.depth {
            guard d <= options.maxDepth else { throw invalid("nesting deeper than \(options.maxDepth) levels") }
            parent.depth = d
        }
    }

    func setItem(_ dict: PickleNode, _ key: VMValue, _ value: VMValue) throws {
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
            guard stack.count <= options.maxObjects, memo.count <= options.maxObjects else {
                throw invalid("more than \(options.maxObjects) values on the stack or in the memo")
            }
        }
    }

    func step(_ op: UInt8) throws {
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

    func length64(_ what: String) throws -> Int {
        let n = try reader.u64("\(what) length")
        guard n <= UInt64(reader.remaining) else {
            throw CheckpointError.truncated(file: "", detail: "\(what) claims \(n) bytes, \(reader.remaining) remain", offset: opOffset)
        }
        return Int(n)
    }

    func lineString(_ what: String) throws -> String {
        let raw = try reader.line(what)
        return String(decoding: raw, as: UTF8.self)
    }

    func pushString(length: Int, _ what: String) throws {
        let raw = try reader.take(length, what)
        guard let s = String(validatingUTF8Bytes: raw) else { throw invalid("\(what) is not valid UTF-8") }
        stack.append(.scalar(.string(s)))
    }

    func pushPy2String(length: Int, _ what: String) throws {
        let raw = try reader.take(length, what)
        let s = String(validatingUTF8Bytes: raw) ?? String(raw.map { Character(Unicode.Scalar($0)) })
        stack.append(.scalar(.string(s)))
    }

    func pushBytes(length: Int, _ what: String) throws {
        stack.append(.scalar(.bytes(Array(try reader.take(length, what)))))
    }

    func textInt() throws {
        let text = try lineString("INT").trimmingCharacters(in: .whitespaces)
        if text == "00" { stack.append(.scalar(.bool(false))); return }
        if text == "01" { stack.append(.scalar(.bool(true))); return }
        stack.append(.scalar(try decimalInteger(text, "INT")))
    }

    func textLong() throws {
        var text = try lineString("LONG").trimmingCharacters(in: .whitespaces)
        if text.hasSuffix("L") { text.removeLast() }
        stack.append(.scalar(try decimalInteger(text, "LONG")))
    }


    /// A protocol-0 decimal integer of any size (`.bigInt` beyond 64 bits); at most 10 000 digits.
    func decimalInteger(_ text: String, _ what: String) throws -> PickleValue {
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

    func put(_ index: Int) throws {
        memo[index] = try top()
    }

    func get(_ index: Int) throws {
        guard let v = memo[index] else { throw invalid("memo index \(index) was never stored (memo holds \(memo.count))") }
        stack.append(v)
    }

    func appendItems(_ items: [VMValue], op: String) throws {
        let target = try top()
        guard case .node(let list) = target, case .list = list.kind else { throw forbidden("\(op) into \(target.typeName)") }
        for i in items { try adopt(i, into: list) }
        list.items.append(contentsOf: items)
    }

    func setItems(_ items: [VMValue], op: String) throws {
        guard items.count % 2 == 0 else { throw invalid("\(op) with an odd number of items") }
        let target = try top()
        guard case .node(let dict) = target, case .dict = dict.kind else { throw forbidden("\(op) into \(target.typeName)") }
        for i in stride(from: 0, to: items.count, by: 2) { try setItem(dict, items[i], items[i + 1]) }
    }

    func resolve(module: String, name: String) throws -> GlobalRef {
        let ref = GlobalAllowList.normalised(module: module, name: name)
        guard GlobalAllowList.meaning(of: ref, options: options) != nil else {
            throw CheckpointError.forbiddenGlobal(file: "", global: "\(module).\(name)", offset: opOffset)
        }
        return ref
    }

    func meaning(_ ref: GlobalRef) -> GlobalMeaning? {
        GlobalAllowList.meaning(of: ref, options: options)
    }

}
