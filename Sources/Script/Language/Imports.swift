import Glibc

/// Native modules by dotted name. Builders run on first import; the result is cached by the interpreter.
public final class ModuleRegistry {
    private var builders: [String: (Interpreter) throws -> Module] = [:]

    /// Registers a native module (`torch`, `torch.nn`, `torch_mlu.core.mlu_model`).
    public func register(_ name: String, _ builder: @escaping (Interpreter) throws -> Module) {
        builders[name] = builder
    }

    /// True when `name` or a registered module below it (`name.x`) exists.
    public func provides(_ name: String) -> Bool {
        builders[name] != nil || builders.keys.contains { $0.hasPrefix(name + ".") }
    }

    func builder(_ name: String) -> ((Interpreter) throws -> Module)? { builders[name] }

    /// All registered names (for completion of `import`).
    public var names: [String] { builders.keys.sorted() }
}

extension Interpreter {
    /// Imports a dotted module name, returning the top-level package (or the leaf when `returnLeaf`).
    func importModule(_ dotted: String, from scope: Scope, returnLeaf: Bool = false, already: Module? = nil) throws -> Module {
        let parts = dotted.split(separator: ".").map(String.init)
        var top: Module? = nil
        var parent: Module? = nil
        var prefix = ""
        for part in parts {
            prefix = prefix.isEmpty ? part : prefix + "." + part
            let m = try loadModule(prefix, scope: scope)
            if let parent, parent.scope.vars[part] == nil { parent.scope.vars[part] = .module(m) }
            if top == nil { top = m }
            parent = m
        }
        guard let top, let leaf = parent else { throw ScriptError.moduleNotFoundError("No module named ''") }
        return returnLeaf ? leaf : top
    }

    /// Loads (or returns the cached) module `name`: native registry, then the script's folder, MLUS_PATH, stdlib.
    public func loadModule(_ name: String, scope: Scope? = nil) throws -> Module {
        if let m = loadedModules[name] { return m }
        if let builder = modules.builder(name) {
            let m = try builder(self)
            loadedModules[name] = m
            return m
        }
        if modules.provides(name) {
            let m = Module(name: name)
            loadedModules[name] = m
            return m
        }
        let relative = name.split(separator: ".").joined(separator: "/")
        for dir in searchPath {
            for candidate in ["\(dir)/\(relative).mlus", "\(dir)/\(relative).py", "\(dir)/\(relative)/__init__.mlus", "\(dir)/\(relative)/__init__.py"] {
                if fileExists(candidate) { return try loadFile(candidate, as: name) }
            }
            if isDirectory("\(dir)/\(relative)") {
                let m = Module(name: name, file: "\(dir)/\(relative)")
                loadedModules[name] = m
                return m
            }
        }
        var e = ScriptError.moduleNotFoundError("No module named '\(name)'")
        let known = modules.names + Array(loadedModules.keys)
        if let best = closestName(name, known) { e.hint = "did you mean '\(best)'?" }
        throw e
    }

    private func loadFile(_ path: String, as name: String) throws -> Module {
        let text = try readTextFile(path)
        let m = Module(name: name, file: path)
        m.scope.vars["__file__"] = .str(path)
        loadedModules[name] = m
        let body = try parse(SourceFile(name: path, text: text))
        let saved = currentModule
        currentModule = m
        defer { currentModule = saved }
        do {
            try execute(body, in: m)
        } catch {
            loadedModules[name] = nil
            throw error
        }
        return m
    }

    func importFrom(_ moduleName: String, level: Int, names: [ImportName], _ scope: Scope) throws {
        var full = moduleName
        if level > 0 {
            guard case .str(let current)? = scope.globals.vars["__name__"] else { throw ScriptError.importError("attempted relative import with no known parent package") }
            var pkg = current.split(separator: ".").map(String.init)
            if pkg.count < level { throw ScriptError.importError("attempted relative import beyond top-level package") }
            pkg.removeLast(level)
            full = (pkg + (moduleName.isEmpty ? [] : [moduleName])).joined(separator: ".")
            if full.isEmpty { throw ScriptError.importError("attempted relative import with no known parent package") }
        }
        let m = try importModule(full, from: scope, returnLeaf: true)
        for n in names {
            if n.name == "*" {
                let all: [String]
                if case .list(let l)? = m.scope.vars["__all__"] {
                    all = l.items.compactMap { if case .str(let s) = $0 { return s } else { return nil } }
                } else {
                    all = m.scope.vars.keys.filter { !$0.hasPrefix("_") }
                }
                for k in all { if let v = m.scope.vars[k] { scope.assign(k, v) } }
                continue
            }
            if let v = m.scope.vars[n.name] {
                scope.assign(n.alias ?? n.name, v)
            } else if let sub = try? loadModule(full + "." + n.name, scope: scope) {
                m.scope.vars[n.name] = .module(sub)
                scope.assign(n.alias ?? n.name, .module(sub))
            } else {
                var e = ScriptError.importError("cannot import name '\(n.name)' from '\(full)'")
                if let best = closestName(n.name, Array(m.scope.vars.keys)) { e.hint = "did you mean '\(best)'?" }
                throw e
            }
        }
    }
}

/// True when `path` names an existing regular file.
func fileExists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
}

/// True when `path` names an existing directory.
func isDirectory(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
}

/// Reads a whole UTF-8 text file, raising FileNotFoundError/OSError.
func readTextFile(_ path: String) throws -> String {
    guard let f = fopen(path, "rb") else { throw osErrorFromErrno(path) }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n > 0 { bytes += buffer[0..<n] }
        if n < buffer.count { break }
    }
    if isDirectory(path) { throw ScriptError(type: ExceptionTypes.isADirectoryError, "[Errno 21] Is a directory: \(quoteString(path))") }
    return String(decoding: bytes, as: UTF8.self)
}

/// The OSError subclass CPython raises for the current `errno`.
func osErrorFromErrno(_ path: String) -> ScriptError {
    let code = errno
    let message = String(cString: strerror(code))
    let text = "[Errno \(code)] \(message): \(quoteString(path))"
    switch code {
    case ENOENT: return ScriptError(type: ExceptionTypes.fileNotFoundError, text)
    case EEXIST: return ScriptError(type: ExceptionTypes.fileExistsError, text)
    case EISDIR: return ScriptError(type: ExceptionTypes.isADirectoryError, text)
    case ENOTDIR: return ScriptError(type: ExceptionTypes.notADirectoryError, text)
    case EACCES, EPERM: return ScriptError(type: ExceptionTypes.permissionError, text)
    default: return ScriptError(type: ExceptionTypes.osError, text)
    }
}
