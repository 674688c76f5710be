import Glibc

/// Generator functions: each generator body runs on its own thread, handing control back and forth
/// with the consumer through two semaphores, so exactly one of them runs at any time. This gives
/// Python's lazy semantics (infinite generators, interleaved side effects) without rewriting the
/// tree-walking interpreter into continuations.
final class GeneratorChannel {
    let interpreter: Interpreter
    let function: Function
    let scope: Scope
    private(set) var started = false
    private(set) var finished = false
    fileprivate var closing = false
    private var yielded: Value = .none
    private var failure: ScriptError?
    private var handlingSaved: [ScriptError] = []
    private var handlingBase = 0
    private let toGenerator: UnsafeMutablePointer<sem_t>
    private let toConsumer: UnsafeMutablePointer<sem_t>
    /// Stack for generator threads: deep enough for 1000 nested script calls in a debug build.
    static let stackSize = 64 << 20

    init(interpreter: Interpreter, function: Function, scope: Scope) {
        self.interpreter = interpreter
        self.function = function
        self.scope = scope
        toGenerator = .allocate(capacity: 1)
        toConsumer = .allocate(capacity: 1)
        sem_init(toGenerator, 0, 0)
        sem_init(toConsumer, 0, 0)
    }

    deinit {
        sem_destroy(toGenerator)
        sem_destroy(toConsumer)
        toGenerator.deallocate()
        toConsumer.deallocate()
    }

    private final class Box {
        let channel: GeneratorChannel
        init(_ c: GeneratorChannel) { channel = c }
    }

    /// The next yielded value, nil when the generator is exhausted; rethrows the body's errors.
    func next() throws -> Value? {
        if finished { return nil }
        if interpreter.activeGenerators.contains(where: { $0 === self }) {
            throw ScriptError.valueError("generator already executing")
        }
        if !started {
            started = true
            interpreter.startedGenerators.removeAll { $0.channel == nil }
            interpreter.startedGenerators.append(WeakGenerator(self))
            guard startThread() else {
                finished = true
                throw ScriptError.runtimeError("cannot start generator '\(function.name)': no thread available")
            }
        }
        sem_post(toGenerator)
        while sem_wait(toConsumer) != 0 {}
        if let e = failure {
            failure = nil
            throw e
        }
        if finished { return nil }
        return yielded
    }

    /// Stops a suspended generator (runs its `finally` blocks) when the generator object is released.
    func close() {
        guard started, !finished else { return }
        // Closing a generator from inside its own body would wait on itself.
        if interpreter.activeGenerators.contains(where: { $0 === self }) { return }
        closing = true
        sem_post(toGenerator)
        while sem_wait(toConsumer) != 0 {}
        failure = nil
    }

    private func startThread() -> Bool {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, GeneratorChannel.stackSize)
        pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let context = Unmanaged.passRetained(Box(self)).toOpaque()
        let rc = pthread_create(&thread, &attr, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.channel.run()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            return false
        }
        return true
    }

    /// The generator thread's body.
    private func run() {
        while sem_wait(toGenerator) != 0 {}
        let interp = interpreter
        enter()
        if closing {
            leave()
            finished = true
            sem_post(toConsumer)
            return
        }
        do {
            if interp.callDepth >= interp.recursionLimit { throw ScriptError.recursionError() }
            _ = try interp.execBlock(function.def.body, scope)
        } catch var e as ScriptError {
            if !e.exception.cls.isSubclass(of: ExceptionTypes.generatorExit) {
                e.traceback.append(TraceFrame(span: e.pendingSpan ?? function.def.span, function: function.name))
                e.pendingSpan = nil
                failure = e
            }
        } catch {
            failure = ScriptError.runtimeError("internal error in generator: \(error)")
        }
        leave()
        finished = true
        sem_post(toConsumer)
    }

    /// Called on the generator thread by `yield`: hands `value` to the consumer and waits to be resumed.
    func yield(_ value: Value) throws -> Value {
        if closing {
            var e = ScriptError(type: ExceptionTypes.runtimeError, "generator ignored GeneratorExit")
            e.isFatal = true
            throw e
        }
        yielded = value
        leave()
        sem_post(toConsumer)
        while sem_wait(toGenerator) != 0 {}
        enter()
        if closing { throw ScriptError(Instance(cls: ExceptionTypes.generatorExit)) }
        return .none
    }

    /// Puts the generator's frame (and exceptions it is handling) on the interpreter's stacks.
    private func enter() {
        let interp = interpreter
        interp.activeGenerators.append(self)
        interp.frames.append((function, scope))
        interp.callDepth += 1
        handlingBase = interp.handling.count
        interp.handling += handlingSaved
    }

    /// Takes them off again while the generator is suspended or done.
    private func leave() {
        let interp = interpreter
        handlingSaved = Array(interp.handling[min(handlingBase, interp.handling.count)...])
        interp.handling.removeSubrange(min(handlingBase, interp.handling.count)...)
        interp.callDepth -= 1
        if !interp.frames.isEmpty { interp.frames.removeLast() }
        if let i = interp.activeGenerators.lastIndex(where: { $0 === self }) { interp.activeGenerators.remove(at: i) }
    }
}

/// A weak reference to a generator, for `Interpreter.shutdown()`.
struct WeakGenerator {
    weak var channel: GeneratorChannel?
    init(_ c: GeneratorChannel) { channel = c }
}

/// The generator object returned by calling a generator function.
final class GeneratorObject: NativeObject {
    let channel: GeneratorChannel

    init(_ channel: GeneratorChannel) { self.channel = channel }

    deinit { channel.close() }

    var typeName: String { "generator" }

    func repr(context: NativeContext) throws -> String {
        "<generator object \(channel.function.qualifiedName) at \(addressString(self))>"
    }

    func makeIterator(context: NativeContext) throws -> ValueIterator {
        ValueIterator { [self] in try self.channel.next() }
    }

    func attributeNames() -> [String] { ["close", "send"] }

    func getAttribute(_ name: String, context: NativeContext) throws -> Value? {
        switch name {
        case "__next__":
            return .builtin(BuiltinFunction("__next__") { [self] _ in
                guard let v = try self.channel.next() else { throw ScriptError.stopIteration() }
                return v
            })
        case "__iter__": return .builtin(BuiltinFunction("__iter__") { [self] _ in .native(self) })
        case "close": return .builtin(BuiltinFunction("close") { [self] a in
            if a.interpreter.activeGenerators.contains(where: { $0 === self.channel }) {
                throw ScriptError.valueError("generator already executing")
            }
            self.channel.close()
            return .none
        })
        case "send":
            return .builtin(BuiltinFunction("send") { [self] a in
                if let v = a.value(0), !v.isNone, !self.channel.started {
                    throw ScriptError.typeError("can't send non-None value to a just-started generator")
                }
                guard let v = try self.channel.next() else { throw ScriptError.stopIteration() }
                return v
            })
        default: return nil
        }
    }
}

extension Interpreter {
    /// `yield value` inside the running generator.
    func yieldValue(_ value: Value) throws -> Value {
        guard let g = activeGenerators.last else {
            throw ScriptError(type: ExceptionTypes.syntaxError, "'yield' outside function")
        }
        return try g.yield(value)
    }
}
