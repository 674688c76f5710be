import Foundation

/// The SIGINT handler's state. A signal handler may only touch async-signal-safe state, so it sets a flag
/// and writes one byte to a pipe; everything else happens on ordinary threads.
nonisolated(unsafe) private var interruptPending: sig_atomic_t = 0
nonisolated(unsafe) private var interruptPipeWriteEnd: Int32 = -1

/// SIGUSR2 only needs to interrupt a blocked `read`; the handler itself does nothing.
private func handleWakeSignal(_: Int32) {}

private func handleInterruptSignal(_: Int32) {
    interruptPending = 1
    var byte: UInt8 = 0x21
    _ = write(interruptPipeWriteEnd, &byte, 1)
}

/// Routes Ctrl-C (SIGINT) to the REPL: at the prompt it makes the blocked `read` fail with `EINTR` so the
/// line reader can clear the line; while a statement runs, a watcher thread calls `onInterrupt`, which asks
/// the interpreter to raise KeyboardInterrupt at its next step (the interpreter's request is thread-safe,
/// but not async-signal-safe, hence the thread).
public final class InterruptWatcher: @unchecked Sendable {
    public static let shared = InterruptWatcher()

    private let lock = NSLock()
    private var running = false
    private var onInterrupt: (() -> Void)?
    private var installed = false
    /// The thread blocked reading a line, if any: a Ctrl-C delivered to another thread is passed on to it.
    private var readingThread: pthread_t?

    private init() {}

    /// Installs the handler and starts the watcher thread (once per process).
    public func install() {
        lock.lock()
        defer { lock.unlock() }
        guard !installed else { return }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return }
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        _ = interruptPending
        interruptPipeWriteEnd = fds[1]
        installed = true
        setHandler(restartSystemCalls: true)
        var wake = sigaction()
        wake.__sigaction_handler.sa_handler = handleWakeSignal
        sigemptyset(&wake.sa_mask)
        // SA_RESTART: the nudge only has to wake a reader's `poll`, which returns EINTR whatever the flag (poll
        // is never restarted). Without it, a nudge arriving just after the reader returned interrupted the
        // `write` of the "^C" line that follows, and stdio dropped it (the REPL soak saw prompts without "^C").
        wake.sa_flags = SA_RESTART
        sigaction(SIGUSR2, &wake, nil)
        let readEnd = fds[0]
        let thread = Thread { [unowned self] in
            // This thread never takes SIGINT, so the kernel delivers it to a thread that can act on it.
            var blocked = sigset_t()
            sigemptyset(&blocked)
            sigaddset(&blocked, SIGINT)
            pthread_sigmask(SIG_BLOCK, &blocked, nil)
            self.watch(readEnd)
        }
        thread.name = "mlus-interrupt"
        thread.start()
    }

    /// Sets the SIGINT handler. Without `SA_RESTART` a Ctrl-C makes a blocked `read` return `EINTR`,
    /// which is what the prompt needs; with it, interrupted system calls in a running script resume.
    func setHandler(restartSystemCalls: Bool) {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = handleInterruptSignal
        sigemptyset(&action.sa_mask)
        action.sa_flags = restartSystemCalls ? SA_RESTART : 0
        sigaction(SIGINT, &action, nil)
    }

    /// Runs `body` with Ctrl-C routed to `interrupt` (e.g. the interpreter's interrupt request).
    public func whileRunning<T>(interrupt: @escaping () -> Void, _ body: () throws -> T) rethrows -> T {
        lock.lock()
        running = true
        onInterrupt = interrupt
        // A Ctrl-C after the line was read but before now found nothing running: it is meant for this run.
        // (One typed at the prompt was already consumed by the line reader.)
        let arrivedEarly = interruptPending != 0
        interruptPending = 0
        lock.unlock()
        if arrivedEarly { interrupt() }
        defer {
            lock.lock()
            running = false
            onInterrupt = nil
            lock.unlock()
        }
        return try body()
    }

    /// Runs `body` (a run of `engine`) with Ctrl-C routed to the engine's interrupt request, after dropping a
    /// request left over from the previous run.
    func running<T>(_ engine: ScriptEngine, _ body: () throws -> T) rethrows -> T {
        engine.discardPendingInterrupt()
        return try whileRunning(interrupt: { [engine] in engine.requestInterrupt() }, body)
    }

    /// Runs a blocking read with Ctrl-C making it fail with `EINTR`.
    /// - Parameter pollsForInput: the reader waits in `poll` (interrupted by any signal) and reads only what is
    ///   ready, so Ctrl-C may keep `SA_RESTART` and cannot cut short the line editor's own writes (echo, redraw).
    func whileReading<T>(pollsForInput: Bool = false, _ body: () -> T) -> T {
        interruptPending = 0
        setHandler(restartSystemCalls: pollsForInput)
        lock.lock()
        readingThread = pthread_self()
        lock.unlock()
        defer {
            lock.lock()
            readingThread = nil
            lock.unlock()
            setHandler(restartSystemCalls: true)
        }
        return body()
    }

    /// Whether a Ctrl-C arrived since the last `consumePending`, clearing the mark.
    func consumePending() -> Bool {
        let pending = interruptPending != 0
        interruptPending = 0
        return pending
    }

    var isPending: Bool { interruptPending != 0 }

    private func watch(_ readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(readEnd, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            lock.lock()
            let action = running ? onInterrupt : nil
            let reader = readingThread
            lock.unlock()
            action?()
            // When the signal went to some other thread, the reader's `read` was not interrupted: nudge it.
            if let reader { pthread_kill(reader, SIGUSR2) }
        }
    }
}
