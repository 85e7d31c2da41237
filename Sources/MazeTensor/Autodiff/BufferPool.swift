/// Scalar buffers kept from one forward/backward pass for the next, so that a learner's hot loop
/// stops allocating after its first iteration.
///
/// A recycled buffer may still be shared with a tensor the caller kept; writing into it then copies
/// (copy-on-write), so reuse is an optimisation that can never change a value someone holds.
struct BufferPool {
    /// Buffers kept per size; beyond this many of one size the rest are released.
    private static let buffersPerSize = 64
    private var free: [Int: [[Float]]] = [:]
    /// Buffers `take` had to allocate, over the pool's lifetime.
    private(set) var allocations = 0

    /// A buffer of `count` scalars with unspecified contents: the caller overwrites every element.
    mutating func take(count: Int) -> [Float] {
        if let buffer = free[count]?.popLast() {
            return buffer
        }
        allocations += 1
        return [Float](repeating: 0, count: count)
    }

    /// A buffer of `count` zeros.
    mutating func takeZeroed(count: Int) -> [Float] {
        var buffer = take(count: count)
        buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        return buffer
    }

    mutating func recycle(_ buffer: [Float]) {
        guard !buffer.isEmpty, free[buffer.count, default: []].count < Self.buffersPerSize else { return }
        free[buffer.count, default: []].append(buffer)
    }
}
