import Foundation

/// Weights already converted to a primitive's layout, reused on later calls while the caller's weights are
/// byte-for-byte unchanged.
///
/// oneDNN's fast convolutions want their weights in a blocked layout (`Acdb16a`, ...); converting PyTorch's
/// OIHW on every call was 19% of the engine's time in an eager CarSegNet forward. An entry is keyed by the
/// reorder (which fixes both layouts) and the address of the plain weights, and keeps a copy of the plain
/// bytes it converted. A lookup compares the current bytes with that copy (`memcmp`, ~25 GB/s, far cheaper
/// than the reorder) and converts again on any difference, so a weight changed in place (`copy_`,
/// `load_state_dict`, `mul_`), a freed and reused address, or a different tensor never gets stale data:
/// correctness rests on the byte comparison alone, not on identities or version counters.
/// Admission: an address is cached from its second use on, so callers that build fresh weight tensors on
/// every call (the quantizer's exact integer emulation) do not fill the cache with one-off entries; their
/// first use converts into a scratch buffer, as without a cache (`converted` returns nil).
/// Memory: twice the converted weights at most; the cache is capped (`capacityBytes`) and drops its
/// least recently used entries beyond it.
final class DNNLWeightCache: @unchecked Sendable {
    /// A converted weight: immutable once made, so a caller holding it can run while others replace it.
    final class Entry {
        let snapshot: UnsafeMutableRawPointer
        let plainBytes: Int
        let converted: UnsafeMutableRawPointer
        let convertedBytes: Int
        fileprivate var lastUse: UInt64 = 0

        fileprivate init(plainBytes: Int, convertedBytes: Int) {
            self.plainBytes = plainBytes
            self.convertedBytes = convertedBytes
            snapshot = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(plainBytes, 1), alignment: 64)
            converted = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(convertedBytes, 1), alignment: 64)
        }

        deinit {
            snapshot.deallocate()
            converted.deallocate()
        }
    }

    private struct Key: Hashable {
        let reorder: ObjectIdentifier
        let address: UInt
    }

    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    /// Keys used once and not cached yet (bounded: cleared when it grows past `seenLimit`).
    private var seen = Set<Key>()
    private let seenLimit = 4096
    private var clock: UInt64 = 0
    private var totalBytes = 0
    /// Upper bound on the bytes held (snapshots plus converted weights).
    var capacityBytes = 512 << 20

    /// Lookups served from the cache, and conversions done (for tests and diagnostics).
    private(set) var hits = 0
    private(set) var conversions = 0

    /// The converted form of the `plainBytes` bytes at `plain`, converting with `reorder` when no entry
    /// holds exactly these bytes; nil on the first use of an address (the caller converts into scratch).
    /// The returned entry stays valid while the caller holds it.
    func converted(_ plain: UnsafeMutableRawPointer, plainBytes: Int, convertedBytes: Int, reorder: DNNLReorder,
                   context: DNNLContext) throws -> Entry? {
        let key = Key(reorder: ObjectIdentifier(reorder), address: UInt(bitPattern: plain))
        lock.lock()
        clock += 1
        if let e = entries[key], e.plainBytes == plainBytes, memcmp(e.snapshot, plain, plainBytes) == 0 {
            e.lastUse = clock
            hits += 1
            lock.unlock()
            return e
        }
        if entries[key] == nil && !seen.contains(key) {
            if seen.count >= seenLimit { seen.removeAll() }
            seen.insert(key)
            lock.unlock()
            return nil
        }
        seen.remove(key)
        lock.unlock()
        let entry = Entry(plainBytes: plainBytes, convertedBytes: convertedBytes)
        entry.snapshot.copyMemory(from: plain, byteCount: plainBytes)
        // Convert from the snapshot, so the converted bytes are exactly those the snapshot records even if
        // another thread writes the plain weights meanwhile.
        try reorder.run(context, from: entry.snapshot, to: entry.converted)
        lock.lock(); defer { lock.unlock() }
        conversions += 1
        clock += 1
        entry.lastUse = clock
        if let old = entries[key] { totalBytes -= old.plainBytes + old.convertedBytes }
        entries[key] = entry
        totalBytes += plainBytes + convertedBytes
        evictIfNeeded(keeping: key)
        return entry
    }

    /// Drops every entry (for tests, and for callers that want the memory back).
    func removeAll() {
        lock.lock(); defer { lock.unlock() }
        entries.removeAll()
        seen.removeAll()
        totalBytes = 0
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return entries.count }

    private func evictIfNeeded(keeping key: Key) {
        guard totalBytes > capacityBytes else { return }
        for (k, e) in entries.sorted(by: { $0.value.lastUse < $1.value.lastUse }) where k != key {
            entries[k] = nil
            totalBytes -= e.plainBytes + e.convertedBytes
            if totalBytes <= capacityBytes { return }
        }
    }
}
