import Dispatch

/// A ``VectorEnv`` that splits its environments into contiguous ranges stepped on parallel threads.
///
/// Each env is seeded exactly as in ``SequentialVectorEnv`` and only ever touches its own buffer rows,
/// so both produce identical results for the same seed.
public final class ThreadedVectorEnv: BufferedVectorEnv {
    private let ranges: [Range<Int>]

    /// `threads` worker ranges (at most one per env); fails unless the envs share their spaces.
    public init(envs: [any StructuredEnv], threads: Int) throws(MazeError) {
        guard threads >= 1 else { throw .invalidConfiguration("a threaded vector env needs at least one thread") }
        let batch = try EnvBatch(envs: envs)
        let workers = min(threads, envs.count)
        ranges = (0..<workers).map { worker in
            (worker * envs.count / workers)..<((worker + 1) * envs.count / workers)
        }
        super.init(batch: batch)
    }

    public override func reset(seed: UInt64) throws {
        batch.seedAll(seed)
        try parallel(resetting: true)
    }

    public override func step() throws {
        try parallel(resetting: false)
    }

    /// Resets or steps every range concurrently and rethrows the first error (by range order).
    private func parallel(resetting: Bool) throws {
        let errors = ErrorSlots(count: ranges.count)
        let (batch, ranges) = (batch, ranges)
        batch.withBuffers { buffers in
            DispatchQueue.concurrentPerform(iterations: ranges.count) { worker in
                do {
                    if resetting {
                        try batch.reset(ranges[worker], buffers)
                    } else {
                        try batch.step(ranges[worker], buffers)
                    }
                } catch {
                    errors.store(error, at: worker)
                }
            }
        }
        if let error = errors.first { throw error }
    }
}

/// One error slot per worker, each written by its own worker only.
private final class ErrorSlots: @unchecked Sendable {
    private var slots: [(any Error)?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func store(_ error: any Error, at index: Int) {
        slots.withUnsafeMutableBufferPointer { $0[index] = error }
    }
    var first: (any Error)? { slots.lazy.compactMap { $0 }.first }
}
