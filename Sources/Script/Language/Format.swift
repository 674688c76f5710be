/// A parsed format specification: `[[fill]align][sign][#][0][width][,|_][.precision][type]`.
struct FormatSpec {
    var fill: Character = " "
    var fillGiven = false
    var align: Character? = nil
    var sign: Character = "-"
    var alternate = false
    var zeroPad = false
    var width = 0
    var grouping: Character? = nil
    var precision: Int? = nil
    var type: Character? = nil

    init(_ spec: String) throws {
        var chars = Array(spec)
        var i = 0
        func isAlign(_ c: Character) -> Bool { c == "<" || c == ">" || c == "^" || c == "=" }
        if chars.count >= 2 && isAlign(chars[1]) {
            fill = chars[0]
            fillGiven = true
            align = chars[1]
            i = 2
        } else if !chars.isEmpty && isAlign(chars[0]) {
            align = chars[0]
            i = 1
        }
        if i < chars.count, chars[i] == "+" || chars[i] == "-" || chars[i] == " " { sign = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "#" { alternate = true; i += 1 }
        if i < chars.count, chars[i] == "0" { zeroPad = true; i += 1 }
        var w = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber { w.append(chars[i]); i += 1 }
        if !w.isEmpty {
            guard let n = Int(w), n < 100_000 else { throw ScriptError.valueError("Too many decimal digits in format string") }
            width = n
        }
        if i < chars.count, chars[i] == "," || chars[i] == "_" { grouping = chars[i]; i += 1 }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber { p.append(chars[i]); i += 1 }
            guard !p.isEmpty, let n = Int(p), n < 100_000 else { throw ScriptError.valueError("Format specifier missing precision") }
            precision = n
        }
        if i < chars.count { type = chars[i]; i += 1 }
        if i < chars.count { throw ScriptError.valueError("Invalid format specifier '\(spec)'") }
        chars = []
    }

    /// Pads `body` (with its sign split off for `=` alignment) to the width.
    func pad(_ body: String, sign: String = "", numeric: Bool) -> String {
        var fillChar = fill
        var alignment = align ?? (numeric ? ">" : "<")
        if zeroPad && !fillGiven {
            fillChar = "0"
            if align == nil && numeric { alignment = "=" }
        }
        let total = sign.count + body.count
        guard width > total else { return sign + body }
        let padding = width - total
        switch alignment {
        case "<": return sign + body + String(repeating: fillChar, count: padding)
        case "^":
            let left = padding / 2
            return String(repeating: fillChar, count: left) + sign + body + String(repeating: fillChar, count: padding - left)
        case "=": return sign + String(repeating: fillChar, count: padding) + body
        default: return String(repeating: fillChar, count: padding) + sign + body
        }
    }
}

/// Inserts a separator every three digits of the integer part of `digits`.
func groupDigits(_ digits: String, _ sep: Character, every n: Int = 3) -> String {
    var intPart = digits
    var rest = ""
    if let dot = digits.firstIndex(where: { $0 == "." || $0 == "e" || $0 == "E" }) {
        intPart = String(digits[..<dot])
        rest = String(digits[dot...])
    }
    var out = ""
    for (k, c) in intPart.reversed().enumerated() {
        if k > 0 && k % n == 0 { out.append(sep) }
        out.append(c)
    }
    return String(out.reversed()) + rest
}

extension Interpreter {
    /// `format(v, spec)`: the format-spec mini-language for str, int, float; `__format__` for objects.
    public func format(_ v: Value, spec: String) throws -> String {
        switch v {
        case .instance(let inst):
            if let (f, owner) = inst.cls.lookup("__format__"), owner.constructor == nil {
                guard case .str(let s) = try callValue(f, [v, .str(spec)], []) else {
                    throw ScriptError.typeError("__format__ must return a str")
                }
                return s
            }
            if spec.isEmpty { return try str(v) }
            throw ScriptError.typeError("unsupported format string passed to \(inst.cls.name).__format__")
        case .int(let i): return try formatInt(i, try FormatSpec(spec), spec)
        case .bool(let b):
            if spec.isEmpty { return b ? "True" : "False" }
            return try formatInt(b ? 1 : 0, try FormatSpec(spec), spec)
        case .float(let d): return try formatFloat(d, try FormatSpec(spec))
        case .str(let s):
            let fs = try FormatSpec(spec)
            guard fs.type == nil || fs.type == "s" else {
                throw ScriptError.valueError("Unknown format code '\(fs.type.map { String($0) } ?? "")' for object of type 'str'")
            }
            if fs.sign != "-" { throw ScriptError.valueError("Sign not allowed in string format specifier") }
            var body = s
            if let p = fs.precision { body = String(s.unicodeScalars.prefix(p)) }
            return fs.pad(body, numeric: false)
        default:
            if spec.isEmpty { return try str(v) }
            let fs = try FormatSpec(spec)
            if fs.type == nil || fs.type == "s", case .native = v { return fs.pad(try str(v), numeric: false) }
            if fs.type == nil || fs.type == "s", case .none = v {
                throw ScriptError.typeError("unsupported format string passed to NoneType.__format__")
            }
            throw ScriptError.typeError("unsupported format string passed to \(typeName(v)).__format__")
        }
    }

    private func formatInt(_ i: Int, _ fs: FormatSpec, _ spec: String) throws -> String {
        if let t = fs.type, "eEfFgG%".contains(t) { return try formatFloat(Double(i), fs) }
        if fs.precision != nil { throw ScriptError.valueError("Precision not allowed in integer format specifier") }
        let magnitude = i.magnitude
        var digits: String
        var prefix = ""
        switch fs.type {
        case nil, "d", "n": digits = String(magnitude)
        case "x": digits = String(magnitude, radix: 16); prefix = fs.alternate ? "0x" : ""
        case "X": digits = String(magnitude, radix: 16).uppercased(); prefix = fs.alternate ? "0X" : ""
        case "o": digits = String(magnitude, radix: 8); prefix = fs.alternate ? "0o" : ""
        case "b": digits = String(magnitude, radix: 2); prefix = fs.alternate ? "0b" : ""
        case "c":
            guard let s = Unicode.Scalar(UInt32(clamping: max(i, 0))) else { throw ScriptError.overflowError("%c arg not in range(0x110000)") }
            return fs.pad(String(s), numeric: false)
        default:
            throw ScriptError.valueError("Unknown format code '\(fs.type.map { String($0) } ?? "")' for object of type 'int'")
        }
        if let g = fs.grouping {
            let every = (fs.type == nil || fs.type == "d" || fs.type == "n") ? 3 : 4
            if g == "," && every == 4 { throw ScriptError.valueError("Cannot specify ',' with '\(fs.type.map { String($0) } ?? "")'.") }
            if fs.zeroPad && fs.align == nil && fs.width > 0 {
                // Zero padding participates in grouping.
                let signLen = (i < 0 || fs.sign != "-") ? 1 : 0
                let target = fs.width - signLen - prefix.count
                while groupDigits(digits, g, every: every).count < target { digits = "0" + digits }
                return signString(i < 0, fs) + prefix + groupDigits(digits, g, every: every)
            }
            digits = groupDigits(digits, g, every: every)
        }
        return fs.pad(prefix + digits, sign: signString(i < 0, fs), numeric: true)
    }

    private func signString(_ negative: Bool, _ fs: FormatSpec) -> String {
        if negative { return "-" }
        if fs.sign == "+" { return "+" }
        if fs.sign == " " { return " " }
        return ""
    }

    func formatFloat(_ d: Double, _ fs: FormatSpec) throws -> String {
        let negative = d.sign == .minus && !(d.isNaN)
        let a = abs(d)
        var body: String
        var type = fs.type
        if type == "n" { type = "g" }
        switch type {
        case nil:
            if let p = fs.precision {
                body = formatGeneral(a, precision: max(p, 1), alternate: fs.alternate, noType: true)
            } else {
                body = floatRepr(a)
            }
        case "f", "F":
            body = a.isFinite ? cFormat(a, "%\(fs.alternate ? "#" : "").\(fs.precision ?? 6)f") : (a.isNaN ? "nan" : "inf")
            if type == "F" { body = body.uppercased() }
        case "e", "E":
            body = a.isFinite ? cFormat(a, "%\(fs.alternate ? "#" : "").\(fs.precision ?? 6)e") : (a.isNaN ? "nan" : "inf")
            if type == "E" { body = body.uppercased() }
        case "g", "G":
            body = a.isFinite ? formatGeneral(a, precision: max(fs.precision ?? 6, 1), alternate: fs.alternate, noType: false) : (a.isNaN ? "nan" : "inf")
            if type == "G" { body = body.uppercased() }
        case "%":
            body = a.isFinite ? cFormat(a * 100, "%.\(fs.precision ?? 6)f") + "%" : (a.isNaN ? "nan%" : "inf%")
        default:
            throw ScriptError.valueError("Unknown format code '\(type.map { String($0) } ?? "")' for object of type 'float'")
        }
        if let g = fs.grouping, a.isFinite {
            if fs.zeroPad && fs.align == nil && fs.width > 0 {
                let signLen = (negative || fs.sign != "-") ? 1 : 0
                var b = body
                while groupDigits(b, g).count < fs.width - signLen { b = "0" + b }
                return signString(negative, fs) + groupDigits(b, g)
            }
            body = groupDigits(body, g)
        }
        return fs.pad(body, sign: signString(negative, fs), numeric: true)
    }

    /// Python's `g` (and no-type with precision) formatting of a non-negative finite double.
    private func formatGeneral(_ a: Double, precision p: Int, alternate: Bool, noType: Bool) -> String {
        if a == 0 {
            if noType { return "0.0" }
            return alternate ? "0." + String(repeating: "0", count: p - 1) : "0"
        }
        let e = cFormat(a, "%.\(p - 1)e")
        let expPart = e.split(separator: "e").last.flatMap { Int($0) } ?? 0
        let useExp = expPart < -4 || expPart >= (noType ? p - 1 : p)
        if useExp {
            var parts = e.split(separator: "e", maxSplits: 1).map(String.init)
            if !alternate { parts[0] = stripZeros(parts[0], keepOne: false) }
            return parts[0] + "e" + parts[1]
        }
        var f = cFormat(a, "%.\(max(p - 1 - expPart, 0))f")
        if !alternate { f = stripZeros(f, keepOne: noType) }
        if noType && !f.contains(".") { f += ".0" }
        return f
    }

    private func stripZeros(_ s: String, keepOne: Bool) -> String {
        guard s.contains(".") else { return s }
        var t = s
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") {
            if keepOne { t += "0" } else { t.removeLast() }
        }
        return t
    }

    // MARK: printf-style

    /// `template % args`.
    func percentFormat(_ template: String, _ args: Value) throws -> String {
        let chars = Array(template.unicodeScalars)
        var values: [Value]
        var mapping: Value? = nil
        switch args {
        case .tuple(let t): values = t
        case .dict, .instance: values = [args]; mapping = args
        default: values = [args]
        }
        var next = 0
        var out = String.UnicodeScalarView()
        var i = 0
        func take() throws -> Value {
            guard next < values.count else { throw ScriptError.typeError("not enough arguments for format string") }
            defer { next += 1 }
            return values[next]
        }
        var usedMapping = false
        while i < chars.count {
            let c = chars[i]
            guard c == "%" else { out.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw ScriptError.valueError("incomplete format") }
            var key: String? = nil
            if chars[i] == "(" {
                var depth = 1
                var k = ""
                i += 1
                while i < chars.count {
                    if chars[i] == "(" { depth += 1 }
                    if chars[i] == ")" { depth -= 1; if depth == 0 { break } }
                    k.unicodeScalars.append(chars[i])
                    i += 1
                }
                guard i < chars.count else { throw ScriptError.valueError("incomplete format key") }
                i += 1
                key = k
            }
            var flags = ""
            while i < chars.count, "-+ #0".unicodeScalars.contains(chars[i]) { flags.unicodeScalars.append(chars[i]); i += 1 }
            var width = ""
            if i < chars.count, chars[i] == "*" {
                i += 1
                guard case .int(let w) = try take() else { throw ScriptError.typeError("* wants int") }
                width = String(w)
            } else {
                while i < chars.count, chars[i].properties.numericType != nil, chars[i].isASCII { width.unicodeScalars.append(chars[i]); i += 1 }
            }
            var precision: String? = nil
            if i < chars.count, chars[i] == "." {
                i += 1
                var p = ""
                if i < chars.count, chars[i] == "*" {
                    i += 1
                    guard case .int(let w) = try take() else { throw ScriptError.typeError("* wants int") }
                    p = String(w)
                } else {
                    while i < chars.count, chars[i].isASCII, chars[i].properties.numericType != nil { p.unicodeScalars.append(chars[i]); i += 1 }
                }
                precision = p.isEmpty ? "0" : p
            }
            guard i < chars.count else { throw ScriptError.valueError("incomplete format") }
            let conv = chars[i]
            i += 1
            if conv == "%" { out.append("%"); continue }
            let value: Value
            if let key {
                guard let m = mapping else { throw ScriptError.typeError("format requires a mapping") }
                value = try getItem(m, .str(key))
                usedMapping = true
            } else {
                value = try take()
            }
            var spec = ""
            if flags.contains("-") { spec += "<" } else if !flags.contains("0") || "sr".unicodeScalars.contains(conv) { spec += ">" }
            if flags.contains("+") { spec += "+" } else if flags.contains(" ") { spec += " " }
            if flags.contains("#") { spec += "#" }
            if flags.contains("0") && !flags.contains("-") && !"sr".unicodeScalars.contains(conv) { spec += "0" }
            spec += width
            var piece: String
            switch conv {
            case "s":
                var s = try str(value)
                if let p = precision, let n = Int(p) { s = String(s.unicodeScalars.prefix(n)) }
                piece = try format(.str(s), spec: spec.replacingPlusSign())
            case "r", "a":
                var s = try repr(value)
                if conv == "a" { s = asciiEscaped(s) }
                if let p = precision, let n = Int(p) { s = String(s.unicodeScalars.prefix(n)) }
                piece = try format(.str(s), spec: spec.replacingPlusSign())
            case "d", "i", "u":
                let n: Int
                switch value {
                case .int(let x): n = x
                case .bool(let b): n = b ? 1 : 0
                case .float(let d):
                    guard d.isFinite, abs(d) < 9.2e18 else { throw ScriptError.overflowError("cannot convert float to integer") }
                    n = Int(d)
                default: throw ScriptError.typeError("%\(conv) format: a real number is required, not \(typeName(value))")
                }
                if let p = precision, let pn = Int(p), pn > 0 {
                    var digits = String(n.magnitude)
                    while digits.count < pn { digits = "0" + digits }
                    piece = try format(.str((n < 0 ? "-" : (flags.contains("+") ? "+" : "")) + digits), spec: spec.replacingPlusSign())
                } else {
                    piece = try format(.int(n), spec: spec)
                }
            case "x", "X", "o":
                guard let n = value.asInt, case .int(let x) = n else {
                    throw ScriptError.typeError("%\(conv) format: an integer is required, not \(typeName(value))")
                }
                piece = try format(.int(x), spec: spec + String(conv))
            case "f", "F", "e", "E", "g", "G":
                guard let d = value.asDouble else {
                    throw ScriptError.typeError("must be real number, not \(typeName(value))")
                }
                piece = try format(.float(d), spec: spec + "." + (precision ?? "6") + String(conv))
            case "c":
                switch value {
                case .int(let x): piece = try format(.int(x), spec: spec + "c")
                case .str(let s) where s.unicodeScalars.count == 1: piece = try format(.str(s), spec: spec)
                default: throw ScriptError.typeError("%c requires int or char")
                }
            default:
                throw ScriptError.valueError("unsupported format character '\(conv)' (0x\(String(conv.value, radix: 16))) at index \(i - 1)")
            }
            out.append(contentsOf: piece.unicodeScalars)
        }
        if mapping == nil || !usedMapping, next < values.count, !(mapping != nil && next == 0) {
            throw ScriptError.typeError("not all arguments converted during string formatting")
        }
        return String(out)
    }

    // MARK: str.format

    /// `template.format(*args, **kwargs)`.
    func strFormat(_ template: String, _ args: [Value], _ kwargs: [(String, Value)]) throws -> String {
        var auto = 0
        var usedManual = false
        return try strFormat(template, args, kwargs, auto: &auto, usedManual: &usedManual)
    }

    private func strFormat(_ template: String, _ args: [Value], _ kwargs: [(String, Value)], auto: inout Int, usedManual: inout Bool) throws -> String {
        let chars = Array(template)
        var out = ""
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "}" {
                guard i + 1 < chars.count, chars[i + 1] == "}" else {
                    throw ScriptError.valueError("Single '}' encountered in format string")
                }
                out.append("}")
                i += 2
                continue
            }
            guard c == "{" else { out.append(c); i += 1; continue }
            if i + 1 < chars.count, chars[i + 1] == "{" {
                out.append("{")
                i += 2
                continue
            }
            var depth = 1
            var j = i + 1
            var field = ""
            while j < chars.count {
                if chars[j] == "{" { depth += 1 }
                if chars[j] == "}" { depth -= 1; if depth == 0 { break } }
                field.append(chars[j])
                j += 1
            }
            guard j < chars.count else { throw ScriptError.valueError("expected '}' before end of string") }
            i = j + 1
            // Split field into name, conversion, spec.
            var name = field
            var spec = ""
            var conversion: Character? = nil
            var bracket = 0
            for (k, ch) in field.enumerated() {
                if ch == "[" { bracket += 1 }
                if ch == "]" { bracket -= 1 }
                if bracket == 0 && (ch == ":" || ch == "!") {
                    name = String(field.prefix(k))
                    var rest = String(field.dropFirst(k))
                    if ch == "!" {
                        rest.removeFirst()
                        guard let cv = rest.first else { throw ScriptError.valueError("end of string while looking for conversion specifier") }
                        conversion = cv
                        rest.removeFirst()
                        if rest.hasPrefix(":") { rest.removeFirst() } else if !rest.isEmpty {
                            throw ScriptError.valueError("expected ':' after conversion specifier")
                        }
                    } else {
                        rest.removeFirst()
                    }
                    spec = rest
                    break
                }
            }
            // Resolve the name: index or keyword, then .attr / [key] chains.
            var head = ""
            var tail = Substring("")
            if let k = name.firstIndex(where: { $0 == "." || $0 == "[" }) {
                head = String(name[..<k])
                tail = name[k...]
            } else {
                head = name
            }
            var value: Value
            if head.isEmpty {
                if usedManual { throw ScriptError.valueError("cannot switch from manual field specification to automatic field numbering") }
                guard auto < args.count else { throw ScriptError.indexError("Replacement index \(auto) out of range for positional args tuple") }
                value = args[auto]
                auto += 1
            } else if let n = Int(head) {
                usedManual = true
                if auto > 0 { throw ScriptError.valueError("cannot switch from automatic field numbering to manual field specification") }
                guard n >= 0 && n < args.count else { throw ScriptError.indexError("Replacement index \(n) out of range for positional args tuple") }
                value = args[n]
            } else {
                guard let v = kwargs.first(where: { $0.0 == head })?.1 else { throw ScriptError.keyError(.str(head)) }
                value = v
            }
            while let first = tail.first {
                if first == "." {
                    tail = tail.dropFirst()
                    let end = tail.firstIndex(where: { $0 == "." || $0 == "[" }) ?? tail.endIndex
                    value = try getAttribute(value, String(tail[..<end]))
                    tail = tail[end...]
                } else {
                    tail = tail.dropFirst()
                    guard let end = tail.firstIndex(of: "]") else { throw ScriptError.valueError("Missing ']' in format string") }
                    let key = String(tail[..<end])
                    value = try getItem(value, Int(key).map { .int($0) } ?? .str(key))
                    tail = tail[tail.index(after: end)...]
                }
            }
            if spec.contains("{") { spec = try strFormat(spec, args, kwargs, auto: &auto, usedManual: &usedManual) }
            switch conversion {
            case "r": value = .str(try repr(value))
            case "s": value = .str(try str(value))
            case "a": value = .str(asciiEscaped(try repr(value)))
            case nil: break
            default: throw ScriptError.valueError("Unknown conversion specifier \(conversion.map { String($0) } ?? "")")
            }
            out += try format(value, spec: spec)
        }
        return out
    }
}

extension String {
    /// Drops a `+`/space sign flag, which string formatting does not accept.
    func replacingPlusSign() -> String {
        var s = self
        s.removeAll { $0 == "+" || $0 == " " }
        return s
    }
}
