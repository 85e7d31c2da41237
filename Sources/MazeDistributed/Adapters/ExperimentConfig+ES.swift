import MazeCore
import MazePerception
import MazeTrain

extension ExperimentConfig {
    /// Whether the experiment trains with Evolution Strategies (`algorithm=es`, docs/ES.md) rather than an
    /// actor-critic algorithm.
    public var isEvolutionStrategies: Bool { algorithmName == "es" }

    /// `algorithm: es` with the runner's `n_eval_rollouts` and `shared_noise_table_size` (`es-local.yaml`).
    func esSettings() throws -> ESSettings {
        try ESSettings(algorithm: root.section("algorithm"), runner: root.section("runner"))
    }

    /// The model recipe ES trains: the policy of the `model` section (a `critic` there is refused by name).
    func esPolicyRecipe() throws -> ModelRecipe {
        try components.perception().policyRecipe(model: root.section("model"))
    }

    /// Reads the algorithm section as the learner will (ES settings, or the actor-critic algorithm), so that a
    /// submitter fails before the config is queued.
    public func checkAlgorithm() throws {
        if isEvolutionStrategies {
            _ = try esSettings()
        } else {
            _ = try algorithm()
        }
    }
}

extension ExperimentConfig {
    /// The learner's check of an ES experiment before it is queued: its settings, its policy's model section and
    /// the memory estimate of its networks against `memoryBudget` (the noise table, at most
    /// ``ESSettings/maximumNoiseTableSize`` floats, is not counted, as for `runner=dev`).
    func checkEvolutionStrategies(memoryBudget: MemoryBudget) throws {
        _ = try esSettings()
        let recipe = try esPolicyRecipe()
        let env = try makeEnv()
        try memoryBudget.check(
            TrainingMemoryEstimate(
                recipe: recipe, observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces,
                rolloutRows: 1, heldRollouts: 1))
    }
}
