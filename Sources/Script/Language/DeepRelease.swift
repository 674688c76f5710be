import Glibc

/// Releases deeply nested containers without deep recursion (CPython's "trashcan"): when a list, dict
/// or instance dies, its children are queued on a per-thread list and released iteratively by the
/// outermost release, so a 100,000-deep `a = [a]` chain or a long linked list of instances cannot
/// overflow the stack when freed.
enum DeepRelease {
    private final class Queue {
        var pending: [Value] = []
        var draining = false
    }

    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { raw in
            if let raw { Unmanaged<AnyObject>.fromOpaque(raw).release() }
        }
        return k
    }()

    private static var queue: Queue {
        if let raw = pthread_getspecific(key) {
            return Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as! Queue
        }
        let q = Queue()
        pthread_setspecific(key, Unmanaged.passRetained(q as AnyObject).toOpaque())
        return q
    }

    /// Takes the elements out of `values` (leaving it empty) and releases them iteratively.
    static func release(_ values: inout [Value]) {
        guard values.contains(where: { $0.isContainer }) else { return }
        let q = queue
        q.pending.append(contentsOf: values)
        values.removeAll()
        if q.draining { return }
        q.draining = true
        while !q.pending.isEmpty {
            _ = q.pending.popLast()
        }
        q.draining = false
    }
}

extension Value {
    /// True for values whose release can cascade (lists, dicts, sets, tuples, instances).
    var isContainer: Bool {
        switch self {
        case .list, .dict, .set, .tuple, .instance, .function, .boundMethod: return true
        default: return false
        }
    }
}
