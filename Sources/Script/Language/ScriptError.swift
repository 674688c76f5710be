/// One frame of a traceback: where the failing node was in a function.
public struct TraceFrame {
    public let span: SourceSpan
    public let function: String
}

/// A script exception propagating through Swift: an instance of an exception class plus its traceback.
/// Native bindings throw these (`throw ScriptError.valueError("...")`), and scripts catch them with `except`.
public struct ScriptError: Error {
    public let exception: Instance
    /// Innermost frame first.
    public internal(set) var traceback: [TraceFrame] = []
    /// The failing node in the frame currently unwinding (committed to `traceback` when the frame exits).
    var pendingSpan: SourceSpan?
    /// Set for errors scripts cannot catch (the step budget of fuzzing).
    public internal(set) var isFatal = false
    /// Extra lines shown after the message (`did you mean 'model'?`).
    public var hint: String?

    public init(_ exception: Instance) { self.exception = exception }

    /// An error of a built-in exception class with a single message argument.
    public init(type: ClassObject, _ message: String) {
        let inst = Instance(cls: type)
        inst.exceptionArgs = [.str(message)]
        self.exception = inst
    }

    /// The exception class name (`ValueError`).
    public var typeName: String { exception.cls.name }

    /// The span where the error was raised (innermost), if known.
    public var span: SourceSpan? { pendingSpan ?? traceback.first?.span }

    public static func typeError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.typeError, m) }
    public static func valueError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.valueError, m) }
    public static func keyError(_ key: Value) -> ScriptError {
        let inst = Instance(cls: ExceptionTypes.keyError)
        inst.exceptionArgs = [key]
        return ScriptError(inst)
    }
    public static func indexError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.indexError, m) }
    public static func attributeError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.attributeError, m) }
    public static func nameError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.nameError, m) }
    public static func runtimeError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.runtimeError, m) }
    public static func notImplementedError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.notImplementedError, m) }
    public static func zeroDivisionError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.zeroDivisionError, m) }
    public static func overflowError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.overflowError, m) }
    public static func memoryError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.memoryError, m) }
    public static func fileNotFoundError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.fileNotFoundError, m) }
    public static func osError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.osError, m) }
    public static func importError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.importError, m) }
    public static func moduleNotFoundError(_ m: String) -> ScriptError { ScriptError(type: ExceptionTypes.moduleNotFoundError, m) }
    public static func stopIteration() -> ScriptError { ScriptError(Instance(cls: ExceptionTypes.stopIteration)) }
    public static func recursionError() -> ScriptError {
        ScriptError(type: ExceptionTypes.recursionError, "maximum recursion depth exceeded")
    }
    public static func keyboardInterrupt() -> ScriptError { ScriptError(Instance(cls: ExceptionTypes.keyboardInterrupt)) }

    /// A syntax or indentation error from the lexer/parser.
    public static func from(_ p: ParseError) -> ScriptError {
        var e = ScriptError(type: p.kind == .indentation ? ExceptionTypes.indentationError : ExceptionTypes.syntaxError, p.message)
        e.pendingSpan = p.span
        return e
    }
}

/// The built-in exception hierarchy (a subset of CPython's).
public enum ExceptionTypes {
    static func make(_ name: String, _ base: ClassObject?) -> ClassObject {
        ClassObject(builtinType: name, base: base, constructor: nil)
    }

    public static let baseException = make("BaseException", BuiltinTypes.object)
    public static let systemExit = make("SystemExit", baseException)
    public static let keyboardInterrupt = make("KeyboardInterrupt", baseException)
    public static let exception = make("Exception", baseException)
    public static let arithmeticError = make("ArithmeticError", exception)
    public static let zeroDivisionError = make("ZeroDivisionError", arithmeticError)
    public static let overflowError = make("OverflowError", arithmeticError)
    public static let assertionError = make("AssertionError", exception)
    public static let attributeError = make("AttributeError", exception)
    public static let lookupError = make("LookupError", exception)
    public static let indexError = make("IndexError", lookupError)
    public static let keyError = make("KeyError", lookupError)
    public static let nameError = make("NameError", exception)
    public static let unboundLocalError = make("UnboundLocalError", nameError)
    public static let osError = make("OSError", exception)
    public static let fileNotFoundError = make("FileNotFoundError", osError)
    public static let fileExistsError = make("FileExistsError", osError)
    public static let isADirectoryError = make("IsADirectoryError", osError)
    public static let notADirectoryError = make("NotADirectoryError", osError)
    public static let permissionError = make("PermissionError", osError)
    public static let runtimeError = make("RuntimeError", exception)
    public static let recursionError = make("RecursionError", runtimeError)
    public static let notImplementedError = make("NotImplementedError", runtimeError)
    public static let stopIteration = make("StopIteration", exception)
    public static let syntaxError = make("SyntaxError", exception)
    public static let indentationError = make("IndentationError", syntaxError)
    public static let typeError = make("TypeError", exception)
    public static let valueError = make("ValueError", exception)
    public static let unicodeError = make("UnicodeError", valueError)
    public static let importError = make("ImportError", exception)
    public static let moduleNotFoundError = make("ModuleNotFoundError", importError)
    public static let memoryError = make("MemoryError", exception)
    public static let eofError = make("EOFError", exception)
    /// Raised when the step budget runs out; scripts cannot catch it.
    public static let stepBudgetExceeded = make("StepBudgetExceeded", baseException)

    public static let all: [ClassObject] = [
        baseException, systemExit, keyboardInterrupt, exception, arithmeticError, zeroDivisionError,
        overflowError, assertionError, attributeError, lookupError, indexError, keyError, nameError,
        unboundLocalError, osError, fileNotFoundError, fileExistsError, isADirectoryError, notADirectoryError,
        permissionError, runtimeError, recursionError, notImplementedError, stopIteration, syntaxError,
        indentationError, typeError, valueError, unicodeError, importError, moduleNotFoundError, memoryError, eofError,
    ]
}
