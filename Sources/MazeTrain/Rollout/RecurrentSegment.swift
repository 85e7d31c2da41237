import MazeTensor

/// Whole env sequences of a rollout, as a recurrent model trains on them: the steps of some env columns in
/// time-major order (step `t` of the `i`-th chosen env is row `t · envCount + i`), the state each env carried
/// into the rollout, and where episodes ended within it, so that the model recomputes every step from the
/// segment's initial state (truncated back-propagation through time) and resets a state where its episode ended.
public struct RecurrentSegment {
    /// `T`.
    public let stepCount: Int
    /// Number of envs in the segment.
    public let envCount: Int
    /// `[T · envCount, observationWidth]`.
    public let observations: Tensor
    /// `[T · envCount, actionWidth]`.
    public let actions: Tensor
    /// `[T · envCount, observationWidth]`: each step's successor (the final observation where an episode ended).
    public let successorObservations: Tensor
    /// `[envCount, stateWidth]`: the state each env started the rollout with.
    public let initialStates: Tensor
    /// `[T · envCount]`: 0 where the env's episode ended at the step before (its state starts afresh), else 1.
    public let keep: [Float]
    /// The rollout row of each segment row.
    public let rows: [Int]

    /// The sequences of env columns `envs` (all when nil) of `rollout`, which must hold its initial states.
    public init(_ rollout: RolloutBuffer, envs chosen: [Int]? = nil) throws {
        let envs = chosen ?? Array(0..<rollout.envCount)
        let (steps, width) = (rollout.stepCount, rollout.envCount)
        guard !envs.isEmpty, envs.allSatisfy({ (0..<width).contains($0) }),
            !rollout.initialStates.isEmpty, rollout.initialStates.count % width == 0
        else {
            throw TrainError.shapeMismatch(
                "a recurrent segment needs env columns within 0..<\(width) and the rollout's initial states "
                    + "(\(rollout.initialStates.count) floats for \(width) envs)")
        }
        let stateWidth = rollout.initialStates.count / width
        rows = (0..<steps).flatMap { step in envs.map { step * width + $0 } }
        keep = (0..<steps).flatMap { step in
            envs.map { env -> Float in
                guard step > 0 else { return 1 }
                let previous = (step - 1) * width + env
                return rollout.terminated[previous] || rollout.truncated[previous] ? 0 : 1
            }
        }
        stepCount = steps
        envCount = envs.count
        observations = try .rows(rollout.observations, width: rollout.observationWidth, rows)
        actions = try .rows(rollout.actions, width: rollout.actionWidth, rows)
        successorObservations = try .rows(rollout.successorObservations, width: rollout.observationWidth, rows)
        initialStates = try .rows(rollout.initialStates, width: stateWidth, envs)
    }
}
