import MazeCore
import MazeService
import MazeTrain
import MazeWire

extension ActorCriticActingPolicy {
    /// `T` cycles of structured envs, each played sub-step by sub-step with the model's policy for that sub-step
    /// (the dev runner's `StructuredEnvBatch`), sent in the sub-step layout of docs/PROTOCOL.md 4.1.2:
    /// `observation_<k>` `[T+1, B, W_k]`, `action_<k>` `[T, B, A_k]`, the first sub-step's `final_observation`,
    /// and rewards, log-probabilities and end flags `[T, B, S]`. Sub-steps a cycle did not play are zero.
    mutating func collect(_ identity: RolloutIdentity, cycles batch: StructuredEnvBatch) throws -> TrajectoryBatch {
        let (envs, cycle, subSteps) = (batch.envs.count, batch.cycle, batch.cycle.keys.count)
        let observationWidths = cycle.observationSpaces.map(\.flatCount)
        let actionWidths = cycle.actionSpaces.map(\.flatCount)
        let (observationOffsets, actionOffsets) = (cycle.observationOffsets, cycle.actionOffsets)
        var observations = observationWidths.map { [Float](repeating: 0, count: (stepCount + 1) * envs * $0) }
        var actions = actionWidths.map { [Float](repeating: 0, count: stepCount * envs * $0) }
        var finals = [Float](repeating: 0, count: (stepCount + 1) * envs * observationWidths[0])
        var (rewards, logProbs) = ([Float](), [Float]())
        var terminated = [Bool](repeating: false, count: stepCount * envs * subSteps)
        var truncated = terminated
        var episodes: [MazeWire.EpisodeSummary] = []
        for step in 0..<stepCount {
            let decision = try batch.runCycle(model: model, deterministic: false, random: &random)
            for env in 0..<envs {
                let row = step * envs + env
                for subStep in 0..<subSteps {
                    let width = observationWidths[subStep]
                    let source = env * cycle.observationWidth + observationOffsets[subStep]
                    observations[subStep].replaceSubrange(
                        row * width..<(row + 1) * width, with: decision.observations[source..<source + width])
                    let actionWidth = actionWidths[subStep]
                    let actionSource = env * cycle.actionWidth + actionOffsets[subStep]
                    actions[subStep].replaceSubrange(
                        row * actionWidth..<(row + 1) * actionWidth,
                        with: decision.actions[actionSource..<actionSource + actionWidth])
                }
                let end = row * subSteps + decision.playedSubSteps[env] - 1
                (terminated[end], truncated[end]) = (decision.terminated[env], decision.truncated[env])
                if decision.terminated[env] || decision.truncated[env] {
                    let width = observationWidths[0]
                    let successor = env * cycle.observationWidth
                    finals.replaceSubrange(
                        (row + envs) * width..<(row + envs + 1) * width,
                        with: decision.successors[successor..<successor + width])
                }
            }
            rewards += decision.subStepRewards
            logProbs += decision.subStepLogProbs
            recordEpisodeSteps(
                rewards: decision.rewards, terminated: decision.terminated, truncated: decision.truncated,
                into: &episodes)
        }
        // The bootstrap row: where the next cycle starts.
        let width = observationWidths[0]
        observations[0].replaceSubrange(
            stepCount * envs * width..<(stepCount + 1) * envs * width, with: batch.current.joined())
        var observationTensors = [
            Self.finalObservationKey: try WireTensor(shape: [stepCount + 1, envs, width], values: finals)
        ]
        var actionTensors: [String: WireTensor] = [:]
        for subStep in 0..<subSteps {
            observationTensors[Self.observationKey(subStep: subStep)] = try WireTensor(
                shape: [stepCount + 1, envs, observationWidths[subStep]], values: observations[subStep])
            actionTensors[Self.actionKey(subStep: subStep)] = try WireTensor(
                shape: [stepCount, envs, actionWidths[subStep]], values: actions[subStep])
        }
        let stepShape = [stepCount, envs, subSteps]
        return try TrajectoryBatch(
            experimentID: identity.experimentID, actorID: identity.actorID, policyVersion: identity.policyVersion,
            steps: stepCount, envs: envs, subSteps: subSteps, observations: observationTensors, actions: actionTensors,
            rewards: WireTensor(shape: stepShape, values: rewards),
            terminated: WireTensor(shape: stepShape, bools: terminated),
            truncated: WireTensor(shape: stepShape, bools: truncated),
            behaviourLogProbs: WireTensor(shape: stepShape, values: logProbs), episodes: episodes)
    }
}
