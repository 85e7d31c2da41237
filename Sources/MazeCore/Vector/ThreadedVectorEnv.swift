import Dispatch

/// A ``VectorEnv`` that splits its environments into contiguous ranges stepped on parallel threads,
/// when that is faster.
///
/// Handing a step to other threads costs microseconds (waking them and waiting for the slowest), more
/// than sixteen CartPole steps take. So the env times steps of both kinds now and then
/// (``StepScheduler``) and steps on the calling thread alone while that is faster, as it is for cheap
/// envs or on a loaded machine. Each env is seeded exactly as in ``SequentialVectorEnv`` and only ever
/// touches its own buffer rows, so both produce identical results for the same seed, whichever way
/// each step runs.
package final class ThreadedVectorEnv: BufferedVectorEnv {
    private let ranges: [Range<Int>]
    private var scheduler = StepScheduler()

    /// `threads` worker ranges (at most one per env); fails unless the envs share their spaces.
    package init(envs: [any StructuredEnv], threads: Int) throws(MazeError) {
        guard threads >= 1 else { throw .invalidConfiguration("a threaded vector env needs at least one thread") }
        let batch = try EnvBatch(envs: envs)
        let workers = min(threads, envs.count)
        ranges = (0..<workers).map { worker in
            (worker * envs.count / workers)..<((worker + 1) * envs.count / workers)
        }
        super.init(batch: batch)
    }

    /// Whether the last step ran on several threads.
    package var lastStepWasParallel: Bool { scheduler.lastChoiceWasParallel }

    package override func reset(seed: UInt64) throws {
        batch.seedAll(seed)
        try parallel(resetting: true)
    }

    package override func step() throws {
        guard ranges.count > 1 else { return try super.step() }
        try batch.stepBatchSteppedEnvs()
        let parallel = scheduler.nextStepRunsParallel()
        let start = scheduler.isTiming ? DispatchTime.now().uptimeNanoseconds : 0
        if parallel {
            try self.parallel(resetting: false)
        } else {
            try batch.withBuffers { try batch.step(0..<count, $0) }
        }
        if scheduler.isTiming {
            scheduler.record(nanoseconds: DispatchTime.now().uptimeNanoseconds - start, parallel: parallel)
        }
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

/// Decides whether vector steps run on one thread or several: it times `samples` steps of each kind
/// (alternating), picks the one with the lower median, keeps it for `interval` steps, then measures
/// again, so that the choice follows the machine's load.
struct StepScheduler {
    static let samples = 9
    static let interval = 16_384

    private var sequentialTimes: [UInt64] = []
    private var parallelTimes: [UInt64] = []
    private var stepsUntilTiming = 0
    private(set) var lastChoiceWasParallel = false
    private var preferParallel = false

    /// Whether the coming step is one of the timed ones.
    var isTiming: Bool { stepsUntilTiming == 0 }

    mutating func nextStepRunsParallel() -> Bool {
        if isTiming {
            lastChoiceWasParallel = parallelTimes.count < sequentialTimes.count
        } else {
            stepsUntilTiming -= 1
            lastChoiceWasParallel = preferParallel
        }
        return lastChoiceWasParallel
    }

    mutating func record(nanoseconds: UInt64, parallel: Bool) {
        if parallel { parallelTimes.append(nanoseconds) } else { sequentialTimes.append(nanoseconds) }
        guard parallelTimes.count == Self.samples else { return }
        let parallelMedian = Quantile.nearestRank(0.5, of: parallelTimes) ?? .max
        preferParallel = parallelMedian < Quantile.nearestRank(0.5, of: sequentialTimes) ?? .max
        sequentialTimes.removeAll(keepingCapacity: true)
        parallelTimes.removeAll(keepingCapacity: true)
        stepsUntilTiming = Self.interval
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
