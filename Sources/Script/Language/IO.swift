import Glibc

/// An output sink writing to the process's stdout or stderr (C stdio buffering).
public final class StandardStream: OutputSink {
    public static let out = StandardStream(isError: false)
    public static let err = StandardStream(isError: true)

    private let isError: Bool
    private init(isError: Bool) { self.isError = isError }

    public func write(_ text: String) {
        let stream = isError ? Glibc.stderr : Glibc.stdout
        var t = text
        t.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, stream) }
        if isError { fflush(stream) }
    }

    public func flush() { fflush(isError ? Glibc.stderr : Glibc.stdout) }
}

/// An output sink that collects text in memory (for tests, notebooks and the REPL).
public final class CapturedOutput: OutputSink {
    public private(set) var text = ""
    public init() {}
    public func write(_ text: String) { self.text += text }
    /// Returns and clears the collected text.
    public func take() -> String {
        defer { text = "" }
        return text
    }
}

/// `sys.stdout` / `sys.stderr`: file-like objects writing to the interpreter's current sinks.
final class StreamObject: NativeObject {
    let isError: Bool
    init(isError: Bool) { self.isError = isError }
    var typeName: String { "TextIOWrapper" }

    func repr(context: NativeContext) throws -> String {
        "<_io.TextIOWrapper name='<\(isError ? "stderr" : "stdout")>' mode='w' encoding='utf-8'>"
    }

    func attributeNames() -> [String] { ["write", "flush", "name", "isatty"] }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        let interp = context.interpreter
        let sink = { self.isError ? interp.stderr : interp.stdout }
        switch name {
        case "write":
            return .builtin(BuiltinFunction("write") { a in
                let s = try a.string(0, "s")
                sink().write(s)
                return .int(s.unicodeScalars.count)
            })
        case "flush": return .builtin(BuiltinFunction("flush") { _ in sink().flush(); return .none })
        case "isatty": return .builtin(BuiltinFunction("isatty") { _ in .bool(isatty(self.isError ? 2 : 1) != 0) })
        case "name": return .str(isError ? "<stderr>" : "<stdout>")
        default: return nil
        }
    }
}

/// A text file opened with `open()`. Writes are buffered and committed atomically (temp file + rename)
/// on `close()`, `flush()`, leaving a `with` block, or when the object is released.
final class FileObject: NativeObject {
    let path: String
    let mode: String
    private var content: [Unicode.Scalar] = []
    private var position = 0
    private var closed = false
    private var dirty = false
    private let readable: Bool
    private let writable: Bool

    private init(path: String, mode: String, readable: Bool, writable: Bool) {
        self.path = path
        self.mode = mode
        self.readable = readable
        self.writable = writable
    }

    deinit { try? commit() }

    static func open(path: String, mode: String) throws -> FileObject {
        let m = mode.replacingOccurrences(of: "t", with: "")
        if m.contains("b") { throw ScriptError.valueError("binary file modes are not supported in mlus (mode '\(mode)')") }
        let base = m.replacingOccurrences(of: "+", with: "")
        let plus = m.contains("+")
        guard ["r", "w", "a", "x"].contains(base) else { throw ScriptError.valueError("invalid mode: '\(mode)'") }
        let f = FileObject(path: path, mode: mode, readable: base == "r" || plus, writable: base != "r" || plus)
        switch base {
        case "r":
            f.content = Array(try readTextFile(path).unicodeScalars)
        case "a":
            if fileExists(path) { f.content = Array(try readTextFile(path).unicodeScalars) }
            f.position = f.content.count
            f.dirty = true
        case "x":
            if fileExists(path) || isDirectory(path) {
                throw ScriptError(type: ExceptionTypes.fileExistsError, "[Errno 17] File exists: \(quoteString(path))")
            }
            f.dirty = true
            try f.commit()
        default:
            if isDirectory(path) { throw ScriptError(type: ExceptionTypes.isADirectoryError, "[Errno 21] Is a directory: \(quoteString(path))") }
            f.dirty = true
            try f.commit()
        }
        return f
    }

    var typeName: String { "TextIOWrapper" }

    func repr(context: NativeContext) throws -> String {
        "<_io.TextIOWrapper name=\(quoteString(path)) mode=\(quoteString(mode)) encoding='UTF-8'>"
    }

    /// Writes the buffered content to disk atomically.
    func commit() throws {
        guard dirty else { return }
        try writeFileAtomically(path, String(String.UnicodeScalarView(content)))
        dirty = false
    }

    private func checkOpen() throws {
        if closed { throw ScriptError.valueError("I/O operation on closed file.") }
    }

    private func readLine() -> String? {
        guard position < content.count else { return nil }
        var end = position
        while end < content.count && content[end] != "\n" { end += 1 }
        if end < content.count { end += 1 }
        let line = String(String.UnicodeScalarView(content[position..<end]))
        position = end
        return line
    }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        try checkOpen()
        return ValueIterator { [self] in self.readLine().map { .str($0) } }
    }

    func attributeNames() -> [String] {
        ["close", "closed", "flush", "mode", "name", "read", "readline", "readlines", "seek", "tell", "write", "writelines"]
    }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        func fn(_ n: String, _ body: @escaping (Arguments) throws -> Value) -> Value { .builtin(BuiltinFunction(n, body)) }
        switch name {
        case "name": return .str(path)
        case "mode": return .str(mode)
        case "closed": return .bool(closed)
        case "read": return fn(name) { [self] a in
            try checkOpen()
            guard readable else { throw ScriptError(type: ExceptionTypes.osError, "not readable") }
            let n = try a.int(0, "size", default: -1)
            let end = n < 0 ? content.count : position + min(n, content.count - position)
            let s = String(String.UnicodeScalarView(content[min(position, end)..<end]))
            position = end
            return .str(s)
        }
        case "readline": return fn(name) { [self] _ in
            try checkOpen()
            guard readable else { throw ScriptError(type: ExceptionTypes.osError, "not readable") }
            return .str(readLine() ?? "")
        }
        case "readlines": return fn(name) { [self] _ in
            try checkOpen()
            guard readable else { throw ScriptError(type: ExceptionTypes.osError, "not readable") }
            var lines: [Value] = []
            while let l = readLine() { lines.append(.str(l)) }
            return .list(ListObject(lines))
        }
        case "write": return fn(name) { [self] a in
            try checkOpen()
            guard writable else { throw ScriptError(type: ExceptionTypes.osError, "not writable") }
            let s = try a.string(0, "s")
            let scalars = Array(s.unicodeScalars)
            try a.interpreter.checkLength(content.count + scalars.count)
            if position >= content.count {
                content += scalars
            } else {
                let end = min(content.count, position + scalars.count)
                content.replaceSubrange(position..<end, with: scalars)
            }
            position += scalars.count
            dirty = true
            return .int(scalars.count)
        }
        case "writelines": return fn(name) { [self] a in
            try checkOpen()
            guard writable else { throw ScriptError(type: ExceptionTypes.osError, "not writable") }
            for v in try a.interpreter.collect(try a.required(0, "lines")) {
                guard case .str(let s) = v else { throw ScriptError.typeError("write() argument must be str, not \(a.interpreter.typeName(v))") }
                content += s.unicodeScalars
            }
            position = content.count
            dirty = true
            return .none
        }
        case "seek": return fn(name) { [self] a in
            try checkOpen()
            position = max(0, min(content.count, try a.int(0, "offset")))
            return .int(position)
        }
        case "tell": return fn(name) { [self] _ in .int(position) }
        case "flush": return fn(name) { [self] _ in try commit(); return .none }
        case "close": return fn(name) { [self] _ in
            if !closed { try commit(); closed = true }
            return .none
        }
        case "__enter__": return fn(name) { [self] _ in try checkOpen(); return .native(self) }
        case "__exit__": return fn(name) { [self] _ in
            if !closed { try commit(); closed = true }
            return .bool(false)
        }
        default: return nil
        }
    }
}

/// Writes `text` to `path` through a temporary file in the same folder, fsync and a rename.
func writeFileAtomically(_ path: String, _ text: String) throws {
    let dir: String
    if let slash = path.lastIndex(of: "/") { dir = String(path[..<slash]) } else { dir = "." }
    let tmp = (dir.isEmpty ? "" : dir + "/") + ".mlus-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    guard let f = fopen(tmp, "wb") else { throw osErrorFromErrno(path) }
    var t = text
    let written = t.withUTF8 { buf in fwrite(buf.baseAddress, 1, buf.count, f) == buf.count }
    // Flushed and fsync'ed before the rename, so a crash or power loss cannot leave a renamed but empty file.
    let ok = written && fflush(f) == 0 && fsync(fileno(f)) == 0
    if fclose(f) != 0 || !ok {
        unlink(tmp)
        throw osErrorFromErrno(path)
    }
    if rename(tmp, path) != 0 {
        let e = osErrorFromErrno(path)
        unlink(tmp)
        throw e
    }
}
