import Foundation

/// The module-scope hook for code that does not hold the tracer: `NN.Module` calls
/// `TraceScope.withScope(childName) { child.forward(x) }` (or `push`/`pop`) and every tracer that is
/// currently tracing — created and not yet finished — names the ops recorded inside `enc1.0.…`.
///
/// With no tracer alive this is one lock and an empty check per call.
public enum TraceScope {
    private final class Registry: @unchecked Sendable {
        let lock = NSLock()
        var tracers: [Weak] = []
    }
    private struct Weak { weak var tracer: Tracer? }
    private static let registry = Registry()

    static func register(_ tracer: Tracer) {
        registry.lock.lock(); defer { registry.lock.unlock() }
        registry.tracers.removeAll { $0.tracer == nil }
        registry.tracers.append(Weak(tracer: tracer))
    }

    static func unregister(_ tracer: Tracer) {
        registry.lock.lock(); defer { registry.lock.unlock() }
        registry.tracers.removeAll { $0.tracer == nil || $0.tracer === tracer }
    }

    private static var live: [Tracer] {
        registry.lock.lock(); defer { registry.lock.unlock() }
        return registry.tracers.compactMap(\.tracer)
    }

    /// True while some tracer is tracing (NN may skip scope bookkeeping otherwise).
    public static var isTracing: Bool { !live.isEmpty }

    /// Enters scope `name` in every tracer that is tracing.
    public static func push(_ name: String) { for t in live { t.pushScope(name) } }

    /// Leaves the innermost scope in every tracer that is tracing.
    public static func pop() { for t in live { t.popScope() } }

    /// Runs `body` inside scope `name`.
    public static func withScope<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        let tracers = live
        for t in tracers { t.pushScope(name) }
        defer { for t in tracers { t.popScope() } }
        return try body()
    }
}
