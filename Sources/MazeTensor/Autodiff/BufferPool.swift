/// Buffers kept from one forward/backward pass for the next, so that a learner's hot loop stops allocating after its
/// first iteration: `Float` scalars for values and gradients, `Int` offsets that operations save for their backward
/// step.
///
/// A recycled buffer may still be shared with a tensor the caller kept; writing into it then copies
/// (copy-on-write), so reuse is an optimisation that can never change a value someone holds.
///
/// Buffers of one size sit in a bucket of an array, found through a dictionary that is only read once the sizes are
/// known: mutating a dictionary's value in place goes through a coroutine that allocates its frame.
struct BufferPool<Element: Numeric> {
    /// Buffers kept per size; beyond this many of one size the rest are released.
    private static var buffersPerSize: Int { 64 }
    /// The bucket of each buffer size seen so far.
    private var bucketOfSize: [Int: Int] = [:]
    private var buckets: [[[Element]]] = []
    /// Buffers `take` had to allocate, over the pool's lifetime.
    private(set) var allocations = 0

    /// A buffer of `count` scalars with unspecified contents: the caller overwrites every element.
    mutating func take(count: Int) -> [Element] {
        if let bucket = bucketOfSize[count], let buffer = buckets[bucket].popLast() {
            return buffer
        }
        allocations += 1
        return [Element](repeating: 0, count: count)
    }

    /// A buffer of `count` zeros.
    mutating func takeZeroed(count: Int) -> [Element] {
        var buffer = take(count: count)
        buffer.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        return buffer
    }

    mutating func recycle(_ buffer: [Element]) {
        guard !buffer.isEmpty else { return }
        let bucket: Int
        if let known = bucketOfSize[buffer.count] {
            bucket = known
        } else {
            bucket = buckets.count
            buckets.append([])
            bucketOfSize[buffer.count] = bucket
        }
        guard buckets[bucket].count < Self.buffersPerSize else { return }
        buckets[bucket].append(buffer)
    }
}
