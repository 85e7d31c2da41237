import MazeConfig

/// `algorithm: bc`: behavioural cloning with the keys and defaults of Maze's `BCAlgorithmConfig` (`bc.yaml`).
///
/// An epoch is one pass over the training part of the demonstrations, in minibatches of `batch_size`; every epoch
/// ends with the rollout evaluation (`n_eval_episodes`) that chooses the best model, as in Maze.
package struct BCSettings: Sendable, Equatable {
    /// Passes over the training data (`n_epochs`); 0 trains until stopped.
    package var nEpochs = 1000
    /// Adam's learning rate (`optimizer.lr`).
    package var lr: Float = 0.001
    /// Demonstrated decisions per gradient step.
    package var batchSize = 100
    /// Percentage of the demonstrations (by steps, whole episodes at a time) held out for validation.
    package var validationPercentage = 20.0
    /// Episodes of each evaluation rollout; the best model is the one with the best mean return.
    package var nEvalEpisodes = 8
    /// Weight of the entropy bonus subtracted from the loss.
    package var entropyCoef: Float = 0

    /// The optimizers `optimizer._target_` may name: Adam, which is what swift-maze's trainers step with.
    static let optimizerTargets = ["torch.optim.Adam", "Adam"]

    /// Maze's `bc.yaml` defaults.
    package init() {}

    /// Reads an `algorithm` section; absent keys keep Maze's defaults. What this implementation cannot honour is
    /// refused with the key named: another optimizer, `device: cuda`, evaluations inside an epoch
    /// (`eval_every_k_iterations` other than null) and validation-only model selection (`n_eval_episodes: 0`).
    package init(_ section: ConfigSection) throws {
        nEpochs = try section.int("n_epochs", default: 1000, in: 0...SettingRanges.epochs)
        let optimizer = try section.child("optimizer")
        try optimizer.refuseKeys(otherThan: ["_target_", "lr"])
        if let target = optimizer.nonNull("_target_"), !Self.optimizerTargets.contains(try target.string()) {
            throw target.invalid("swift-maze trains with Adam; expected one of \(Self.optimizerTargets)")
        }
        lr = try optimizer.float("lr", default: 0.001, in: 0...1)
        try ComputeDevice.check(section)
        batchSize = try section.int("batch_size", default: 100, in: 1...SettingRanges.minibatchSize)
        if let every = section.nonNull("eval_every_k_iterations") {
            throw every.invalid(
                "evaluations run at the end of every epoch (one pass over the training data); set it to null")
        }
        if let percentage = section.nonNull("validation_percentage") {
            validationPercentage = try percentage.double()
            guard (0.0..<100.0).contains(validationPercentage) else {
                throw percentage.invalid("must be at least 0 and below 100, got \(validationPercentage)")
            }
        }
        nEvalEpisodes = try section.int("n_eval_episodes", default: 8, in: 0...SettingRanges.episodes)
        guard nEvalEpisodes > 0 else {
            throw try section.section("n_eval_episodes").invalid(
                "the best model is chosen by evaluation rollouts, so at least one episode is needed")
        }
        entropyCoef = try section.float("entropy_coef", default: 0, in: 0...Float.greatestFiniteMagnitude)
    }

    /// The shared trainer settings the training session reads: `n_epochs`, the learning rate, the entropy weight,
    /// deterministic evaluation of `n_eval_episodes`, no patience (Maze's BC trains all its epochs), and epochs of
    /// `iterationsPerEpoch` minibatches.
    func common(iterationsPerEpoch: Int) -> ActorCriticSettings {
        var common = ActorCriticSettings()
        common.nEpochs = nEpochs
        common.epochLength = iterationsPerEpoch
        common.patience = 0
        common.nRolloutSteps = batchSize
        common.lr = lr
        common.entropyCoef = entropyCoef
        common.policyLossCoef = 1
        common.valueLossCoef = 0
        common.rolloutEvaluator = EvaluatorSettings(deterministic: true, nEpisodes: nEvalEpisodes)
        return common
    }
}
