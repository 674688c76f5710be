import Foundation

/// Carries a closure and its result between the caller and the large-stack thread.
private final class LargeStackWork<T>: @unchecked Sendable {
    /// Cleared on the worker thread before it signals, so the non-escaping closure never outlives the call.
    var run: (() throws -> T)?
    var result: Result<T, Error>?
    init(_ run: @escaping () throws -> T) { self.run = run }
}

/// Runs `body` on a thread with a 64 MiB stack and waits for it.
///
/// Converting and writing value trees recurses once per nesting level. Callers may be on threads with
/// 512 KiB stacks (Dispatch workers), where even the nesting limit could overflow in a debug build; a
/// dedicated thread makes the limit independent of the caller. The stack is reserved, not committed.
func withLargeStack<T>(_ body: () throws -> T) throws -> T {
    try withoutActuallyEscaping(body) { escapable in
        let work = LargeStackWork(escapable)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            if let run = work.run { work.result = Result { try run() } }
            work.run = nil
            done.signal()
        }
        thread.stackSize = 64 << 20
        thread.start()
        done.wait()
        guard let result = work.result else {
            throw CheckpointError.io(file: "", detail: "conversion thread ended without a result")
        }
        return try result.get()
    }
}
