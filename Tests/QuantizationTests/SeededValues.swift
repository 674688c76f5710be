/// A fixed sequence of floats in [-1, 1) (a 64-bit linear congruential generator, top 24 bits), so the kernel
/// tests draw the same inputs on every machine.
struct SeededValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
}
