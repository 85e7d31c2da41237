import MazeCore

/// SAC's replay buffer: the last `capacity` transitions `(s, a, r, s′, terminated)` in preallocated
/// flat arrays, overwritten oldest first, sampled uniformly with replacement.
///
/// Memory bound: `capacity × (4 · (2 · observationWidth + actionWidth + 1) + 1)` bytes, fixed at
/// creation. A buffer above ``memoryBudget`` is refused with an error naming `replay_buffer_size`, so
/// a config cannot exhaust the machine hours into a run. Values only; not shared between threads.
struct ReplayBuffer: Sendable {
    /// The largest buffer a run may allocate: 4 GiB.
    static let memoryBudget = 4 << 30

    let capacity: Int
    let observationWidth: Int
    let actionWidth: Int
    /// Transitions stored so far (at most `capacity`).
    private(set) var count = 0
    private var next = 0
    private var observations: [Float]
    private var successorObservations: [Float]
    private var actions: [Float]
    private var rewards: [Float]
    private var terminated: [Bool]

    /// Bytes a buffer of these sizes holds, or `nil` when the product overflows.
    static func bytes(capacity: Int, observationWidth: Int, actionWidth: Int) -> Int? {
        let (floats, o1) = (2 * observationWidth).addingReportingOverflow(actionWidth + 1)
        let (perRow, o2) = floats.multipliedReportingOverflow(by: 4)
        let (total, o3) = (perRow + 1).multipliedReportingOverflow(by: capacity)
        return o1 || o2 || o3 ? nil : total
    }

    /// The bytes of a buffer of these sizes, checked against ``memoryBudget``; `key` names the setting that chose
    /// `capacity`, for the error.
    static func checkedBytes(
        capacity: Int, observationWidth: Int, actionWidth: Int, key: String = "algorithm.replay_buffer_size"
    ) throws -> Int {
        guard capacity > 0, observationWidth > 0, actionWidth > 0 else {
            throw TrainError.invalidSetting(key: key, problem: "needs a positive size, got \(capacity)")
        }
        guard let bytes = Self.bytes(capacity: capacity, observationWidth: observationWidth, actionWidth: actionWidth),
            bytes <= Self.memoryBudget
        else {
            throw TrainError.invalidSetting(
                key: key,
                problem:
                    "\(capacity) transitions of \(observationWidth) observation and \(actionWidth) action floats exceed "
                    + "the replay buffer's memory budget of \(Self.memoryBudget >> 20) MiB; lower it")
        }
        return bytes
    }

    /// An empty buffer; `key` names the setting that chose `capacity`, for the error.
    init(capacity: Int, observationWidth: Int, actionWidth: Int, key: String = "algorithm.replay_buffer_size")
        throws
    {
        _ = try Self.checkedBytes(
            capacity: capacity, observationWidth: observationWidth, actionWidth: actionWidth, key: key)
        self.capacity = capacity
        self.observationWidth = observationWidth
        self.actionWidth = actionWidth
        observations = [Float](repeating: 0, count: capacity * observationWidth)
        successorObservations = observations
        actions = [Float](repeating: 0, count: capacity * actionWidth)
        rewards = [Float](repeating: 0, count: capacity)
        terminated = [Bool](repeating: false, count: capacity)
    }

    /// Appends every row of a rollout (its successor observations are the `s′`).
    mutating func append(_ rollout: RolloutBuffer) throws {
        guard rollout.observationWidth == observationWidth, rollout.actionWidth == actionWidth else {
            throw TrainError.shapeMismatch(
                "rollout rows (\(rollout.observationWidth), \(rollout.actionWidth)) do not fit the replay buffer's (\(observationWidth), \(actionWidth))"
            )
        }
        for row in 0..<rollout.count {
            let slot = next
            observations.replaceSubrange(
                slot * observationWidth..<(slot + 1) * observationWidth,
                with: rollout.observations[row * observationWidth..<(row + 1) * observationWidth])
            successorObservations.replaceSubrange(
                slot * observationWidth..<(slot + 1) * observationWidth,
                with: rollout.successorObservations[row * observationWidth..<(row + 1) * observationWidth])
            actions.replaceSubrange(
                slot * actionWidth..<(slot + 1) * actionWidth,
                with: rollout.actions[row * actionWidth..<(row + 1) * actionWidth])
            rewards[slot] = rollout.rewards[row]
            terminated[slot] = rollout.terminated[row]
            next = (next + 1) % capacity
            count = min(count + 1, capacity)
        }
    }

    /// `size` transitions drawn uniformly with replacement.
    func sample(_ size: Int, random: inout MazeRandom) -> TransitionBatch {
        let rows = (0..<size).map { _ in random.nextInt(below: count) }
        var batch = TransitionBatch(size: size, observationWidth: observationWidth, actionWidth: actionWidth)
        for row in rows {
            batch.observations += observations[row * observationWidth..<(row + 1) * observationWidth]
            batch.successorObservations += successorObservations[row * observationWidth..<(row + 1) * observationWidth]
            batch.actions += actions[row * actionWidth..<(row + 1) * actionWidth]
            batch.rewards.append(rewards[row])
            batch.terminated.append(terminated[row])
        }
        return batch
    }
}

/// A minibatch of transitions in flat row-major arrays.
struct TransitionBatch: Sendable {
    let size: Int
    let observationWidth: Int
    let actionWidth: Int
    var observations: [Float] = []
    var successorObservations: [Float] = []
    var actions: [Float] = []
    var rewards: [Float] = []
    var terminated: [Bool] = []

    init(size: Int, observationWidth: Int, actionWidth: Int) {
        self.size = size
        self.observationWidth = observationWidth
        self.actionWidth = actionWidth
        observations.reserveCapacity(size * observationWidth)
        successorObservations.reserveCapacity(size * observationWidth)
        actions.reserveCapacity(size * actionWidth)
    }
}
