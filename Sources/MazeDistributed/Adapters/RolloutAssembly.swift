import MazeService
import MazeTrain
import MazeWire

/// Stacks trajectory batches of `T` steps side by side into one learner `RolloutBuffer` of `T` steps and
/// `ΣB` envs, the layout the trainers expect (row `t · ΣB + b`).
///
/// The successor of a step is the next step's observation, or, where the episode ended, the batch's
/// `final_observation` row (the next observation is already the next episode's first); batches without that
/// tensor bootstrap truncated steps from the next episode's first state.
///
/// Batches of a structured env (`sub_steps` S) become the buffer the dev runner's structured collector fills:
/// one row per cycle, the sub-steps' observations and actions side by side (zeros for sub-steps the cycle did not
/// play), rewards and log-probabilities summed over the cycle, the end flags of its last played sub-step, and the
/// first sub-step's successor observation (see `SubStepColumns`).
enum RolloutAssembly {
    static func buffer(from batches: [TrajectoryBatch]) throws -> RolloutBuffer {
        guard let first = batches.first else { throw AdapterError.incompatibleBatches("no batches") }
        if let subSteps = first.subSteps { return try cycleBuffer(from: batches, subSteps: subSteps) }
        let steps = first.steps
        let observationWidth = try featureWidth(first.observations, ActorCriticActingPolicy.observationKey)
        let actionWidth = try featureWidth(first.actions, ActorCriticActingPolicy.actionKey)
        let columns = try batches.map { batch in
            guard batch.steps == steps, batch.subSteps == nil,
                try featureWidth(batch.observations, ActorCriticActingPolicy.observationKey) == observationWidth,
                try featureWidth(batch.actions, ActorCriticActingPolicy.actionKey) == actionWidth
            else {
                throw AdapterError.incompatibleBatches(
                    "batch from \(batch.actorID) has \(batch.steps) steps, the first has \(steps), or different widths")
            }
            return try Columns(batch)
        }
        var buffer = try RolloutBuffer(
            stepCount: steps, envCount: batches.reduce(0) { $0 + $1.envs }, observationWidth: observationWidth,
            actionWidth: actionWidth)
        for step in 0..<steps {
            var (observations, successors, actions, logProbs) = ([Float](), [Float](), [Float](), [Float]())
            var (rewards, terminated, truncated) = ([Float](), [Bool](), [Bool]())
            for column in columns {
                let envs = column.envs
                observations +=
                    column.observations[step * envs * observationWidth..<(step + 1) * envs * observationWidth]
                successors += column.successors(step: step, width: observationWidth)
                actions += column.actions[step * envs * actionWidth..<(step + 1) * envs * actionWidth]
                logProbs += column.logProbs[step * envs..<(step + 1) * envs]
                rewards += column.rewards[step * envs..<(step + 1) * envs]
                terminated += column.terminated[step * envs..<(step + 1) * envs]
                truncated += column.truncated[step * envs..<(step + 1) * envs]
            }
            buffer.recordDecision(step: step, observations: observations, actions: actions, logProbs: logProbs)
            buffer.recordOutcome(
                step: step, rewards: rewards, terminated: terminated, truncated: truncated, successors: successors)
        }
        try recordInitialStates(of: batches, into: &buffer)
        return buffer
    }

    /// The cycle rows of structured batches of `subSteps` sub-steps.
    private static func cycleBuffer(from batches: [TrajectoryBatch], subSteps: Int) throws -> RolloutBuffer {
        let first = batches[0]
        let widths = try SubStepColumns.Widths(first, subSteps: subSteps)
        let columns = try batches.map { batch in
            guard batch.steps == first.steps, batch.subSteps == subSteps,
                try SubStepColumns.Widths(batch, subSteps: subSteps) == widths
            else {
                let count = batch.subSteps.map(String.init) ?? "no"
                throw AdapterError.incompatibleBatches(
                    "batch from \(batch.actorID) has \(batch.steps) steps of \(count) sub-steps, "
                        + "the first has \(first.steps) of \(subSteps), or different widths")
            }
            return try SubStepColumns(batch, widths: widths)
        }
        var buffer = try RolloutBuffer(
            stepCount: first.steps, envCount: batches.reduce(0) { $0 + $1.envs }, observationWidth: widths.observation,
            actionWidth: widths.action)
        for step in 0..<first.steps {
            var rows = CycleRows()
            for column in columns { column.append(step: step, to: &rows) }
            buffer.recordDecision(
                step: step, observations: rows.observations, actions: rows.actions, logProbs: rows.logProbs)
            buffer.recordOutcome(
                step: step, rewards: rows.rewards, terminated: rows.terminated, truncated: rows.truncated,
                successors: rows.successors)
        }
        return buffer
    }

    /// Floats per row of tensor `name`: the product of the dimensions after `[T(+1), B]`.
    static func featureWidth(_ tensors: [String: WireTensor], _ name: String) throws -> Int {
        guard let tensor = tensors[name], tensor.dtype == .float32 else {
            throw AdapterError.incompatibleBatches("no f4 tensor '\(name)' (the service's actors send '\(name)')")
        }
        guard let width = WireTensor.checkedProduct(tensor.shape.dropFirst(2)) else {
            throw AdapterError.incompatibleBatches(
                "'\(name)' has feature dimensions \(Array(tensor.shape.dropFirst(2))) whose product overflows")
        }
        return width
    }

    /// One batch's tensors decoded to flat arrays.
    private struct Columns {
        let envs: Int
        let observations: [Float]
        let finals: [Float]?
        let actions: [Float]
        let logProbs: [Float]
        let rewards: [Float]
        let terminated: [Bool]
        let truncated: [Bool]

        init(_ batch: TrajectoryBatch) throws {
            envs = batch.envs
            observations = try batch.observations[ActorCriticActingPolicy.observationKey]?.values(as: Float.self) ?? []
            finals = try batch.observations[ActorCriticActingPolicy.finalObservationKey]?.values(as: Float.self)
            actions = try batch.actions[ActorCriticActingPolicy.actionKey]?.values(as: Float.self) ?? []
            logProbs = try batch.behaviourLogProbs.values()
            rewards = try batch.rewards.values()
            terminated = try batch.terminated.bools()
            truncated = try batch.truncated.bools()
        }

        /// Row `t+1` of the observations, with the final observation for every env whose episode ended at `t`.
        func successors(step: Int, width: Int) -> [Float] {
            let start = (step + 1) * envs * width
            var rows = Array(observations[start..<start + envs * width])
            guard let finals, finals.count == observations.count else { return rows }
            for env in 0..<envs where terminated[step * envs + env] || truncated[step * envs + env] {
                let offset = env * width
                rows.replaceSubrange(offset..<offset + width, with: finals[start + offset..<start + offset + width])
            }
            return rows
        }
    }

    /// One step's cycle rows of every env, for `RolloutBuffer.recordDecision` and `recordOutcome`.
    struct CycleRows {
        var observations: [Float] = []
        var successors: [Float] = []
        var actions: [Float] = []
        var logProbs: [Float] = []
        var rewards: [Float] = []
        var terminated: [Bool] = []
        var truncated: [Bool] = []
    }
}
