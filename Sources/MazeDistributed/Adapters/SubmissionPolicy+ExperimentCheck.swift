import MazeService
import MazeTrain

extension SubmissionPolicy {
    /// The check of an experiment (`ExperimentLearner`): reads the config as the learner builds it
    /// (naming envs and models from `components`),
    /// checks every setting's range (`SettingRanges`) and the memory estimate of its networks, of the
    /// learner's queue (`queue_out_of_sync_factor × actors_batch_size` rollouts) and of SAC's replay buffer
    /// (`replay_buffer_size` transitions) against `memoryBudget`. The env is built once for its spaces; the networks
    /// are not built.
    public static func experimentCheck(
        memoryBudget: MemoryBudget, queueOutOfSyncFactor: Int, components: MazeComponents = .builtIn
    ) -> @Sendable (String, String?) throws -> Void {
        { yaml, name in
            let config = try ExperimentConfig(yaml: yaml, algorithm: name, components: components)
            if config.isEvolutionStrategies { return try config.checkEvolutionStrategies(memoryBudget: memoryBudget) }
            let algorithm = try config.algorithm()
            let recipe = try config.modelRecipe()
            let batchesPerUpdate = try config.batchesPerUpdate()
            let env = try config.makeEnv()
            let estimate = TrainingMemoryEstimate(
                recipe: recipe, observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces,
                rolloutRows: algorithm.common.nRolloutSteps,
                heldRollouts: TrainingMemoryEstimate.multiply(max(1, queueOutOfSyncFactor), batchesPerUpdate),
                replayBufferBytes: try (algorithm as? SoftActorCritic)?.replayBufferBytes(for: env) ?? 0)
            try memoryBudget.check(estimate)
        }
    }
}
