/// The built-in types as class objects (`type(3) is int`), with their constructors.
public enum BuiltinTypes {
    public static let object = ClassObject(builtinType: "object", base: nil) { args in
        try args.check(max: 0)
        guard case .cls(let c)? = args.interpreter.builtins["object"] else { return .none }
        return .instance(Instance(cls: c))
    }
    public static let type = ClassObject(builtinType: "type", base: object) { args in
        try args.check(max: 1, min: 1)
        return .cls(args.interpreter.classOf(args.positional[0]))
    }
    public static let int = ClassObject(builtinType: "int", base: object) { args in
        try args.check(max: 2, allowedKeywords: ["base"])
        guard let v = args.value(0) else { return .int(0) }
        if let b = args.value(1, "base") {
            guard case .int(let base) = b, base == 0 || (2...36).contains(base) else {
                throw ScriptError.valueError("int() base must be >= 2 and <= 36, or 0")
            }
            guard case .str(let s) = v else { throw ScriptError.typeError("int() can't convert non-string with explicit base") }
            return .int(try parseInt(s, base: base))
        }
        return .int(try toInt(v, args.interpreter))
    }
    public static let bool = ClassObject(builtinType: "bool", base: int) { args in
        try args.check(max: 1)
        guard let v = args.value(0) else { return .bool(false) }
        return .bool(try args.interpreter.truthy(v))
    }
    public static let float = ClassObject(builtinType: "float", base: object) { args in
        try args.check(max: 1)
        guard let v = args.value(0) else { return .float(0) }
        switch v {
        case .float: return v
        case .int(let i): return .float(Double(i))
        case .bool(let b): return .float(b ? 1 : 0)
        case .str(let s): return .float(try parseFloat(s))
        case .instance(let inst):
            if let (f, _) = inst.cls.lookup("__float__") { return try args.interpreter.call(f, [v]) }
        case .native(let n):
            if let f = try n.getAttribute("__float__", context: NativeContext(interpreter: args.interpreter, receiver: v)) {
                return try args.interpreter.call(f, [])
            }
        default: break
        }
        throw ScriptError.typeError("float() argument must be a string or a real number, not '\(args.interpreter.typeName(v))'")
    }
    public static let str = ClassObject(builtinType: "str", base: object) { args in
        try args.check(max: 1)
        guard let v = args.value(0) else { return .str("") }
        return .str(try args.interpreter.str(v))
    }
    public static let list = ClassObject(builtinType: "list", base: object) { args in
        try args.check(max: 1)
        guard let v = args.value(0) else { return .list(ListObject()) }
        return .list(ListObject(try args.interpreter.collect(v)))
    }
    public static let tuple = ClassObject(builtinType: "tuple", base: object) { args in
        try args.check(max: 1)
        guard let v = args.value(0) else { return .tuple([]) }
        return .tuple(try args.interpreter.collect(v))
    }
    public static let dict = ClassObject(builtinType: "dict", base: object) { args in
        guard args.count <= 1 else { throw ScriptError.typeError("dict expected at most 1 argument, got \(args.count)") }
        let d = DictObject()
        if let v = args.positional.first {
            if case .dict(let other) = v {
                for (k, x) in zip(other.keys, other.values) { try d.set(k, x) }
            } else if v.isObject, (try? args.interpreter.findAttribute(v, "keys")) ?? nil != nil {
                for (k, x) in try args.interpreter.mappingItems(v) { try d.set(k, x) }
            } else {
                for (n, item) in try args.interpreter.collect(v).enumerated() {
                    let pair = try args.interpreter.collect(item)
                    guard pair.count == 2 else {
                        throw ScriptError.valueError("dictionary update sequence element #\(n) has length \(pair.count); 2 is required")
                    }
                    try d.set(pair[0], pair[1])
                }
            }
        }
        for (k, v) in args.keywords { try d.set(.str(k), v) }
        return .dict(d)
    }
    public static let set = ClassObject(builtinType: "set", base: object) { args in
        try args.check(max: 1)
        guard let v = args.value(0) else { return .set(SetObject()) }
        return .set(try SetObject(try args.interpreter.collect(v)))
    }
    public static let range = ClassObject(builtinType: "range", base: object) { args in
        try args.check(max: 3, min: 1)
        let ints = try args.positional.map { v -> Int in
            switch v {
            case .int(let i): return i
            case .bool(let b): return b ? 1 : 0
            default: throw ScriptError.typeError("'\(args.interpreter.typeName(v))' object cannot be interpreted as an integer")
            }
        }
        switch ints.count {
        case 1: return .range(start: 0, stop: ints[0], step: 1)
        case 2: return .range(start: ints[0], stop: ints[1], step: 1)
        default:
            if ints[2] == 0 { throw ScriptError.valueError("range() arg 3 must not be zero") }
            return .range(start: ints[0], stop: ints[1], step: ints[2])
        }
    }
    public static let slice = ClassObject(builtinType: "slice", base: object) { args in
        try args.check(max: 3, min: 1)
        let p = args.positional
        switch p.count {
        case 1: return .slice(.none, p[0], .none)
        case 2: return .slice(p[0], p[1], .none)
        default: return .slice(p[0], p[1], p[2])
        }
    }
    public static let noneType = ClassObject(builtinType: "NoneType", base: object) { _ in .none }
    public static let ellipsis = ClassObject(builtinType: "ellipsis", base: object, constructor: nil)
    public static let function = ClassObject(builtinType: "function", base: object, constructor: nil)
    public static let builtinFunction = ClassObject(builtinType: "builtin_function_or_method", base: object, constructor: nil)
    public static let method = ClassObject(builtinType: "method", base: object, constructor: nil)
    public static let module = ClassObject(builtinType: "module", base: object, constructor: nil)
}

/// `int(v)` for non-string-with-base conversions.
func toInt(_ v: Value, _ interp: Interpreter) throws -> Int {
    switch v {
    case .int(let i): return i
    case .bool(let b): return b ? 1 : 0
    case .float(let d):
        if d.isNaN { throw ScriptError.valueError("cannot convert float NaN to integer") }
        if d.isInfinite { throw ScriptError.overflowError("cannot convert float infinity to integer") }
        let t = d.rounded(.towardZero)
        guard t >= -9.223372036854775808e18 && t < 9.223372036854775808e18 else {
            throw ScriptError.overflowError("int too large for mlus's 64-bit int")
        }
        return Int(t)
    case .str(let s): return try parseInt(s, base: 10)
    case .instance(let inst):
        for name in ["__int__", "__index__"] {
            if let (f, _) = inst.cls.lookup(name), case .int(let i) = try interp.call(f, [v]) { return i }
        }
    case .native(let n):
        if let f = try n.getAttribute("__int__", context: NativeContext(interpreter: interp, receiver: v)),
           case .int(let i) = try interp.call(f, []) { return i }
    default: break
    }
    throw ScriptError.typeError("int() argument must be a string, a bytes-like object or a real number, not '\(interp.typeName(v))'")
}

/// Parses an int literal as `int(s, base)` does (sign, whitespace, underscores, 0x/0o/0b prefixes).
func parseInt(_ text: String, base: Int) throws -> Int {
    let invalid = ScriptError.valueError("invalid literal for int() with base \(base): \(quoteString(text))")
    var s = Substring(text.trimmingSpaces())
    var negative = false
    if s.hasPrefix("-") { negative = true; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
    var b = base
    let lower = s.lowercased()
    if (b == 16 || b == 0) && lower.hasPrefix("0x") { b = 16; s = s.dropFirst(2) }
    else if (b == 8 || b == 0) && lower.hasPrefix("0o") { b = 8; s = s.dropFirst(2) }
    else if (b == 2 || b == 0) && lower.hasPrefix("0b") { b = 2; s = s.dropFirst(2) }
    else if b == 0 {
        b = 10
        if s.count > 1 && s.hasPrefix("0") && s.contains(where: { $0 != "0" && $0 != "_" }) { throw invalid }
    }
    if s.hasPrefix("_") || s.hasSuffix("_") || s.contains("__") || s.isEmpty { throw invalid }
    let digits = s.replacingOccurrences(of: "_", with: "")
    guard let magnitude = UInt64(digits, radix: b) else {
        if digits.allSatisfy({ $0.isHexDigit || $0.isNumber }) && !digits.isEmpty, Int(digits.prefix(1), radix: b) != nil,
           digits.allSatisfy({ Int(String($0), radix: b) != nil }) {
            throw ScriptError.overflowError("int too large for mlus's 64-bit int")
        }
        throw invalid
    }
    if negative {
        if magnitude > UInt64(Int.max) + 1 { throw ScriptError.overflowError("int too large for mlus's 64-bit int") }
        return magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
    }
    guard magnitude <= UInt64(Int.max) else { throw ScriptError.overflowError("int too large for mlus's 64-bit int") }
    return Int(magnitude)
}

/// Parses a float as `float(s)` does.
func parseFloat(_ text: String) throws -> Double {
    let s = text.trimmingSpaces()
    let lower = s.lowercased()
    switch lower {
    case "inf", "+inf", "infinity", "+infinity": return .infinity
    case "-inf", "-infinity": return -.infinity
    case "nan", "+nan", "-nan": return .nan
    default: break
    }
    let cleaned = s.replacingOccurrences(of: "_", with: "")
    let valid = !cleaned.isEmpty && cleaned.allSatisfy { $0.isNumber || "+-.eE".contains($0) } && !s.hasPrefix("_") && !s.contains("__")
    guard valid, let d = Double(cleaned) else {
        throw ScriptError.valueError("could not convert string to float: \(quoteString(text))")
    }
    return d
}

extension StringProtocol {
    /// Replaces every occurrence of `target` (code-point based, no Foundation needed).
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        let hay = Array(self.unicodeScalars)
        let needle = Array(target.unicodeScalars)
        guard !needle.isEmpty else { return String(self) }
        var out = String.UnicodeScalarView()
        var i = 0
        while let j = findScalars(hay, needle, from: i) {
            out.append(contentsOf: hay[i..<j])
            out.append(contentsOf: replacement.unicodeScalars)
            i = j + needle.count
        }
        out.append(contentsOf: hay[i...])
        return String(out)
    }
}

/// Index of the first occurrence of `needle` in `hay` at or after `from`, before `to`.
func findScalars(_ hay: [Unicode.Scalar], _ needle: [Unicode.Scalar], from: Int = 0, to: Int? = nil) -> Int? {
    let end = min(to ?? hay.count, hay.count)
    let start = max(from, 0)
    if needle.isEmpty { return start <= end ? start : nil }
    guard end - start >= needle.count else { return nil }
    let first = needle[0]
    var i = start
    while i + needle.count <= end {
        if hay[i] == first {
            var k = 1
            while k < needle.count && hay[i + k] == needle[k] { k += 1 }
            if k == needle.count { return i }
        }
        i += 1
    }
    return nil
}

/// Index of the last occurrence of `needle` in `hay[from..<to]`.
func findLastScalars(_ hay: [Unicode.Scalar], _ needle: [Unicode.Scalar], from: Int = 0, to: Int? = nil) -> Int? {
    let end = min(to ?? hay.count, hay.count)
    let start = max(from, 0)
    var i = end - needle.count
    while i >= start {
        var k = 0
        while k < needle.count && hay[i + k] == needle[k] { k += 1 }
        if k == needle.count { return i }
        i -= 1
    }
    return nil
}
