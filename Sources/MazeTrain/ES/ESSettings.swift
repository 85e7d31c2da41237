import MazeConfig

/// `algorithm: es` (Maze's `es.yaml`) with the ES dev runner's `runner` keys (`es-dev.yaml`).
///
/// ES trains a policy only: there is no critic, no discount and no learning-rate key outside the optimizer. Keys
/// this implementation would not honour are refused by name: any key outside `es.yaml`, a `policy_wrapper`, an
/// optimizer other than Adam.
package struct ESSettings: Sendable, Equatable {
    /// Episodes per update (an update is one epoch, as in Maze): antithetic pairs are evaluated until at least
    /// this many episodes and ``nTimestepsPerUpdate`` env steps are done.
    package var nRolloutsPerUpdate = 10
    /// Env steps per update (0: no minimum).
    package var nTimestepsPerUpdate = 0
    /// Epochs to train; 0 trains until `patience` (or forever).
    package var nEpochs = 0
    /// Perturbed episodes are cut after this many steps; 0 lets them run to their end.
    package var maxSteps = 0
    /// Adam's step size (`optimizer.step_size`).
    package var stepSize: Float = 0.01
    /// Adam's moment decays and ε (`optimizer.beta1`, `beta2`, `epsilon`).
    package var beta1: Float = 0.9
    package var beta2: Float = 0.999
    package var epsilon: Float = 1e-8
    /// λ of the weight decay added to the gradient estimate: `−ĝ + λθ`.
    package var l2Penalty: Float = 0.005
    /// σ, the scale of the parameter perturbations `θ ± σε`.
    package var noiseStddev: Float = 0.02
    /// Epochs without a better evaluation before training stops; 0 never stops (swift-maze's addition: Maze's ES
    /// has no early stopping).
    package var patience = 0
    /// Episodes of the unperturbed policy per evaluation (`runner.n_eval_rollouts`).
    package var nEvalRollouts = 10
    /// Floats in the shared noise table (`runner.shared_noise_table_size`); the table takes 4 bytes per float.
    package var sharedNoiseTableSize = 100_000_000

    /// The largest noise table accepted: 2^28 floats, 1 GiB.
    package static let maximumNoiseTableSize = 1 << 28
    /// The keys of `es.yaml` (and `patience`).
    static let keys: Set<String> = [
        "n_rollouts_per_update", "n_timesteps_per_update", "n_epochs", "max_steps", "optimizer", "l2_penalty",
        "noise_stddev", "policy_wrapper", "patience",
    ]

    /// Maze's defaults.
    package init() {}

    /// Reads the `algorithm` section and the runner's `n_eval_rollouts` and `shared_noise_table_size`; absent keys
    /// keep Maze's defaults.
    package init(algorithm section: ConfigSection, runner: ConfigSection) throws {
        try section.refuseKeys(otherThan: Self.keys)
        nRolloutsPerUpdate = try section.int("n_rollouts_per_update", default: 10, in: 0...SettingRanges.episodes)
        nTimestepsPerUpdate = try section.int(
            "n_timesteps_per_update", default: 0, in: 0...SettingRanges.esTimestepsPerUpdate)
        guard nRolloutsPerUpdate > 0 || nTimestepsPerUpdate > 0 else {
            throw try section.section("n_rollouts_per_update")
                .invalid("n_rollouts_per_update and n_timesteps_per_update are both 0: an update would never end")
        }
        nEpochs = try section.int("n_epochs", default: 0, in: 0...SettingRanges.epochs)
        maxSteps = try section.int("max_steps", default: 0, in: 0...SettingRanges.esTimestepsPerUpdate)
        l2Penalty = try section.float("l2_penalty", default: 0.005, in: 0...Float.greatestFiniteMagnitude)
        noiseStddev = try section.float("noise_stddev", default: 0.02, in: Float.leastNonzeroMagnitude...1_000)
        patience = try section.int("patience", default: 0, in: 0...SettingRanges.epochs)
        if let wrapper = section.nonNull("policy_wrapper") {
            throw wrapper.invalid("policy wrappers are not supported: only ~ (the policy acts as trained)")
        }
        let optimizer = try section.child("optimizer")
        try optimizer.refuseKeys(otherThan: ["_target_", "step_size", "beta1", "beta2", "epsilon"])
        let target = try optimizer.string("_target_", default: "Adam")
        guard target.split(separator: ".").last == "Adam" else {
            throw try optimizer.section("_target_").invalid("only Adam is supported, got '\(target)'")
        }
        stepSize = try optimizer.float("step_size", default: 0.01, in: Float.leastNonzeroMagnitude...1)
        beta1 = try optimizer.float("beta1", default: 0.9, in: 0...1)
        beta2 = try optimizer.float("beta2", default: 0.999, in: 0...1)
        epsilon = try optimizer.float("epsilon", default: 1e-8, in: 0...1)
        nEvalRollouts = try runner.int("n_eval_rollouts", default: 10, in: 1...SettingRanges.episodes)
        sharedNoiseTableSize = try runner.int(
            "shared_noise_table_size", default: 100_000_000, in: 1...Self.maximumNoiseTableSize)
    }

    /// The session's schedule: one update per epoch, `n_epochs`, `patience`, and a deterministic evaluation of
    /// `n_eval_rollouts` episodes for best-model selection.
    package var common: ActorCriticSettings {
        var common = ActorCriticSettings()
        common.nEpochs = nEpochs
        common.epochLength = 1
        common.patience = patience
        common.lr = stepSize
        common.rolloutEvaluator = EvaluatorSettings(deterministic: true, nEpisodes: nEvalRollouts)
        return common
    }
}
