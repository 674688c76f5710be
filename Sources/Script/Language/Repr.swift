import Glibc

extension Interpreter {
    /// `repr(v)`, byte-identical to CPython for plain values.
    public func repr(_ v: Value) throws -> String {
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return floatRepr(d)
        case .str(let s): return quoteString(s)
        case .list(let l):
            return try guarded(l, "[...]") { "[" + (try l.items.map { try repr($0) }.joined(separator: ", ")) + "]" }
        case .tuple(let t):
            if t.count == 1 { return "(" + (try repr(t[0])) + ",)" }
            callDepth += 1
            defer { callDepth -= 1 }
            if callDepth > recursionLimit + 50 { throw ScriptError.recursionError() }
            return "(" + (try t.map { try repr($0) }.joined(separator: ", ")) + ")"
        case .dict(let d):
            return try guarded(d, "{...}") {
                var parts: [String] = []
                for (k, val) in zip(d.keys, d.values) { parts.append(try repr(k) + ": " + repr(val)) }
                return "{" + parts.joined(separator: ", ") + "}"
            }
        case .set(let s):
            if s.count == 0 { return "set()" }
            return try guarded(s, "{...}") { "{" + (try s.elements.map { try repr($0) }.joined(separator: ", ")) + "}" }
        case .range(let a, let b, let c):
            return c == 1 ? "range(\(a), \(b))" : "range(\(a), \(b), \(c))"
        case .slice(let a, let b, let c):
            return "slice(\(try repr(a)), \(try repr(b)), \(try repr(c)))"
        case .ellipsis: return "Ellipsis"
        case .function(let f): return "<function \(f.qualifiedName) at \(addressString(f))>"
        case .builtin(let b): return "<built-in function \(b.name)>"
        case .boundMethod(let m):
            return "<bound method \(callableName(m.function)) of \(try repr(m.receiver))>"
        case .cls(let c): return "<class '\(c.qualifiedDisplayName)'>"
        case .module(let m):
            if let f = m.file { return "<module '\(m.name)' from '\(f)'>" }
            return "<module '\(m.name)' (built-in)>"
        case .instance(let inst):
            if let (f, owner) = inst.cls.lookup("__repr__"), owner.constructor == nil {
                return try stringResult(try callValue(f, [v], []), "__repr__")
            }
            if inst.cls.isSubclass(of: ExceptionTypes.baseException) {
                let args = inst.exceptionArgs
                if args.count == 1 { return "\(inst.cls.name)(\(try repr(args[0])))" }
                return inst.cls.name + (try repr(.tuple(args)))
            }
            if let nb = inst.nativeBase { return try nb.repr(context: context(v)) }
            return "<\(inst.cls.qualifiedDisplayName) object at \(addressString(inst))>"
        case .native(let n):
            return try n.repr(context: context(v))
        }
    }

    /// `str(v)`.
    public func str(_ v: Value) throws -> String {
        switch v {
        case .str(let s): return s
        case .instance(let inst):
            if let (f, owner) = inst.cls.lookup("__str__"), owner.constructor == nil {
                return try stringResult(try callValue(f, [v], []), "__str__")
            }
            if inst.cls.isSubclass(of: ExceptionTypes.baseException), inst.cls.lookup("__repr__") == nil {
                return try exceptionMessage(inst)
            }
            if inst.cls.lookup("__repr__") == nil, let nb = inst.nativeBase { return try nb.str(context: context(v)) }
            return try repr(v)
        case .native(let n):
            return try n.str(context: context(v))
        default:
            return try repr(v)
        }
    }

    /// The message part of `Type: message` for an exception instance.
    public func exceptionMessage(_ inst: Instance) throws -> String {
        if let (f, owner) = inst.cls.lookup("__str__"), owner.constructor == nil {
            return try stringResult(try callValue(f, [.instance(inst)], []), "__str__")
        }
        let args = inst.exceptionArgs
        if args.isEmpty { return "" }
        if args.count == 1 {
            if inst.cls.isSubclass(of: ExceptionTypes.keyError) { return try repr(args[0]) }
            return try str(args[0])
        }
        return try repr(.tuple(args))
    }

    private func stringResult(_ v: Value, _ method: String) throws -> String {
        guard case .str(let s) = v else {
            throw ScriptError.typeError("\(method) returned non-string (type \(typeName(v)))")
        }
        return s
    }

    private func guarded(_ object: AnyObject, _ placeholder: String, _ body: () throws -> String) throws -> String {
        let id = ObjectIdentifier(object)
        if reprInProgress.contains(id) { return placeholder }
        reprInProgress.insert(id)
        callDepth += 1
        defer {
            reprInProgress.remove(id)
            callDepth -= 1
        }
        if callDepth > recursionLimit + 50 { throw ScriptError.recursionError() }
        return try body()
    }
}

/// CPython's `repr(float)`: shortest round-trip digits, exponent when the exponent is < -4 or >= 16.
public func floatRepr(_ d: Double) -> String {
    if d.isNaN { return "nan" }
    if d.isInfinite { return d < 0 ? "-inf" : "inf" }
    if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
    let (digits, exponent) = shortestDigits(abs(d))
    let sign = d < 0 ? "-" : ""
    // decimal point position: value = 0.digits * 10^decpt
    let decpt = exponent + 1
    if decpt > 16 || decpt < -3 {
        var mant = String(digits.prefix(1))
        if digits.count > 1 { mant += "." + digits.dropFirst() }
        let e = decpt - 1
        let es = String(abs(e)).leftPadded(to: 2, with: "0")
        return "\(sign)\(mant)e\(e < 0 ? "-" : "+")\(es)"
    }
    if decpt <= 0 {
        return sign + "0." + String(repeating: "0", count: -decpt) + digits
    }
    if decpt >= digits.count {
        return sign + digits + String(repeating: "0", count: decpt - digits.count) + ".0"
    }
    let idx = digits.index(digits.startIndex, offsetBy: decpt)
    return sign + digits[..<idx] + "." + digits[idx...]
}

/// Shortest round-trip decimal digits of a positive finite double and the base-10 exponent of the first digit.
func shortestDigits(_ d: Double) -> (String, Int) {
    // Swift's description is the shortest round-trip representation; re-read its digits and exponent.
    let text = d.description
    var mantissa = text
    var exp = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        mantissa = String(text[..<e])
        exp = Int(text[text.index(after: e)...]) ?? 0
    }
    var intPart = mantissa
    var frac = ""
    if let dot = mantissa.firstIndex(of: ".") {
        intPart = String(mantissa[..<dot])
        frac = String(mantissa[mantissa.index(after: dot)...])
    }
    var all = intPart + frac
    var firstExp = intPart.count - 1 + exp
    while all.hasPrefix("0") && all.count > 1 {
        all.removeFirst()
        firstExp -= 1
    }
    while all.hasSuffix("0") && all.count > 1 { all.removeLast() }
    return (all, firstExp)
}

/// CPython's `repr(str)`.
public func quoteString(_ s: String) -> String {
    let hasSingle = s.unicodeScalars.contains("'")
    let hasDouble = s.unicodeScalars.contains("\"")
    let quote: Unicode.Scalar = hasSingle && !hasDouble ? "\"" : "'"
    var out = String.UnicodeScalarView()
    out.append(quote)
    for c in s.unicodeScalars {
        switch c {
        case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
        case "\n": out.append(contentsOf: "\\n".unicodeScalars)
        case "\r": out.append(contentsOf: "\\r".unicodeScalars)
        case "\t": out.append(contentsOf: "\\t".unicodeScalars)
        default:
            if c == quote {
                out.append("\\")
                out.append(c)
            } else if c.value < 0x20 || c.value == 0x7F {
                out.append(contentsOf: ("\\x" + String(c.value, radix: 16).leftPadded(to: 2, with: "0")).unicodeScalars)
            } else if c.value < 0x7F {
                out.append(c)
            } else if isPrintable(c) {
                out.append(c)
            } else if c.value <= 0xFF {
                out.append(contentsOf: ("\\x" + String(c.value, radix: 16).leftPadded(to: 2, with: "0")).unicodeScalars)
            } else if c.value <= 0xFFFF {
                out.append(contentsOf: ("\\u" + String(c.value, radix: 16).leftPadded(to: 4, with: "0")).unicodeScalars)
            } else {
                out.append(contentsOf: ("\\U" + String(c.value, radix: 16).leftPadded(to: 8, with: "0")).unicodeScalars)
            }
        }
    }
    out.append(quote)
    return String(out)
}

/// Python's `str.isprintable` for one character.
func isPrintable(_ c: Unicode.Scalar) -> Bool {
    if c == " " { return true }
    switch c.properties.generalCategory {
    case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
        return false
    default:
        return true
    }
}

/// `ascii()`: non-ASCII characters escaped.
func asciiEscaped(_ s: String) -> String {
    var out = ""
    for c in s.unicodeScalars {
        if c.value < 0x80 { out.unicodeScalars.append(c) }
        else if c.value <= 0xFF { out += "\\x" + String(c.value, radix: 16).leftPadded(to: 2, with: "0") }
        else if c.value <= 0xFFFF { out += "\\u" + String(c.value, radix: 16).leftPadded(to: 4, with: "0") }
        else { out += "\\U" + String(c.value, radix: 16).leftPadded(to: 8, with: "0") }
    }
    return out
}

/// printf-style formatting of one double through the C library (exact decimal rounding).
func cFormat(_ d: Double, _ format: String) -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    let n = withVaList([d]) { args in
        buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, 512, format, args) }
    }
    if n >= 512 {
        var big = [CChar](repeating: 0, count: Int(n) + 1)
        _ = withVaList([d]) { args in
            big.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, Int(n) + 1, format, args) }
        }
        return String(cString: big)
    }
    return String(cString: buffer)
}
