import Glibc

/// A small seedable generator (SplitMix64). Sequences differ from CPython's Mersenne Twister.
struct RandomState {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    mutating func nextDouble() -> Double { Double(next() >> 11) / Double(UInt64(1) << 53) }
    /// Uniform integer in 0..<n (n > 0).
    mutating func below(_ n: UInt64) -> UInt64 {
        let limit = UInt64.max - UInt64.max % n
        while true {
            let r = next()
            if r < limit { return r % n }
        }
    }
}

enum SysModule {
    static func exitError(_ code: Value) -> ScriptError {
        let inst = Instance(cls: ExceptionTypes.systemExit)
        inst.exceptionArgs = code.isNone ? [] : [code]
        return ScriptError(inst)
    }
}

extension Interpreter {
    func installStandardModules() {
        modules.register("sys") { interp in
            let m = Module(name: "sys")
            m.set("argv", .list(ListObject(interp.argv.map { .str($0) })))
            m.set("path", .list(ListObject(interp.searchPath.map { .str($0) })))
            m.set("stdout", .native(StreamObject(isError: false)))
            m.set("stderr", .native(StreamObject(isError: true)))
            m.set("version", .str("3.11.0 (mlus)"))
            m.set("version_info", .tuple([.int(3), .int(11), .int(0)]))
            m.set("platform", .str("linux"))
            m.set("maxsize", .int(Int.max))
            m.set("executable", .str(CommandLine.arguments.first ?? "mlus"))
            m.addFunction("exit") { a in throw SysModule.exitError(a.value(0) ?? Value.none) }
            m.addFunction("getrecursionlimit") { a in .int(a.interpreter.recursionLimit) }
            m.addFunction("setrecursionlimit") { a in
                let n = try a.int(0, "limit")
                guard n >= 1 else { throw ScriptError.valueError("recursion limit must be greater or equal than 1") }
                a.interpreter.recursionLimit = min(n, 20_000)
                return .none
            }
            return m
        }
        modules.register("os") { interp in try interp.makeOSModule() }
        modules.register("os.path") { interp in
            guard case .module(let p)? = try interp.loadModule("os").get("path") else { throw ScriptError.importError("os.path") }
            return p
        }
        modules.register("glob") { _ in
            let m = Module(name: "glob")
            m.addFunction("glob") { a in
                try a.check(max: 1, min: 1, allowedKeywords: ["pathname", "recursive"])
                return .list(ListObject(try globPaths(try a.path(0, "pathname"), recursive: try a.bool(-1, "recursive", default: false)).map { .str($0) }))
            }
            return m
        }
        modules.register("math") { _ in makeMathModule() }
        modules.register("time") { _ in makeTimeModule() }
        modules.register("random") { _ in makeRandomModule() }
        modules.register("json") { _ in makeJSONModule() }
        modules.register("collections") { _ in makeCollectionsModule() }
        modules.register("argparse") { interp in try interp.loadSourceModule("argparse", source: argparseSource) }
        modules.register("itertools") { interp in try interp.loadSourceModule("itertools", source: itertoolsSource) }
        modules.register("functools") { interp in try interp.loadSourceModule("functools", source: functoolsSource) }
        modules.register("copy") { _ in makeCopyModule() }
        modules.register("re") { _ in makeReModule() }
        modules.register("pathlib") { interp in try interp.loadSourceModule("pathlib", source: pathlibSource) }
    }

    private func makeOSModule() throws -> Module {
        let m = Module(name: "os")
        let path = Module(name: "os.path")
        m.set("path", .module(path))
        m.set("sep", .str("/"))
        m.set("linesep", .str("\n"))
        m.set("name", .str("posix"))
        let env = DictObject()
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") { try env.set(.str(String(s[..<eq])), .str(String(s[s.index(after: eq)...]))) }
            p += 1
        }
        m.set("environ", .dict(env))
        m.addFunction("getenv") { a in
            let k = try a.string(0, "key")
            if let v = getenv(k) { return .str(String(cString: v)) }
            return a.value(1, "default") ?? Value.none
        }
        m.addFunction("getcwd") { _ in .str(currentDirectory()) }
        m.addFunction("chdir") { a in
            let p = try a.path(0, "path")
            if chdir(p) != 0 { throw osErrorFromErrno(p) }
            return .none
        }
        m.addFunction("listdir") { a in
            let p = try a.path(0, "path", default: ".")
            return .list(ListObject(try listDirectory(p).map { .str($0) }))
        }
        m.addFunction("mkdir") { a in
            let p = try a.path(0, "path")
            if Glibc.mkdir(p, 0o777) != 0 { throw osErrorFromErrno(p) }
            return .none
        }
        m.addFunction("makedirs") { a in
            let p = try a.path(0, "name")
            let existOK = try a.bool(-1, "exist_ok", default: false)
            if isDirectory(p) {
                if existOK { return .none }
                throw ScriptError(type: ExceptionTypes.fileExistsError, "[Errno 17] File exists: \(quoteString(p))")
            }
            var prefix = p.hasPrefix("/") ? "/" : ""
            for part in p.split(separator: "/") {
                prefix += part
                if !isDirectory(prefix), Glibc.mkdir(prefix, 0o777) != 0 { throw osErrorFromErrno(prefix) }
                prefix += "/"
            }
            return .none
        }
        for name in ["remove", "unlink"] {
            m.addFunction(name) { a in
                let p = try a.path(0, "path")
                if Glibc.unlink(p) != 0 { throw osErrorFromErrno(p) }
                return .none
            }
        }
        m.addFunction("rmdir") { a in
            let p = try a.path(0, "path")
            if Glibc.rmdir(p) != 0 { throw osErrorFromErrno(p) }
            return .none
        }
        m.addFunction("rename") { a in
            let s = try a.path(0, "src")
            if Glibc.rename(s, try a.path(1, "dst")) != 0 { throw osErrorFromErrno(s) }
            return .none
        }
        m.addFunction("cpu_count") { _ in .int(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
        m.addFunction("walk") { a in
            let top = try a.path(0, "top")
            var out: [Value] = []
            var stack = [top]
            while let dir = stack.popLast() {
                guard let entries = try? listDirectory(dir) else { continue }
                var dirs: [String] = []
                var files: [String] = []
                for e in entries.sorted() {
                    if isDirectory(dir + "/" + e) { dirs.append(e) } else { files.append(e) }
                }
                out.append(.tuple([.str(dir), .list(ListObject(dirs.map { .str($0) })), .list(ListObject(files.map { .str($0) }))]))
                for d in dirs.reversed() { stack.append(dir + "/" + d) }
                try a.interpreter.tick()
            }
            return .list(ListObject(out))
        }
        path.addFunction("join") { a in
            guard a.count >= 1 else { throw ScriptError.typeError("join() missing 1 required positional argument: 'a'") }
            var result = ""
            for (i, v) in a.positional.enumerated() {
                guard case .str(let s) = v else { throw ScriptError.typeError("join() argument must be str, not '\(a.interpreter.typeName(v))'") }
                if i == 0 || s.hasPrefix("/") { result = s }
                else if result.isEmpty || result.hasSuffix("/") { result += s }
                else { result += "/" + s }
            }
            return .str(result)
        }
        path.addFunction("exists") { a in
            var st = stat()
            return .bool(stat(try a.path(0, "path"), &st) == 0)
        }
        path.addFunction("isfile") { a in .bool(fileExists(try a.path(0, "path"))) }
        path.addFunction("isdir") { a in .bool(isDirectory(try a.path(0, "path"))) }
        path.addFunction("isabs") { a in .bool(try a.path(0, "path").hasPrefix("/")) }
        path.addFunction("basename") { a in .str(splitPath(try a.path(0, "p")).1) }
        path.addFunction("dirname") { a in .str(splitPath(try a.path(0, "p")).0) }
        path.addFunction("split") { a in
            let (d, b) = splitPath(try a.path(0, "p"))
            return .tuple([.str(d), .str(b)])
        }
        path.addFunction("splitext") { a in
            let p = try a.path(0, "p")
            let (_, base) = splitPath(p)
            let trimmed = base.drop { $0 == "." }
            guard let dot = trimmed.lastIndex(of: ".") else { return .tuple([.str(p), .str("")]) }
            let extLen = trimmed.distance(from: dot, to: trimmed.endIndex)
            return .tuple([.str(String(p.dropLast(extLen))), .str(String(p.suffix(extLen)))])
        }
        path.addFunction("getsize") { a in
            let p = try a.path(0, "filename")
            var st = stat()
            if stat(p, &st) != 0 { throw osErrorFromErrno(p) }
            return .int(Int(st.st_size))
        }
        path.addFunction("abspath") { a in .str(normalizePath(absolutePath(try a.path(0, "path")))) }
        path.addFunction("realpath") { a in .str(normalizePath(absolutePath(try a.path(0, "path")))) }
        path.addFunction("normpath") { a in .str(normalizePath(try a.path(0, "path"))) }
        path.addFunction("expanduser") { a in
            let p = try a.path(0, "path")
            guard p.hasPrefix("~"), let home = getenv("HOME") else { return .str(p) }
            return .str(String(cString: home) + p.dropFirst())
        }
        path.set("sep", .str("/"))
        return m
    }
}

func currentDirectory() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    guard getcwd(&buf, buf.count) != nil else { return "." }
    return String(cString: buf)
}

func absolutePath(_ p: String) -> String { p.hasPrefix("/") ? p : currentDirectory() + "/" + p }

/// `os.path.normpath` for POSIX paths.
func normalizePath(_ p: String) -> String {
    if p.isEmpty { return "." }
    let absolute = p.hasPrefix("/")
    var parts: [Substring] = []
    for part in p.split(separator: "/") {
        if part == "." { continue }
        if part == ".." {
            if let last = parts.last, last != ".." { parts.removeLast(); continue }
            if absolute { continue }
        }
        parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if absolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
}

/// `os.path.split`: (head, tail).
func splitPath(_ p: String) -> (String, String) {
    guard let slash = p.lastIndex(of: "/") else { return ("", p) }
    var head = String(p[...slash])
    let tail = String(p[p.index(after: slash)...])
    if head.contains(where: { $0 != "/" }) { while head.hasSuffix("/") { head.removeLast() } }
    return (head, tail)
}

func listDirectory(_ path: String) throws -> [String] {
    guard let d = opendir(path) else { throw osErrorFromErrno(path) }
    defer { closedir(d) }
    var names: [String] = []
    while let entry = readdir(d) {
        let name = withUnsafePointer(to: entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}

/// `glob.glob` through libc `glob(3)`; `**` with `recursive=True` matches nested folders.
func globPaths(_ pattern: String, recursive: Bool) throws -> [String] {
    if recursive && pattern.contains("**") {
        // Expand `**` into every depth up to 8 levels.
        var results: [String] = []
        var seen = Set<String>()
        for depth in 0...8 {
            let expanded = pattern.replacingOccurrences(of: "**/", with: String(repeating: "*/", count: depth))
                .replacingOccurrences(of: "**", with: depth == 0 ? "" : Array(repeating: "*", count: depth).joined(separator: "/"))
            for p in try globPaths(expanded, recursive: false) where !seen.contains(p) {
                seen.insert(p)
                results.append(p)
            }
        }
        return results
    }
    var g = glob_t()
    defer { globfree(&g) }
    let rc = glob(pattern, 0, nil, &g)
    guard rc == 0 else { return [] }
    var out: [String] = []
    for i in 0..<Int(g.gl_pathc) {
        if let p = g.gl_pathv[i] { out.append(String(cString: p)) }
    }
    return out
}

private func makeMathModule() -> Module {
    let m = Module(name: "math")
    m.set("pi", .float(Double.pi))
    m.set("e", .float(M_E))
    m.set("tau", .float(2 * Double.pi))
    m.set("inf", .float(.infinity))
    m.set("nan", .float(.nan))
    func unary(_ name: String, domain: @escaping (Double) -> Bool = { _ in true }, _ f: @escaping (Double) -> Double) {
        m.addFunction(name) { a in
            try a.check(max: 1, min: 1)
            let x = try a.double(0, "x")
            guard domain(x) else { throw ScriptError.valueError("math domain error") }
            let r = f(x)
            if r.isInfinite && x.isFinite { throw ScriptError.overflowError("math range error") }
            return .float(r)
        }
    }
    unary("sqrt", domain: { $0 >= 0 || $0.isNaN }, Glibc.sqrt)
    unary("exp", Glibc.exp)
    unary("log2", domain: { $0 > 0 || $0.isNaN }, Glibc.log2)
    unary("log10", domain: { $0 > 0 || $0.isNaN }, Glibc.log10)
    unary("log1p", domain: { $0 > -1 || $0.isNaN }, Glibc.log1p)
    unary("sin", domain: { !$0.isInfinite }, Glibc.sin)
    unary("cos", domain: { !$0.isInfinite }, Glibc.cos)
    unary("tan", domain: { !$0.isInfinite }, Glibc.tan)
    unary("asin", domain: { abs($0) <= 1 || $0.isNaN }, Glibc.asin)
    unary("acos", domain: { abs($0) <= 1 || $0.isNaN }, Glibc.acos)
    unary("atan", Glibc.atan)
    unary("sinh", Glibc.sinh)
    unary("cosh", Glibc.cosh)
    unary("tanh", Glibc.tanh)
    unary("fabs") { Swift.abs($0) }
    unary("degrees") { $0 * 180 / Double.pi }
    unary("radians") { $0 * Double.pi / 180 }
    unary("erf", Glibc.erf)
    unary("gamma", domain: { !($0 <= 0 && $0 == $0.rounded()) }, Glibc.tgamma)
    m.addFunction("log") { a in
        try a.check(max: 2, min: 1)
        let x = try a.double(0, "x")
        guard x > 0 else { throw ScriptError.valueError("math domain error") }
        if a.count == 2 {
            let b = try a.double(1, "base")
            guard b > 0, b != 1 else { throw b == 1 ? ScriptError.zeroDivisionError("float division by zero") : ScriptError.valueError("math domain error") }
            return .float(Glibc.log(x) / Glibc.log(b))
        }
        return .float(Glibc.log(x))
    }
    for (name, rule) in [("floor", FloatingPointRoundingRule.down), ("ceil", .up), ("trunc", .towardZero)] {
        m.addFunction(name) { a in
            try a.check(max: 1, min: 1)
            if case .int(let i)? = a.positional[0].asInt { return .int(i) }
            let x = try a.double(0, "x")
            return .int(try toInt(.float(x.rounded(rule)), a.interpreter))
        }
    }
    m.addFunction("pow") { a in
        let x = try a.double(0, "x"), y = try a.double(1, "y")
        if x == 0 && y < 0 { throw ScriptError.valueError("math domain error") }
        if x < 0 && y != y.rounded() && y.isFinite { throw ScriptError.valueError("math domain error") }
        let r = Glibc.pow(x, y)
        if r.isInfinite && x.isFinite && y.isFinite { throw ScriptError.overflowError("math range error") }
        return .float(r)
    }
    m.addFunction("atan2") { a in .float(Glibc.atan2(try a.double(0, "y"), try a.double(1, "x"))) }
    m.addFunction("hypot") { a in .float(Glibc.sqrt(try a.positional.indices.reduce(0.0) { let v = try a.double($1, "x"); return $0 + v * v })) }
    m.addFunction("copysign") { a in .float(Double(signOf: try a.double(1, "y"), magnitudeOf: try a.double(0, "x"))) }
    m.addFunction("fmod") { a in
        let y = try a.double(1, "y")
        if y == 0 { throw ScriptError.valueError("math domain error") }
        return .float(Glibc.fmod(try a.double(0, "x"), y))
    }
    m.addFunction("isnan") { a in .bool(try a.double(0, "x").isNaN) }
    m.addFunction("isinf") { a in .bool(try a.double(0, "x").isInfinite) }
    m.addFunction("isfinite") { a in .bool(try a.double(0, "x").isFinite) }
    m.addFunction("isclose") { a in
        let x = try a.double(0, "a"), y = try a.double(1, "b")
        let rel = try a.double(-1, "rel_tol", default: 1e-9), absTol = try a.double(-1, "abs_tol", default: 0)
        if x == y { return .bool(true) }
        if x.isInfinite || y.isInfinite { return .bool(false) }
        let d = Swift.abs(x - y)
        return .bool(d <= Swift.abs(rel * y) || d <= Swift.abs(rel * x) || d <= absTol)
    }
    m.addFunction("gcd") { a in
        var g = 0
        for k in 0..<a.count {
            var x = try a.int(k, "x").magnitude, y = UInt(g)
            while y != 0 { (x, y) = (y, x % y) }
            guard x <= UInt(Int.max) else { throw ScriptError.overflowError("gcd does not fit in a 64-bit int") }
            g = Int(x)
        }
        return .int(g)
    }
    m.addFunction("factorial") { a in
        let n = try a.int(0, "n")
        if n < 0 { throw ScriptError.valueError("factorial() not defined for negative values") }
        var r = 1
        if n > 1 { for k in 2...n { r = try { guard case .int(let v) = try a.interpreter.intBinary(.mul, r, k) else { return r }; return v }() } }
        return .int(r)
    }
    m.addFunction("prod") { a in
        var total = a.keyword("start") ?? .int(1)
        var it = try a.interpreter.iterate(try a.required(0, "iterable"))
        while let v = try it.next() { total = try a.interpreter.binaryOperation(.mul, total, v) }
        return total
    }
    m.addFunction("fsum") { a in
        // Shewchuk's exact summation, as CPython's fsum.
        var partials: [Double] = []
        var it = try a.interpreter.iterate(try a.required(0, "iterable"))
        while let v = try it.next() {
            guard var x = v.asDouble else { throw ScriptError.typeError("must be real number, not \(a.interpreter.typeName(v))") }
            var i = 0
            for var y in partials {
                if Swift.abs(x) < Swift.abs(y) { swap(&x, &y) }
                let hi = x + y
                let lo = y - (hi - x)
                if lo != 0 { partials[i] = lo; i += 1 }
                x = hi
            }
            partials.removeSubrange(i...)
            partials.append(x)
        }
        return .float(partials.reduce(0, +))
    }
    m.addFunction("modf") { a in
        let x = try a.double(0, "x")
        let i = x.rounded(.towardZero)
        return .tuple([.float(x - i), .float(i)])
    }
    return m
}

private func makeTimeModule() -> Module {
    let m = Module(name: "time")
    func clock(_ id: clockid_t) -> Double {
        var ts = timespec()
        clock_gettime(id, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
    m.addFunction("time") { _ in .float(clock(CLOCK_REALTIME)) }
    m.addFunction("perf_counter") { _ in .float(clock(CLOCK_MONOTONIC)) }
    m.addFunction("monotonic") { _ in .float(clock(CLOCK_MONOTONIC)) }
    m.addFunction("process_time") { _ in .float(clock(CLOCK_PROCESS_CPUTIME_ID)) }
    m.addFunction("sleep") { a in
        let s = try a.double(0, "secs")
        if s < 0 { throw ScriptError.valueError("sleep length must be non-negative") }
        // Sleep in slices so an interrupt request is honoured promptly.
        var remaining = s
        while remaining > 0 {
            let slice = min(remaining, 0.05)
            usleep(UInt32(slice * 1_000_000))
            remaining -= slice
            try a.interpreter.tick()
        }
        return .none
    }
    m.addFunction("strftime") { a in
        let fmt = try a.string(0, "format")
        var t = time(nil)
        var tmv = tm()
        localtime_r(&t, &tmv)
        var buf = [CChar](repeating: 0, count: 512)
        let n = strftime(&buf, buf.count, fmt, &tmv)
        return .str(n > 0 ? String(cString: buf) : "")
    }
    return m
}

private func makeRandomModule() -> Module {
    let m = Module(name: "random")
    m.addFunction("seed") { a in
        let v = a.value(0) ?? Value.none
        var h: UInt64
        switch v {
        case .int(let i): h = UInt64(bitPattern: Int64(i))
        case .none: h = UInt64(time(nil))
        default: h = UInt64(bitPattern: Int64(try HashKey(v).hashValue))
        }
        a.interpreter.randomState = RandomState(seed: h ^ 0x5DEECE66D)
        return .none
    }
    m.addFunction("random") { a in .float(a.interpreter.randomState.nextDouble()) }
    m.addFunction("uniform") { a in
        let lo = try a.double(0, "a"), hi = try a.double(1, "b")
        return .float(lo + (hi - lo) * a.interpreter.randomState.nextDouble())
    }
    func randrange(_ a: Arguments, _ lo: Int, _ hi: Int, _ step: Int) throws -> Value {
        let n = rangeLength(lo, hi, step)
        guard n > 0 else { throw ScriptError.valueError("empty range for randrange() (\(lo), \(hi), \(hi - lo))") }
        return .int(lo + Int(a.interpreter.randomState.below(UInt64(n))) * step)
    }
    m.addFunction("randint") { a in
        let (hi, o) = try a.int(1, "b").addingReportingOverflow(1)
        if o { throw ScriptError.overflowError("randint bound does not fit in a 64-bit int") }
        return try randrange(a, try a.int(0, "a"), hi, 1)
    }
    m.addFunction("randrange") { a in
        if a.count == 1 { return try randrange(a, 0, try a.int(0, "stop"), 1) }
        return try randrange(a, try a.int(0, "start"), try a.int(1, "stop"), try a.int(2, "step", default: 1))
    }
    m.addFunction("choice") { a in
        let items = try a.interpreter.collect(try a.required(0, "seq"))
        guard !items.isEmpty else { throw ScriptError.indexError("Cannot choose from an empty sequence") }
        return items[Int(a.interpreter.randomState.below(UInt64(items.count)))]
    }
    m.addFunction("shuffle") { a in
        guard case .list(let l) = try a.required(0, "x") else { throw ScriptError.typeError("shuffle() needs a list") }
        var i = l.items.count - 1
        while i > 0 {
            let j = Int(a.interpreter.randomState.below(UInt64(i + 1)))
            l.items.swapAt(i, j)
            i -= 1
        }
        return .none
    }
    m.addFunction("sample") { a in
        var items = try a.interpreter.collect(try a.required(0, "population"))
        let k = try a.int(1, "k")
        guard k >= 0 && k <= items.count else { throw ScriptError.valueError("Sample larger than population or is negative") }
        for i in 0..<k {
            let j = i + Int(a.interpreter.randomState.below(UInt64(items.count - i)))
            items.swapAt(i, j)
        }
        return .list(ListObject(Array(items.prefix(k))))
    }
    m.addFunction("gauss") { a in
        let mu = try a.double(0, "mu", default: 0), sigma = try a.double(1, "sigma", default: 1)
        let u1 = max(a.interpreter.randomState.nextDouble(), 1e-300), u2 = a.interpreter.randomState.nextDouble()
        return .float(mu + sigma * Glibc.sqrt(-2 * Glibc.log(u1)) * Glibc.cos(2 * Double.pi * u2))
    }
    return m
}
