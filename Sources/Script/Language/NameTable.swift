/// An insertion-ordered map from names to values, tuned for the small tables of function locals,
/// instance attributes and class bodies: linear search (fast for short strings) up to a dozen
/// entries, a hash index beyond.
public struct NameTable: Sequence {
    public private(set) var keys: [String] = []
    private var values: [Value] = []
    private var index: [String: Int]? = nil
    private static let indexThreshold = 12

    public init() {}

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    @inline(__always)
    private func find(_ key: String) -> Int? {
        if let index { return index[key] }
        var i = 0
        let n = keys.count
        while i < n {
            if keys[i] == key { return i }
            i += 1
        }
        return nil
    }

    public subscript(_ key: String) -> Value? {
        get {
            guard let i = find(key) else { return nil }
            return values[i]
        }
        set {
            if let v = newValue {
                if let i = find(key) {
                    values[i] = v
                } else {
                    keys.append(key)
                    values.append(v)
                    if index != nil {
                        index?[key] = keys.count - 1
                    } else if keys.count > NameTable.indexThreshold {
                        rebuildIndex()
                    }
                }
            } else {
                _ = removeValue(forKey: key)
            }
        }
    }

    @discardableResult
    public mutating func removeValue(forKey key: String) -> Value? {
        guard let i = find(key) else { return nil }
        keys.remove(at: i)
        let v = values.remove(at: i)
        if index != nil { rebuildIndex() }
        return v
    }

    /// Removes everything, handing the values to the caller (for iterative release).
    mutating func takeValues() -> [Value] {
        let v = values
        keys = []
        values = []
        index = nil
        return v
    }

    private mutating func rebuildIndex() {
        guard keys.count > NameTable.indexThreshold else {
            index = nil
            return
        }
        var d = [String: Int](minimumCapacity: keys.count * 2)
        for (i, k) in keys.enumerated() { d[k] = i }
        index = d
    }

    public func makeIterator() -> AnyIterator<(key: String, value: Value)> {
        var i = 0
        let keys = self.keys
        let values = self.values
        return AnyIterator {
            guard i < keys.count else { return nil }
            defer { i += 1 }
            return (key: keys[i], value: values[i])
        }
    }
}
