import Foundation

/// A seedable random source: the 32-bit Mersenne Twister (mt19937), the engine PyTorch's CPU generator uses,
/// so `rand` after `manualSeed(s)` gives the values `torch.rand` gives after `torch.manual_seed(s)`.
/// `randn` uses Box–Muller on this stream and does not reproduce PyTorch's normal values.
public final class Generator: @unchecked Sendable {
    private var state = [UInt32](repeating: 0, count: 624)
    private var index = 624
    private let lock = NSLock()

    /// The process-wide default generator (`torch.manual_seed` reseeds it).
    public static let shared = Generator(seed: 67280421310721)

    public init(seed: UInt64) { reseed(seed) }

    /// Restarts the stream from `seed` (`manual_seed`).
    public func manualSeed(_ seed: UInt64) {
        lock.lock(); defer { lock.unlock() }
        reseed(seed)
    }

    private func reseed(_ seed: UInt64) {
        state[0] = UInt32(truncatingIfNeeded: seed)
        for i in 1..<624 {
            state[i] = 1812433253 &* (state[i - 1] ^ (state[i - 1] >> 30)) &+ UInt32(i)
        }
        index = 624
    }

    private func twist() {
        for i in 0..<624 {
            let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
            var v = state[(i + 397) % 624] ^ (y >> 1)
            if y & 1 != 0 { v ^= 0x9908_B0DF }
            state[i] = v
        }
        index = 0
    }

    private func nextUnlocked() -> UInt32 {
        if index >= 624 { twist() }
        var y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// The next 32 random bits.
    public func next() -> UInt32 {
        lock.lock(); defer { lock.unlock() }
        return nextUnlocked()
    }

    /// `count` uniform floats in [0, 1) with 24 random bits each (PyTorch's float recipe).
    public func uniformFloats(_ count: Int) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        var out = [Float](repeating: 0, count: count)
        for i in 0..<count {
            out[i] = Float(nextUnlocked() & 0xFF_FFFF) * Float(1.0 / 16_777_216.0)
        }
        return out
    }

    /// `count` standard normal floats (Box–Muller).
    public func normalFloats(_ count: Int) -> [Float] {
        lock.lock(); defer { lock.unlock() }
        var out = [Float](repeating: 0, count: count)
        var i = 0
        while i < count {
            let u1 = (Double(nextUnlocked()) + 1) / 4_294_967_297.0
            let u2 = Double(nextUnlocked()) / 4_294_967_296.0
            let r = (-2 * Foundation.log(u1)).squareRoot()
            out[i] = Float(r * cos(2 * Double.pi * u2))
            if i + 1 < count { out[i + 1] = Float(r * sin(2 * Double.pi * u2)) }
            i += 2
        }
        return out
    }
}
