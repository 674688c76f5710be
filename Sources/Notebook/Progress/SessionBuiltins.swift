import Foundation
import Script

/// Functions the REPL and notebook sessions add to a script's globals:
///
/// - `progress(iterable, label="", total=None)`: iterates over `iterable` drawing a `ProgressBar` on stderr
///   (`for x in progress(images, "calibrating"):`). The total is `len(iterable)` when it has one.
/// - `display_image(path)`: shows a PNG file: an image output of the notebook cell, or its path in the REPL.
///   Bindings that draw (e.g. `image.show`) call the same hook through `DisplaySink.showImage`.
///
/// The REPL and `mlus notebook` install them through `ScriptSessionEngine`; another runner (a plain script
/// run, `mlus port`) can call `install(in:display:)` on its interpreter before running code.
public enum SessionBuiltins {
    public static let names: Set<String> = ["progress", "display_image"]

    /// Adds the functions to `interpreter`'s `__main__` globals.
    /// - Parameter display: the current display sink (a notebook cell's), or nil for the terminal.
    public static func install(in interpreter: Interpreter, display: @escaping () -> DisplaySink?) {
        let module = interpreter.mainModule
        module.addFunction("progress") { arguments in
            try arguments.check(max: 3, min: 1, allowedKeywords: ["iterable", "label", "total"])
            let iterable = try arguments.required(0, "iterable")
            let label = try arguments.string(1, "label", default: "")
            var total: Int?
            if let given = arguments.value(2, "total"), !isNone(given) {
                total = try arguments.int(2, "total")
            } else {
                total = try? arguments.interpreter.length(iterable)
            }
            // In a notebook the bar's plain lines go into the cell's stderr; in a terminal it redraws in place.
            let interpreter = arguments.interpreter
            let isTerminal = display() == nil && isatty(STDERR_FILENO) == 1
            return .native(ProgressIterable(iterable: iterable, label: label, total: total) {
                ProgressBar(total: total, label: label, isTerminal: isTerminal, write: { interpreter.stderr.write($0) })
            })
        }
        module.addFunction("display_image") { arguments in
            try arguments.check(max: 1, min: 1, allowedKeywords: ["path"])
            let path = try arguments.string(0, "path")
            guard FileManager.default.fileExists(atPath: path) else {
                throw ScriptError.fileNotFoundError("display_image: no such file: '\(path)'")
            }
            if let display = display() {
                // Absolute, so a later change of folder does not break the report's link.
                display.showImage(pngPath: URL(fileURLWithPath: path).standardizedFileURL.path)
            } else {
                arguments.interpreter.stdout.write(path + "\n")
            }
            return .none
        }
    }

    static func isNone(_ value: Value) -> Bool {
        if case .none = value { return true }
        return false
    }
}

/// What `progress(...)` returns: iterating it iterates the wrapped value and advances a bar, finishing
/// the bar when the iteration ends.
final class ProgressIterable: NativeObject {
    let iterable: Value
    let label: String
    let total: Int?
    let makeBar: () -> ProgressBar

    init(iterable: Value, label: String, total: Int?, makeBar: @escaping () -> ProgressBar) {
        self.iterable = iterable
        self.label = label
        self.total = total
        self.makeBar = makeBar
    }

    var typeName: String { "progress" }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        var inner = try context.interpreter.iterate(iterable)
        let bar = makeBar()
        var started = false
        return ValueIterator {
            if started { bar.advance() }
            started = true
            guard let next = try inner.next() else {
                bar.finish()
                return nil
            }
            return next
        }
    }

    func length(context: NativeContext) throws -> Int {
        guard let total else { throw ScriptError.typeError("object of type 'progress' has no len()") }
        return total
    }

    func repr(context: NativeContext) throws -> String {
        "<progress '\(label)'\(total.map { " of \($0)" } ?? "")>"
    }
}
