import Glibc

/// The `re` module on top of POSIX extended regular expressions (glibc `regcomp`), with Python's
/// escapes translated (`\d \w \s \D \W \S`, `(?:...)`, `(?P<name>...)`). Matching is POSIX
/// leftmost-longest; lazy quantifiers, lookarounds and backreferences in patterns are errors that
/// name the construct.
func makeReModule() -> Module {
    let m = Module(name: "re")
    m.set("IGNORECASE", .int(2))
    m.set("I", .int(2))
    m.set("MULTILINE", .int(8))
    m.set("M", .int(8))
    m.set("DOTALL", .int(16))
    m.set("S", .int(16))
    func pattern(_ a: Arguments, flagsIndex: Int = -1) throws -> RegexPattern {
        let p = try a.required(0, "pattern")
        if case .native(let n) = p, let r = n as? RegexPattern { return r }
        guard case .str(let s) = p else { throw ScriptError.typeError("first argument must be string or compiled pattern") }
        return try RegexPattern.compile(s, flags: try a.int(flagsIndex, "flags", default: 0))
    }
    func rest(_ a: Arguments) -> Arguments {
        Arguments(Array(a.positional.dropFirst()), keywords: a.keywords.filter { $0.0 != "flags" && $0.0 != "pattern" },
                  interpreter: a.interpreter, functionName: a.functionName)
    }
    m.addFunction("compile") { a in .native(try pattern(a, flagsIndex: 1)) }
    for name in ["match", "search", "fullmatch", "sub", "subn", "split", "findall", "finditer"] {
        m.addFunction(name) { a in
            let p = try pattern(a)
            guard let method = try p.getAttribute(name, context: a.interpreter.context(.native(p))) else { return .none }
            return try a.interpreter.call(method, rest(a).positional, rest(a).keywords)
        }
    }
    m.addFunction("escape") { a in
        let s = try a.string(0, "pattern")
        var out = ""
        for c in s.unicodeScalars {
            if c.properties.isAlphabetic || (c >= "0" && c <= "9") || c == "_" || c.value > 127 { out.unicodeScalars.append(c) }
            else { out += "\\" + String(c) }
        }
        return .str(out)
    }
    m.set("error", .cls(ExceptionTypes.valueError))
    return m
}

/// A compiled pattern (`re.compile`).
final class RegexPattern: NativeObject {
    let source: String
    let flags: Int
    /// Python group number → POSIX group number.
    let groupMap: [Int]
    let names: [String: Int]
    private var regex = regex_t()
    private static var cache: [String: RegexPattern] = [:]

    var typeName: String { "Pattern" }

    static func compile(_ source: String, flags: Int) throws -> RegexPattern {
        let key = "\(flags)\u{0}\(source)"
        if let p = cache[key] { return p }
        let p = try RegexPattern(source, flags: flags)
        if cache.count > 200 { cache.removeAll() }
        cache[key] = p
        return p
    }

    private init(_ source: String, flags: Int) throws {
        self.source = source
        self.flags = flags
        let (ere, map, names) = try RegexPattern.translate(source)
        self.groupMap = map
        self.names = names
        var cflags = REG_EXTENDED
        if flags & 2 != 0 { cflags |= REG_ICASE }
        if flags & 8 != 0 { cflags |= REG_NEWLINE }
        let rc = regcomp(&regex, ere, cflags)
        if rc != 0 {
            var buf = [CChar](repeating: 0, count: 256)
            regerror(rc, &regex, &buf, buf.count)
            throw ScriptError.valueError("invalid regular expression \(quoteString(source)): \(String(cString: buf))")
        }
    }

    deinit { regfree(&regex) }

    /// Python syntax → POSIX ERE, with the capturing-group map.
    static func translate(_ p: String) throws -> (String, [Int], [String: Int]) {
        let c = Array(p.unicodeScalars)
        var out = ""
        var map = [0]
        var names: [String: Int] = [:]
        var posixGroup = 0
        var i = 0
        var inClass = false
        func unsupported(_ what: String) -> ScriptError {
            ScriptError.valueError("\(what) is not supported by mlus's re (POSIX regular expressions): \(quoteString(p))")
        }
        while i < c.count {
            let ch = c[i]
            if ch == "\\" && i + 1 < c.count {
                let n = c[i + 1]
                i += 2
                switch n {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += "[^0-9]"
                case "w": out += inClass ? "A-Za-z0-9_" : "[A-Za-z0-9_]"
                case "W": out += "[^A-Za-z0-9_]"
                case "s": out += inClass ? "[:space:]" : "[[:space:]]"
                case "S": out += "[^[:space:]]"
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                case "b", "B": out += "\\" + String(n)
                case "A": out += "^"
                case "Z", "z": out += "$"
                case "1"..."9": throw unsupported("a backreference")
                default:
                    if inClass {
                        if n == "]" || n == "\\" || n == "^" || n == "-" { out += n == "]" ? "]" : "\\" + String(n) } else { out.unicodeScalars.append(n) }
                    } else {
                        out += "\\" + String(n)
                    }
                }
                continue
            }
            if inClass {
                if ch == "]" { inClass = false }
                out.unicodeScalars.append(ch)
                i += 1
                continue
            }
            switch ch {
            case "[":
                inClass = true
                out += "["
                i += 1
                if i < c.count && c[i] == "^" { out += "^"; i += 1 }
                if i < c.count && c[i] == "]" { out += "]"; i += 1 }
                continue
            case "(":
                posixGroup += 1
                if i + 1 < c.count && c[i + 1] == "?" {
                    if i + 2 < c.count && c[i + 2] == ":" {
                        i += 3
                    } else if i + 3 < c.count && c[i + 2] == "P" && c[i + 3] == "<" {
                        var j = i + 4
                        var name = ""
                        while j < c.count && c[j] != ">" { name.unicodeScalars.append(c[j]); j += 1 }
                        names[name] = map.count
                        map.append(posixGroup)
                        i = j + 1
                    } else {
                        throw unsupported("the group construct '(?\(i + 2 < c.count ? String(c[i + 2]) : "")'")
                    }
                } else {
                    map.append(posixGroup)
                    i += 1
                }
                out += "("
                continue
            case "*", "+", "?", "}":
                out.unicodeScalars.append(ch)
                i += 1
                if i < c.count && c[i] == "?" { throw unsupported("a lazy quantifier '\(ch)?'") }
                continue
            default:
                out.unicodeScalars.append(ch)
                i += 1
            }
        }
        return (out, map, names)
    }

    /// Runs the regex on `text` from byte offset `from`; returns per-Python-group code point spans.
    func exec(_ text: Text, from: Int) -> [(Int, Int)?]? {
        let n = Int(regex.re_nsub) + 1
        var matches = [regmatch_t](repeating: regmatch_t(), count: n)
        let rc = text.bytes.withUnsafeBufferPointer { buf -> Int32 in
            guard let base = buf.baseAddress else { return 1 }
            return base.advanced(by: from).withMemoryRebound(to: CChar.self, capacity: buf.count - from) { ptr in
                regexec(&regex, ptr, n, &matches, from > 0 ? REG_NOTBOL : 0)
            }
        }
        guard rc == 0 else { return nil }
        return groupMap.map { g in
            guard g < n, matches[g].rm_so >= 0 else { return nil }
            return (text.scalarIndex(Int(matches[g].rm_so) + from), text.scalarIndex(Int(matches[g].rm_eo) + from))
        }
    }

    /// A subject string with UTF-8 bytes (NUL-terminated) and a byte → code point index map.
    struct Text {
        let string: String
        let bytes: [UInt8]
        let scalarOfByte: [Int]
        let byteOfScalar: [Int]

        init(_ s: String) {
            string = s
            var b: [UInt8] = []
            var sob: [Int] = []
            var bos: [Int] = []
            for (k, sc) in s.unicodeScalars.enumerated() {
                bos.append(b.count)
                for u in String(sc).utf8 {
                    b.append(u)
                    sob.append(k)
                }
            }
            bos.append(b.count)
            sob.append(bos.count - 1)
            b.append(0)
            bytes = b
            scalarOfByte = sob
            byteOfScalar = bos
        }

        func scalarIndex(_ byte: Int) -> Int { scalarOfByte[min(max(byte, 0), scalarOfByte.count - 1)] }
        var count: Int { byteOfScalar.count - 1 }
        func substring(_ lo: Int, _ hi: Int) -> String {
            String(String.UnicodeScalarView(Array(string.unicodeScalars)[lo..<hi]))
        }
    }

    /// All non-overlapping matches (as `findall`/`sub` see them).
    func allMatches(_ text: Text, count limit: Int = 0, interpreter: Interpreter) throws -> [[(Int, Int)?]] {
        var out: [[(Int, Int)?]] = []
        var pos = 0
        while pos <= text.count {
            try interpreter.checkInterrupt()
            guard let m = exec(text, from: text.byteOfScalar[pos]), let whole = m[0] else { break }
            out.append(m)
            if limit > 0 && out.count >= limit { break }
            pos = whole.1 > whole.0 ? whole.1 : whole.1 + 1
        }
        return out
    }

    func repr(context: NativeContext) throws -> String { "re.compile(\(quoteString(source)))" }

    func attributeNames() -> [String] { ["findall", "finditer", "flags", "fullmatch", "groups", "match", "pattern", "search", "split", "sub", "subn"] }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        func fn(_ body: @escaping (Arguments) throws -> Value) -> Value { .builtin(BuiltinFunction(name, body)) }
        switch name {
        case "pattern": return .str(source)
        case "flags": return .int(flags)
        case "groups": return .int(groupMap.count - 1)
        case "match", "search", "fullmatch":
            return fn { [self] a in
                let s = try a.string(0, "string")
                let text = Text(s)
                guard let m = exec(text, from: 0), let whole = m[0] else { return .none }
                if name == "match" && whole.0 != 0 { return .none }
                if name == "fullmatch" && (whole.0 != 0 || whole.1 != text.count) { return .none }
                return .native(RegexMatch(pattern: self, text: text, spans: m))
            }
        case "findall":
            return fn { [self] a in
                let text = Text(try a.string(0, "string"))
                let ms = try allMatches(text, interpreter: a.interpreter)
                return .list(ListObject(ms.map { m in
                    func g(_ k: Int) -> Value { m[k].map { .str(text.substring($0.0, $0.1)) } ?? .str("") }
                    if groupMap.count == 1 { return g(0) }
                    if groupMap.count == 2 { return g(1) }
                    return .tuple((1..<groupMap.count).map(g))
                }))
            }
        case "finditer":
            return fn { [self] a in
                let text = Text(try a.string(0, "string"))
                let ms = try allMatches(text, interpreter: a.interpreter)
                return .native(IteratorObject(typeName: "callable_iterator", values: ms.map { .native(RegexMatch(pattern: self, text: text, spans: $0)) }))
            }
        case "split":
            return fn { [self] a in
                let text = Text(try a.string(0, "string"))
                let ms = try allMatches(text, count: try a.int(1, "maxsplit", default: 0), interpreter: a.interpreter)
                var out: [Value] = []
                var last = 0
                for m in ms {
                    guard let whole = m[0] else { continue }
                    out.append(.str(text.substring(last, whole.0)))
                    for k in 1..<max(groupMap.count, 1) { out.append(m[k].map { .str(text.substring($0.0, $0.1)) } ?? .none) }
                    last = whole.1
                }
                out.append(.str(text.substring(last, text.count)))
                return .list(ListObject(out))
            }
        case "sub", "subn":
            return fn { [self] a in
                let repl = try a.required(0, "repl")
                let text = Text(try a.string(1, "string"))
                let ms = try allMatches(text, count: try a.int(2, "count", default: 0), interpreter: a.interpreter)
                var out = ""
                var last = 0
                for m in ms {
                    guard let whole = m[0] else { continue }
                    out += text.substring(last, whole.0)
                    if case .str(let template) = repl {
                        out += try expand(template, RegexMatch(pattern: self, text: text, spans: m))
                    } else {
                        let r = try a.interpreter.call(repl, [.native(RegexMatch(pattern: self, text: text, spans: m))])
                        guard case .str(let s) = r else { throw ScriptError.typeError("expected str instance, \(a.interpreter.typeName(r)) found") }
                        out += s
                    }
                    last = whole.1
                }
                out += text.substring(last, text.count)
                return name == "sub" ? .str(out) : .tuple([.str(out), .int(ms.count)])
            }
        default: return nil
        }
    }

    /// Expands `\1`, `\g<1>`, `\g<name>`, `\n` in a replacement template.
    func expand(_ template: String, _ m: RegexMatch) throws -> String {
        let c = Array(template.unicodeScalars)
        var out = ""
        var i = 0
        while i < c.count {
            if c[i] == "\\" && i + 1 < c.count {
                let n = c[i + 1]
                if n >= "0" && n <= "9" {
                    var j = i + 1
                    var num = 0
                    while j < c.count && c[j] >= "0" && c[j] <= "9" && j < i + 3 { num = num * 10 + Int(c[j].value - 48); j += 1 }
                    out += try m.groupText(num)
                    i = j
                    continue
                }
                if n == "g" && i + 2 < c.count && c[i + 2] == "<" {
                    var j = i + 3
                    var name = ""
                    while j < c.count && c[j] != ">" { name.unicodeScalars.append(c[j]); j += 1 }
                    let idx = Int(name) ?? names[name] ?? -1
                    out += try m.groupText(idx)
                    i = j + 1
                    continue
                }
                switch n {
                case "n": out += "\n"
                case "t": out += "\t"
                case "\\": out += "\\"
                default: out += "\\" + String(n)
                }
                i += 2
                continue
            }
            out.unicodeScalars.append(c[i])
            i += 1
        }
        return out
    }
}

/// A match object.
final class RegexMatch: NativeObject {
    let pattern: RegexPattern
    let text: RegexPattern.Text
    let spans: [(Int, Int)?]

    init(pattern: RegexPattern, text: RegexPattern.Text, spans: [(Int, Int)?]) {
        self.pattern = pattern
        self.text = text
        self.spans = spans
    }

    var typeName: String { "Match" }

    func groupIndex(_ v: Value) throws -> Int {
        if let i = v.intValue, i >= 0, i < spans.count { return i }
        if case .str(let name) = v, let i = pattern.names[name] { return i }
        throw ScriptError.indexError("no such group")
    }

    func groupText(_ i: Int) throws -> String {
        guard i >= 0 && i < spans.count else { throw ScriptError(type: ExceptionTypes.valueError, "invalid group reference \(i)") }
        return spans[i].map { text.substring($0.0, $0.1) } ?? ""
    }

    func group(_ i: Int) -> Value { spans[i].map { .str(text.substring($0.0, $0.1)) } ?? .none }

    func repr(context: NativeContext) throws -> String {
        let whole = spans[0] ?? (0, 0)
        return "<re.Match object; span=(\(whole.0), \(whole.1)), match=\(quoteString(text.substring(whole.0, whole.1)))>"
    }

    func isTruthy(context: NativeContext) throws -> Bool { true }

    func getItem(_ key: Value, context: NativeContext) throws -> Value { group(try groupIndex(key)) }

    func attributeNames() -> [String] { ["end", "group", "groupdict", "groups", "span", "start", "string"] }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        func fn(_ body: @escaping (Arguments) throws -> Value) -> Value { .builtin(BuiltinFunction(name, body)) }
        switch name {
        case "string": return .str(text.string)
        case "re": return .native(pattern)
        case "group":
            return fn { [self] a in
                if a.positional.isEmpty { return group(0) }
                if a.positional.count == 1 { return group(try groupIndex(a.positional[0])) }
                return .tuple(try a.positional.map { group(try groupIndex($0)) })
            }
        case "groups":
            return fn { [self] a in
                let def = a.value(0, "default") ?? Value.none
                return .tuple((1..<spans.count).map { spans[$0] == nil ? def : group($0) })
            }
        case "groupdict":
            return fn { [self] _ in
                .makeDict(pattern.names.sorted { $0.value < $1.value }.map { ($0.key, group($0.value)) })
            }
        case "start", "end", "span":
            return fn { [self] a in
                let i = try groupIndex(a.value(0, "group") ?? .int(0))
                let s = spans[i] ?? (-1, -1)
                switch name {
                case "start": return .int(s.0)
                case "end": return .int(s.1)
                default: return .tuple([.int(s.0), .int(s.1)])
                }
            }
        default: return nil
        }
    }
}
