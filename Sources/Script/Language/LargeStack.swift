import Glibc

/// Runs work on a thread with a large stack, so deep (but bounded) script recursion and deeply nested
/// data cannot overflow the Swift stack before RecursionError is raised.
public enum LargeStack {
    /// The stack size used by `run` (512 MB of address space; pages are only touched when used).
    public static let defaultSize = 512 << 20

    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a fresh thread with `stackSize` bytes of stack and waits for it.
    /// Falls back to the current thread if a thread cannot be created.
    public static func run<T>(stackSize: Int = defaultSize, _ body: @escaping () -> T) -> T {
        var result: T? = nil
        let box = Box { result = body() }
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        var thread = pthread_t()
        let context = Unmanaged.passRetained(box).toOpaque()
        let rc = pthread_create(&thread, &attr, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, context)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(context).release()
            return body()
        }
        pthread_join(thread, nil)
        guard let r = result else { return body() }
        return r
    }
}
