/// The shared state of the vector environments: the envs and their buffers.
///
/// Stepping a range of envs only touches those envs' rows, which is what lets the threaded vector
/// environment hand disjoint ranges to different threads. That discipline (one thread per env range,
/// buffers accessed through ``Buffers`` only while a call runs) is what the unchecked `Sendable` relies on.
final class EnvBatch: @unchecked Sendable {
    let envs: [any StructuredEnv]
    let observationSpace: DictSpace
    let actionSpace: DictSpace
    let observationWidth: Int
    let actionWidth: Int
    var observations: [Float]
    var finalObservations: [Float]
    var actions: [Float]
    var rewards: [Float]
    var terminated: [Bool]
    var truncated: [Bool]
    /// The envs whose steps start in batches (``BatchSteppedEnv``); none for in-process envs.
    private let batchStepped: BatchSteppedMembers

    init(envs: [any StructuredEnv]) throws(MazeError) {
        guard let first = envs.first else { throw .invalidConfiguration("a vector env needs at least one env") }
        let view = try FlatEnvView(first)
        for env in envs.dropFirst() {
            let other = try FlatEnvView(env)
            guard other.observationSpace == view.observationSpace, other.actionSpace == view.actionSpace else {
                throw .invalidConfiguration("all envs of a vector env must have the same spaces")
            }
        }
        self.envs = envs
        observationSpace = view.observationSpace
        actionSpace = view.actionSpace
        observationWidth = observationSpace.flatCount
        actionWidth = actionSpace.flatCount
        observations = [Float](repeating: 0, count: envs.count * observationWidth)
        finalObservations = observations
        actions = [Float](repeating: 0, count: envs.count * actionWidth)
        rewards = [Float](repeating: 0, count: envs.count)
        terminated = [Bool](repeating: false, count: envs.count)
        truncated = terminated
        batchStepped = BatchSteppedMembers(envs)
    }

    /// Stages the action rows of the batch-stepped envs and starts their steps, one call per group; a no-op
    /// for in-process envs. Called once per vector step, before the envs are stepped (on any thread).
    func stepBatchSteppedEnvs() throws {
        try actions.withUnsafeBufferPointer { try batchStepped.step(actions: $0, width: actionWidth) }
    }

    func seedAll(_ seed: UInt64) {
        var random = MazeRandom(seed: seed)
        for env in envs { env.seed(random.nextSeed()) }
    }

    /// Raw views of the buffers, valid for the duration of one ``withBuffers(_:)`` call.
    struct Buffers: @unchecked Sendable {
        // Sendable because each thread only touches the rows of its own env range.
        let observations: UnsafeMutableBufferPointer<Float>
        let finalObservations: UnsafeMutableBufferPointer<Float>
        let actions: UnsafeBufferPointer<Float>
        let rewards: UnsafeMutableBufferPointer<Float>
        let terminated: UnsafeMutableBufferPointer<Bool>
        let truncated: UnsafeMutableBufferPointer<Bool>
    }

    func withBuffers<R>(_ body: (Buffers) throws -> R) rethrows -> R {
        try observations.withUnsafeMutableBufferPointer { observations in
            try finalObservations.withUnsafeMutableBufferPointer { finals in
                try actions.withUnsafeBufferPointer { actions in
                    try rewards.withUnsafeMutableBufferPointer { rewards in
                        try terminated.withUnsafeMutableBufferPointer { terminated in
                            try truncated.withUnsafeMutableBufferPointer { truncated in
                                try body(
                                    Buffers(
                                        observations: observations, finalObservations: finals, actions: actions,
                                        rewards: rewards, terminated: terminated, truncated: truncated))
                            }
                        }
                    }
                }
            }
        }
    }

    private func observationRow(_ buffer: UnsafeMutableBufferPointer<Float>, _ index: Int)
        -> UnsafeMutableBufferPointer<Float>
    {
        UnsafeMutableBufferPointer(rebasing: buffer[index * observationWidth..<(index + 1) * observationWidth])
    }

    func reset(_ range: Range<Int>, _ buffers: Buffers) throws {
        for index in range {
            try envs[index].reset(observationInto: observationRow(buffers.observations, index))
            buffers.rewards[index] = 0
            buffers.terminated[index] = false
            buffers.truncated[index] = false
        }
    }

    func step(_ range: Range<Int>, _ buffers: Buffers) throws {
        for index in range {
            let action = UnsafeBufferPointer(rebasing: buffers.actions[index * actionWidth..<(index + 1) * actionWidth])
            let row = observationRow(buffers.observations, index)
            let outcome = try envs[index].step(flatAction: action, observationInto: row)
            buffers.rewards[index] = Float(outcome.reward)
            buffers.terminated[index] = outcome.terminated
            buffers.truncated[index] = outcome.truncated
            if outcome.done {
                let finalRow = observationRow(buffers.finalObservations, index)
                for offset in 0..<observationWidth { finalRow[offset] = row[offset] }
                try envs[index].reset(observationInto: row)
            }
        }
    }
}
