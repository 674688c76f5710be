/// The `json` module: `dumps`/`loads`/`dump`/`load` with CPython's default formatting.
let jsonDecodeError = ClassObject(name: "JSONDecodeError", base: ExceptionTypes.valueError, moduleName: "json.decoder")

func makeJSONModule() -> Module {
    let m = Module(name: "json")
    m.set("JSONDecodeError", .cls(jsonDecodeError))
    let dumpKeywords = ["indent", "sort_keys", "separators", "ensure_ascii", "default", "skipkeys", "allow_nan"]
    m.addFunction("dumps") { a in
        try a.check(max: 1, min: 1, allowedKeywords: dumpKeywords)
        return .str(try JSONWriter(a).write(a.positional[0]))
    }
    m.addFunction("dump") { a in
        try a.check(max: 2, min: 2, allowedKeywords: dumpKeywords)
        let text = try JSONWriter(a).write(a.positional[0])
        _ = try a.interpreter.callMethod(a.positional[1], "write", [.str(text)])
        return .none
    }
    m.addFunction("loads") { a in
        try a.check(max: 1, min: 1)
        var reader = JSONReader(try a.string(0, "s"))
        return try reader.parseDocument()
    }
    m.addFunction("load") { a in
        try a.check(max: 1, min: 1)
        guard case .str(let s) = try a.interpreter.callMethod(a.positional[0], "read", []) else {
            throw ScriptError.typeError("the JSON object must be str")
        }
        var reader = JSONReader(s)
        return try reader.parseDocument()
    }
    return m
}

private struct JSONWriter {
    let interp: Interpreter
    let indent: String?
    let sortKeys: Bool
    let itemSeparator: String
    let keySeparator: String
    let ensureASCII: Bool
    let defaultFunction: Value?

    init(_ a: Arguments) throws {
        interp = a.interpreter
        switch a.keyword("indent") {
        case nil, .none?: indent = nil
        case .int(let n)?: indent = String(repeating: " ", count: max(n, 0))
        case .str(let s)?: indent = s
        default: throw ScriptError.typeError("indent must be an int or a string")
        }
        sortKeys = try a.bool(-1, "sort_keys", default: false)
        ensureASCII = try a.bool(-1, "ensure_ascii", default: true)
        defaultFunction = a.keyword("default").flatMap { $0.isNone ? nil : $0 }
        if let sep = a.keyword("separators"), !sep.isNone {
            let parts = try a.interpreter.collect(sep)
            guard parts.count == 2, case .str(let i) = parts[0], case .str(let k) = parts[1] else {
                throw ScriptError.valueError("separators must be a (item_separator, key_separator) pair")
            }
            itemSeparator = i
            keySeparator = k
        } else {
            itemSeparator = indent == nil ? ", " : ","
            keySeparator = ": "
        }
    }

    func write(_ v: Value) throws -> String {
        var out = ""
        try write(v, &out, level: 0)
        return out
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if c.value < 0x20 || (ensureASCII && c.value > 0x7E) {
                    if c.value > 0xFFFF {
                        let v = c.value - 0x10000
                        out += "\\u" + String(0xD800 + (v >> 10), radix: 16).leftPadded(to: 4, with: "0")
                        out += "\\u" + String(0xDC00 + (v & 0x3FF), radix: 16).leftPadded(to: 4, with: "0")
                    } else {
                        out += "\\u" + String(c.value, radix: 16).leftPadded(to: 4, with: "0")
                    }
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }

    private func floatText(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return floatRepr(d)
    }

    private func write(_ v: Value, _ out: inout String, level: Int) throws {
        if level > 500 { throw ScriptError.recursionError() }
        switch v {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += floatText(d)
        case .str(let s): out += quote(s)
        case .list, .tuple:
            let items = try interp.collect(v)
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += itemSeparator }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                try write(item, &out, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "]"
        case .dict(let d):
            if d.count == 0 { out += "{}"; return }
            var pairs: [(String, Value)] = []
            for (k, val) in zip(d.keys, d.values) {
                let key: String
                switch k {
                case .str(let s): key = s
                case .int(let i): key = String(i)
                case .float(let f): key = floatText(f)
                case .bool(let b): key = b ? "true" : "false"
                case .none: key = "null"
                default: throw ScriptError.typeError("keys must be str, int, float, bool or None, not \(interp.typeName(k))")
                }
                pairs.append((key, val))
            }
            if sortKeys { pairs.sort { compareStrings($0.0, $1.0) < 0 } }
            out += "{"
            for (k, (key, val)) in pairs.enumerated() {
                if k > 0 { out += itemSeparator }
                if let indent { out += "\n" + String(repeating: indent, count: level + 1) }
                out += quote(key) + keySeparator
                try write(val, &out, level: level + 1)
            }
            if let indent { out += "\n" + String(repeating: indent, count: level) }
            out += "}"
        default:
            if let f = defaultFunction {
                try write(try interp.call(f, [v]), &out, level: level + 1)
                return
            }
            throw ScriptError.typeError("Object of type \(interp.typeName(v)) is not JSON serializable")
        }
    }
}

private struct JSONReader {
    let chars: [Unicode.Scalar]
    var i = 0

    init(_ s: String) { chars = Array(s.unicodeScalars) }

    private func error(_ message: String, at pos: Int? = nil) -> ScriptError {
        let p = pos ?? i
        var line = 1
        var col = 1
        for k in 0..<min(p, chars.count) {
            if chars[k] == "\n" { line += 1; col = 1 } else { col += 1 }
        }
        return ScriptError(type: jsonDecodeError, "\(message): line \(line) column \(col) (char \(p))")
    }

    private mutating func skipSpace() {
        while i < chars.count, chars[i] == " " || chars[i] == "\t" || chars[i] == "\n" || chars[i] == "\r" { i += 1 }
    }

    mutating func parseDocument() throws -> Value {
        skipSpace()
        let v = try parseValue(depth: 0)
        skipSpace()
        if i < chars.count { throw error("Extra data") }
        return v
    }

    private mutating func literal(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard i + w.count <= chars.count, Array(chars[i..<i + w.count]) == w else { return false }
        i += w.count
        return true
    }

    private mutating func parseValue(depth: Int) throws -> Value {
        if depth > 500 { throw ScriptError.recursionError() }
        guard i < chars.count else { throw error("Expecting value") }
        let c = chars[i]
        switch c {
        case "{":
            i += 1
            let d = DictObject()
            skipSpace()
            if i < chars.count && chars[i] == "}" { i += 1; return .dict(d) }
            while true {
                skipSpace()
                guard i < chars.count, chars[i] == "\"" else { throw error("Expecting property name enclosed in double quotes") }
                let key = try parseString()
                skipSpace()
                guard i < chars.count, chars[i] == ":" else { throw error("Expecting ':' delimiter") }
                i += 1
                skipSpace()
                try d.set(.str(key), try parseValue(depth: depth + 1))
                skipSpace()
                guard i < chars.count else { throw error("Expecting ',' delimiter") }
                if chars[i] == "," { i += 1; continue }
                if chars[i] == "}" { i += 1; return .dict(d) }
                throw error("Expecting ',' delimiter")
            }
        case "[":
            i += 1
            var items: [Value] = []
            skipSpace()
            if i < chars.count && chars[i] == "]" { i += 1; return .list(ListObject(items)) }
            while true {
                skipSpace()
                items.append(try parseValue(depth: depth + 1))
                skipSpace()
                guard i < chars.count else { throw error("Expecting ',' delimiter") }
                if chars[i] == "," { i += 1; continue }
                if chars[i] == "]" { i += 1; return .list(ListObject(items)) }
                throw error("Expecting ',' delimiter")
            }
        case "\"":
            return .str(try parseString())
        default:
            if literal("true") { return .bool(true) }
            if literal("false") { return .bool(false) }
            if literal("null") { return .none }
            if literal("NaN") { return .float(.nan) }
            if literal("Infinity") { return .float(.infinity) }
            if literal("-Infinity") { return .float(-.infinity) }
            return try parseNumber()
        }
    }

    private mutating func parseNumber() throws -> Value {
        let start = i
        if i < chars.count && chars[i] == "-" { i += 1 }
        let digitsStart = i
        while i < chars.count, chars[i].properties.numericType != nil, chars[i].isASCII { i += 1 }
        if i == digitsStart { i = start; throw error("Expecting value") }
        var isFloat = false
        if i < chars.count && chars[i] == "." {
            let save = i
            i += 1
            let fracStart = i
            while i < chars.count, chars[i].isASCII, chars[i].properties.numericType != nil { i += 1 }
            if i == fracStart { i = save } else { isFloat = true }
        }
        if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
            let save = i
            i += 1
            if i < chars.count && (chars[i] == "+" || chars[i] == "-") { i += 1 }
            let expStart = i
            while i < chars.count, chars[i].isASCII, chars[i].properties.numericType != nil { i += 1 }
            if i == expStart { i = save } else { isFloat = true }
        }
        let text = String(String.UnicodeScalarView(chars[start..<i]))
        if isFloat { return .float(Double(text) ?? 0) }
        guard let n = Int(text) else { throw ScriptError.overflowError("JSON integer \(text) does not fit in a 64-bit int") }
        return .int(n)
    }

    private mutating func parseString() throws -> String {
        let start = i
        i += 1
        var out = String.UnicodeScalarView()
        while true {
            guard i < chars.count else { throw error("Unterminated string starting at", at: start) }
            let c = chars[i]
            i += 1
            if c == "\"" { return String(out) }
            if c.value < 0x20 { throw error("Invalid control character at", at: i - 1) }
            guard c == "\\" else { out.append(c); continue }
            guard i < chars.count else { throw error("Unterminated string starting at", at: start) }
            let e = chars[i]
            i += 1
            switch e {
            case "\"": out.append("\"")
            case "\\": out.append("\\")
            case "/": out.append("/")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "u":
                var code = try hex4()
                if (0xD800..<0xDC00).contains(code), i + 1 < chars.count, chars[i] == "\\", chars[i + 1] == "u" {
                    i += 2
                    let low = try hex4()
                    if (0xDC00..<0xE000).contains(low) {
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i -= 6
                    }
                }
                out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
            default:
                throw error("Invalid \\escape", at: i - 2)
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= chars.count, let v = UInt32(String(String.UnicodeScalarView(chars[i..<i + 4])), radix: 16) else {
            throw error("Invalid \\uXXXX escape", at: i - 1)
        }
        i += 4
        return v
    }
}
