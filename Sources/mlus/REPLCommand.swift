import Foundation
import Notebook

/// `mlus` with no script: the interactive session (DESIGN §7).
enum REPLCommand {
    static func run(arguments: [String] = [""]) -> Int32 {
        let engine = ScriptSessionEngine(scriptPath: nil, arguments: arguments)
        return REPL.runInteractive(engine: engine, banner: "mlus: ?obj or help(obj) for help, Tab to complete, Ctrl-D to leave")
    }
}
