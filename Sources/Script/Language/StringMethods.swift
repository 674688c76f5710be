/// Python's `str` methods, working on code points.
extension Interpreter {
    private func smethod(_ name: String, _ body: @escaping (Arguments) throws -> Value) -> Value {
        .builtin(BuiltinFunction(name, body))
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" || c == "\u{1C}" || c == "\u{1D}" || c == "\u{1E}" || c == "\u{1F}" || c == "\u{85}" || (c.value > 127 && c.properties.isWhitespace)
    }

    private func optionalString(_ a: Arguments, _ i: Int, _ name: String) throws -> String? {
        guard let v = a.value(i, name), !v.isNone else { return nil }
        guard case .str(let s) = v else { throw ScriptError.typeError("\(a.functionName)() argument must be str or None, not \(typeName(v))") }
        return s
    }

    func stringMethod(_ s: String, _ name: String) -> Value? {
        let scalars = { Array(s.unicodeScalars) }
        func str(_ x: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(x)) }
        switch name {
        case "lower": return smethod(name) { _ in .str(s.lowercased()) }
        case "upper": return smethod(name) { _ in .str(s.uppercased()) }
        case "casefold": return smethod(name) { _ in .str(s.lowercased()) }
        case "swapcase": return smethod(name) { _ in
            .str(String(s.map { c -> String in c.isUppercase ? c.lowercased() : c.uppercased() }.joined()))
        }
        case "capitalize": return smethod(name) { _ in
            guard let f = s.first else { return .str("") }
            return .str(f.uppercased() + s.dropFirst().lowercased())
        }
        case "title": return smethod(name) { _ in
            var out = ""
            var prevCased = false
            for c in s {
                if c.isLetter {
                    out += prevCased ? c.lowercased() : c.uppercased()
                    prevCased = true
                } else {
                    out.append(c)
                    prevCased = false
                }
            }
            return .str(out)
        }
        case "strip", "lstrip", "rstrip": return smethod(name) { [self] a in
            try a.check(max: 1)
            let chars = try optionalString(a, 0, "chars").map { Set($0.unicodeScalars) }
            let x = scalars()
            func strip(_ c: Unicode.Scalar) -> Bool { chars.map { $0.contains(c) } ?? Interpreter.isSpace(c) }
            var lo = 0, hi = x.count
            if name != "rstrip" { while lo < hi && strip(x[lo]) { lo += 1 } }
            if name != "lstrip" { while hi > lo && strip(x[hi - 1]) { hi -= 1 } }
            return .str(str(Array(x[lo..<hi])))
        }
        case "split", "rsplit": return smethod(name) { [self] a in
            try a.check(max: 2, allowedKeywords: ["sep", "maxsplit"])
            let sep = try optionalString(a, 0, "sep")
            let maxsplit = try a.int(1, "maxsplit", default: -1)
            let parts = try pySplit(scalars(), sep: sep.map { Array($0.unicodeScalars) }, maxsplit: maxsplit, fromRight: name == "rsplit")
            return .list(ListObject(parts.map { .str(str($0)) }))
        }
        case "splitlines": return smethod(name) { a in
            let keep = try a.bool(0, "keepends", default: false)
            var out: [Value] = []
            let x = scalars()
            var start = 0
            var i = 0
            while i < x.count {
                let c = x[i]
                if c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}" || c == "\u{1C}" || c == "\u{1D}" || c == "\u{1E}" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" {
                    var end = i + 1
                    if c == "\r" && i + 1 < x.count && x[i + 1] == "\n" { end = i + 2 }
                    out.append(.str(str(Array(x[start..<(keep ? end : i)]))))
                    start = end
                    i = end
                } else {
                    i += 1
                }
            }
            if start < x.count { out.append(.str(str(Array(x[start...])))) }
            return .list(ListObject(out))
        }
        case "join": return smethod(name) { a in
            try a.check(max: 1, min: 1)
            var parts: [String] = []
            for (i, v) in try a.interpreter.collect(a.positional[0]).enumerated() {
                guard case .str(let p) = v else {
                    throw ScriptError.typeError("sequence item \(i): expected str instance, \(a.interpreter.typeName(v)) found")
                }
                parts.append(p)
            }
            let total = parts.reduce(0) { $0 + $1.utf8.count } + s.utf8.count * max(parts.count - 1, 0)
            try a.interpreter.checkLength(total)
            return .str(parts.joined(separator: s))
        }
        case "replace": return smethod(name) { a in
            try a.check(max: 3, min: 2)
            let old = try a.string(0, "old")
            let new = try a.string(1, "new")
            let count = try a.int(2, "count", default: -1)
            let x = scalars()
            let o = Array(old.unicodeScalars)
            var out = String.UnicodeScalarView()
            var i = 0
            var done = 0
            if o.isEmpty {
                for c in x {
                    if count < 0 || done < count { out.append(contentsOf: new.unicodeScalars); done += 1 }
                    out.append(c)
                }
                if count < 0 || done < count { out.append(contentsOf: new.unicodeScalars) }
                return .str(String(out))
            }
            while count < 0 || done < count, let j = findScalars(x, o, from: i) {
                out.append(contentsOf: x[i..<j])
                out.append(contentsOf: new.unicodeScalars)
                i = j + o.count
                done += 1
                try a.interpreter.checkLength(out.count)
            }
            out.append(contentsOf: x[i...])
            return .str(String(out))
        }
        case "startswith", "endswith": return smethod(name) { [self] a in
            try a.check(max: 3, min: 1)
            let x = scalars()
            let (lo, hi) = try bounds(a, x.count)
            var prefixes: [String] = []
            switch a.positional[0] {
            case .str(let p): prefixes = [p]
            case .tuple(let t):
                for v in t {
                    guard case .str(let p) = v else { throw ScriptError.typeError("tuple for \(name) must only contain str") }
                    prefixes.append(p)
                }
            default: throw ScriptError.typeError("\(name) first arg must be str or a tuple of str, not \(typeName(a.positional[0]))")
            }
            if lo > x.count { return .bool(false) }
            let window = Array(x[lo..<max(lo, hi)])
            for p in prefixes {
                let ps = Array(p.unicodeScalars)
                if ps.count > window.count { continue }
                if name == "startswith" ? Array(window.prefix(ps.count)) == ps : Array(window.suffix(ps.count)) == ps { return .bool(true) }
            }
            return .bool(false)
        }
        case "find", "rfind", "index", "rindex", "count": return smethod(name) { [self] a in
            try a.check(max: 3, min: 1)
            let sub = Array(try a.string(0, "sub").unicodeScalars)
            let x = scalars()
            let (lo, hi) = try bounds(a, x.count)
            if name == "count" {
                if lo > x.count { return .int(0) }
                if sub.isEmpty { return .int(max(hi - lo, 0) + 1) }
                var n = 0
                var i = lo
                while let j = findScalars(x, sub, from: i, to: hi) { n += 1; i = j + sub.count }
                return .int(n)
            }
            let found = lo > x.count ? nil : (name.hasPrefix("r") ? findLastScalars(x, sub, from: lo, to: hi) : findScalars(x, sub, from: lo, to: hi))
            if let f = found { return .int(f) }
            if name.hasSuffix("index") { throw ScriptError.valueError("substring not found") }
            return .int(-1)
        }
        case "partition", "rpartition": return smethod(name) { a in
            try a.check(max: 1, min: 1)
            let sep = Array(try a.string(0, "sep").unicodeScalars)
            if sep.isEmpty { throw ScriptError.valueError("empty separator") }
            let x = scalars()
            let found = name == "partition" ? findScalars(x, sep) : findLastScalars(x, sep)
            guard let j = found else {
                return name == "partition" ? .tuple([.str(s), .str(""), .str("")]) : .tuple([.str(""), .str(""), .str(s)])
            }
            return .tuple([.str(str(Array(x[..<j]))), .str(str(sep)), .str(str(Array(x[(j + sep.count)...])))])
        }
        case "center", "ljust", "rjust": return smethod(name) { a in
            try a.check(max: 2, min: 1)
            let width = try a.int(0, "width")
            let fill = try a.string(1, "fillchar", default: " ")
            guard fill.unicodeScalars.count == 1 else { throw ScriptError.typeError("The fill character must be exactly one character long") }
            let n = s.unicodeScalars.count
            guard width > n else { return .str(s) }
            try a.interpreter.checkLength(width)
            let marg = width - n
            switch name {
            case "ljust": return .str(s + String(repeating: fill, count: marg))
            case "rjust": return .str(String(repeating: fill, count: marg) + s)
            default:
                let left = marg / 2 + (marg & width & 1)
                return .str(String(repeating: fill, count: left) + s + String(repeating: fill, count: marg - left))
            }
        }
        case "zfill": return smethod(name) { a in
            let width = try a.int(0, "width")
            var x = scalars()
            guard width > x.count else { return .str(s) }
            try a.interpreter.checkLength(width)
            var sign: [Unicode.Scalar] = []
            if let f = x.first, f == "+" || f == "-" { sign = [f]; x.removeFirst() }
            return .str(str(sign + Array(repeating: "0", count: width - x.count - sign.count) + x))
        }
        case "expandtabs": return smethod(name) { a in
            let size = try a.int(0, "tabsize", default: 8)
            var out = ""
            var col = 0
            for c in s.unicodeScalars {
                if c == "\t" {
                    if size > 0 {
                        let n = size - col % size
                        out += String(repeating: " ", count: n)
                        col += n
                    }
                } else {
                    out.unicodeScalars.append(c)
                    col = (c == "\n" || c == "\r") ? 0 : col + 1
                }
            }
            return .str(out)
        }
        case "removeprefix": return smethod(name) { a in
            let p = try a.string(0, "prefix")
            return .str(s.hasPrefix(p) ? String(s.unicodeScalars.dropFirst(p.unicodeScalars.count)) : s)
        }
        case "removesuffix": return smethod(name) { a in
            let p = try a.string(0, "suffix")
            return .str(!p.isEmpty && s.hasSuffix(p) ? String(s.unicodeScalars.dropLast(p.unicodeScalars.count)) : s)
        }
        case "format": return smethod(name) { a in .str(try a.interpreter.strFormat(s, a.positional, a.keywords)) }
        case "format_map": return smethod(name) { a in
            let items = try a.interpreter.mappingItems(try a.required(0, "mapping"))
            var kw: [(String, Value)] = []
            for (k, v) in items { if case .str(let key) = k { kw.append((key, v)) } }
            return .str(try a.interpreter.strFormat(s, [], kw))
        }
        case "isdigit", "isdecimal", "isnumeric": return smethod(name) { _ in
            .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil && (name == "isnumeric" || $0.properties.numericType != .numeric) })
        }
        case "isalpha": return smethod(name) { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic }) }
        case "isalnum": return smethod(name) { _ in
            .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        }
        case "isspace": return smethod(name) { _ in .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { Interpreter.isSpace($0) }) }
        case "isascii": return smethod(name) { _ in .bool(s.unicodeScalars.allSatisfy { $0.isASCII }) }
        case "isprintable": return smethod(name) { _ in .bool(s.unicodeScalars.allSatisfy { isPrintable($0) }) }
        case "isidentifier": return smethod(name) { _ in
            guard let f = s.unicodeScalars.first, f == "_" || f.properties.isXIDStart else { return .bool(false) }
            return .bool(s.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue })
        }
        case "islower", "isupper": return smethod(name) { _ in
            let cased = s.filter { $0.isCased }
            if cased.isEmpty { return .bool(false) }
            return .bool(name == "islower" ? cased.allSatisfy { $0.isLowercase } : cased.allSatisfy { $0.isUppercase })
        }
        case "istitle": return smethod(name) { _ in
            var prevCased = false
            var any = false
            for c in s {
                if c.isUppercase {
                    if prevCased { return .bool(false) }
                    prevCased = true
                    any = true
                } else if c.isLowercase {
                    if !prevCased { return .bool(false) }
                    prevCased = true
                    any = true
                } else {
                    prevCased = false
                }
            }
            return .bool(any)
        }
        case "encode": return smethod(name) { _ in throw ScriptError.notImplementedError("bytes are not supported in mlus") }
        default: return nil
        }
    }

    /// Optional start/end arguments at positions 1 and 2, normalised like slice bounds.
    private func bounds(_ a: Arguments, _ n: Int) throws -> (Int, Int) {
        func norm(_ v: Value?, _ def: Int) throws -> Int {
            guard let v, !v.isNone else { return def }
            guard case .int(var i)? = v.asInt else { throw ScriptError.typeError("slice indices must be integers or None") }
            if i < 0 { i = max(0, i + n) }
            return i
        }
        let lo = try norm(a.value(1), 0)
        let hi = min(try norm(a.value(2), n), n)
        return (lo, hi)
    }

    private func pySplit(_ x: [Unicode.Scalar], sep: [Unicode.Scalar]?, maxsplit: Int, fromRight: Bool) throws -> [[Unicode.Scalar]] {
        if let sep {
            if sep.isEmpty { throw ScriptError.valueError("empty separator") }
            var parts: [[Unicode.Scalar]] = []
            if !fromRight {
                var i = 0
                while maxsplit < 0 || parts.count < maxsplit, let j = findScalars(x, sep, from: i) {
                    parts.append(Array(x[i..<j]))
                    i = j + sep.count
                }
                parts.append(Array(x[i...]))
            } else {
                var end = x.count
                while maxsplit < 0 || parts.count < maxsplit, let j = findLastScalars(x, sep, from: 0, to: end) {
                    parts.append(Array(x[(j + sep.count)..<end]))
                    end = j
                }
                parts.append(Array(x[..<end]))
                parts.reverse()
            }
            return parts
        }
        var parts: [[Unicode.Scalar]] = []
        if !fromRight {
            var i = 0
            while i < x.count {
                while i < x.count && Interpreter.isSpace(x[i]) { i += 1 }
                if i >= x.count { break }
                if maxsplit >= 0 && parts.count >= maxsplit {
                    var end = x.count
                    while end > i && Interpreter.isSpace(x[end - 1]) { end -= 1 }
                    parts.append(Array(x[i..<end]))
                    break
                }
                var j = i
                while j < x.count && !Interpreter.isSpace(x[j]) { j += 1 }
                parts.append(Array(x[i..<j]))
                i = j
            }
        } else {
            var i = x.count
            while i > 0 {
                while i > 0 && Interpreter.isSpace(x[i - 1]) { i -= 1 }
                if i <= 0 { break }
                if maxsplit >= 0 && parts.count >= maxsplit {
                    var start = 0
                    while start < i && Interpreter.isSpace(x[start]) { start += 1 }
                    parts.append(Array(x[start..<i]))
                    break
                }
                var j = i
                while j > 0 && !Interpreter.isSpace(x[j - 1]) { j -= 1 }
                parts.append(Array(x[j..<i]))
                i = j
            }
            parts.reverse()
        }
        return parts
    }
}
