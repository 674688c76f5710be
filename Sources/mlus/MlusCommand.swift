import ArgumentParser
import Glibc
import Notebook
import Script
import Tensors

/// The `mlus` command. `RunCommand` is the default subcommand, so `mlus FILE [args]`, `mlus -c CODE`,
/// `mlus -` and plain `mlus` (the REPL) need no subcommand name. Later subcommands (`port`, `infer`,
/// `inspect`, `notebook`) are added to `subcommands`; ArgumentParser matches their names first.
@main
struct MlusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlus",
        abstract: "Port PyTorch CNNs to an emulated Cambricon MLU, with a Python-subset scripting language.",
        discussion: """
            mlus FILE.mlus [args...]   run a script (sys.argv = [FILE, args...])
            mlus -c CODE [args...]     run CODE
            mlus - [args...]           run the script read from standard input
            mlus                       start the REPL
            """,
        version: mlusVersion,
        subcommands: [RunCommand.self, NotebookCommand.self, InferCommand.self, InspectCommand.self, PortCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// Sets the OpenMP wait policy before anything else runs (it may re-execute the process; see
    /// `EngineProcess.applyThreadPolicy`) and the heap settings, then parses the command line.
    static func main() {
        EngineProcess.applyThreadPolicy()
        EngineProcess.configureAllocator()
        main(nil)
    }
}

/// Runs a script, a `-c` program or stdin; with no script, starts the REPL.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an mlus script (the default when no subcommand is given)."
    )

    @Option(name: .customShort("c"), help: ArgumentHelp("Program passed in as a string.", valueName: "code"))
    var code: String?

    @ArgumentParser.Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Script file ('-' for stdin) and its arguments.", valueName: "file"))
    var arguments: [String] = []

    func run() throws {
        if let code {
            throw ExitCode(ProgramRunner.run(source: code, filename: "<string>", argv: ["-c"] + arguments, scriptPath: nil, interpreter: makeInterpreter()))
        }
        if let first = arguments.first, first == "--version" {
            print(mlusVersion)
            return
        }
        if let first = arguments.first, first == "--help" || first == "-h" {
            print(MlusCommand.helpMessage())
            return
        }
        guard let file = arguments.first else {
            throw ExitCode(REPLCommand.run())
        }
        let rest = Array(arguments.dropFirst())
        if file == "-" {
            var text = ""
            while let line = readLine(strippingNewline: false) { text += line }
            throw ExitCode(ProgramRunner.run(source: text, filename: "<stdin>", argv: ["-"] + rest, scriptPath: nil, interpreter: makeInterpreter()))
        }
        guard let source = readWholeFile(file) else {
            StandardError.write("mlus: can't open file '\(file)': \(String(cString: strerror(errno)))\n")
            throw ExitCode(2)
        }
        throw ExitCode(ProgramRunner.run(source: source, filename: file, argv: [file] + rest, scriptPath: file, interpreter: makeInterpreter()))
    }
}

let mlusVersion = "mlus 0.1.0"

/// An interpreter with the torch/numpy/image bindings installed.
func makeInterpreter() -> Interpreter {
    let interpreter = Interpreter()
    installBindings(into: interpreter)
    SessionBuiltins.install(in: interpreter) { nil }
    return interpreter
}

/// Minimal stderr writer (no Foundation).
enum StandardError {
    static func write(_ s: String) {
        var t = s
        t.withUTF8 { buf in _ = fwrite(buf.baseAddress, 1, buf.count, stderr) }
    }
}

/// Reads a file as UTF-8, or nil when it cannot be opened (or is a directory).
func readWholeFile(_ path: String) -> String? {
    var st = stat()
    guard stat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR, let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n > 0 { bytes += buffer[0..<n] }
        if n < buffer.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}
