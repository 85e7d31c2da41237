import MazeConfig

/// `algorithm: sac`: Soft Actor-Critic with Maze's `sac.yaml` keys and defaults.
public struct SACSettings: Sendable, Equatable {
    /// The keys SAC shares with the other actor-critics (`n_epochs`, `epoch_length`, `patience`,
    /// `n_rollout_steps`, `lr`, `gamma`, `entropy_coef` = the fixed α, `max_grad_norm`, `rollout_evaluator`).
    public var common = ActorCriticSettings.sacDefaults
    /// Transitions per gradient step (drawn uniformly from the replay buffer).
    public var batchSize = 100
    /// Gradient steps per iteration (per collected rollout batch).
    public var numBatchesPerIter = 1
    /// Training envs stepped together.
    public var numActors = 1
    /// τ of the soft target update `ψ̄ ← τ ψ + (1 − τ) ψ̄`.
    public var tau: Float = 0.005
    /// The target networks are updated every this many gradient steps.
    public var targetUpdateInterval = 1
    /// Learn α toward the target entropy (otherwise α stays `entropy_coef`).
    public var entropyTuning = true
    /// Scales the default target entropy (see ``SoftBellman/targetEntropy(continuousDimensions:discreteCategories:multiplier:)``).
    public var targetEntropyMultiplier: Float = 1
    /// Learning rate of `log α`.
    public var entropyCoefLr: Float = 7e-4
    /// Transitions the replay buffer keeps (oldest are overwritten).
    public var replayBufferSize = 1_000_000
    /// Transitions collected with the initial sampling policy (uniformly random actions) before learning.
    public var initialBufferSize = 10_000
    /// Rollouts of `n_rollout_steps` collected per iteration.
    public var rolloutsPerIteration = 1

    /// Upper bounds of SAC's counts (far above any sensible run, far below overflow); the replay buffer's
    /// memory is bounded separately by ``ReplayBuffer/memoryBudget``.
    static let maximumBatchSize = 1_000_000
    static let maximumRepeats = 1_000
    static let maximumActors = 1_024
    static let maximumInterval = 1_000_000
    static let maximumTransitions = 1 << 32

    /// Maze's `sac.yaml` defaults.
    public init() {}

    /// Reads an `algorithm` section; absent keys keep Maze's defaults. Settings this implementation
    /// cannot honour (`device: cuda`, another `initial_sampling_policy`, whole-rollout storage) are
    /// refused with the key named rather than ignored.
    public init(_ section: ConfigSection) throws {
        let reader = SettingsReader(section: section)
        common = try ActorCriticSettings(reader, defaults: .sacDefaults)
        batchSize = try reader.int("batch_size", default: 100, in: 1...Self.maximumBatchSize)
        numBatchesPerIter = try reader.int("num_batches_per_iter", default: 1, in: 1...Self.maximumRepeats)
        numActors = try reader.int("num_actors", default: 1, in: 1...Self.maximumActors)
        tau = try reader.float("tau", default: 0.005, in: 0...1)
        targetUpdateInterval = try reader.int("target_update_interval", default: 1, in: 1...Self.maximumInterval)
        entropyTuning = try reader.bool("entropy_tuning", default: true)
        targetEntropyMultiplier = try reader.float(
            "target_entropy_multiplier", default: 1, in: -Float.greatestFiniteMagnitude...Float.greatestFiniteMagnitude)
        entropyCoefLr = try reader.float("entropy_coef_lr", default: 7e-4, in: 0...1)
        replayBufferSize = try reader.int("replay_buffer_size", default: 1_000_000, in: 1...Self.maximumTransitions)
        initialBufferSize = try reader.int("initial_buffer_size", default: 10_000, in: 0...Self.maximumTransitions)
        rolloutsPerIteration = try reader.int("rollouts_per_iteration", default: 1, in: 1...Self.maximumRepeats)
        guard try reader.bool("split_rollouts_into_transitions", default: true) else {
            throw TrainError.invalidSetting(
                key: reader.qualified("split_rollouts_into_transitions"),
                problem: "only true is supported: the replay buffer stores single transitions")
        }
        if section.contains("device"), case let device = try section.string("device"), device != "cpu" {
            throw TrainError.invalidSetting(key: reader.qualified("device"), problem: "only cpu is supported, got '\(device)'")
        }
        if section.contains("initial_sampling_policy") {
            let policy = try reader.child("initial_sampling_policy")
            let target = policy.section.contains("_target_") ? try policy.section.string("_target_") : "RandomPolicy"
            guard target.hasSuffix("RandomPolicy") else {
                throw TrainError.invalidSetting(
                    key: reader.qualified("initial_sampling_policy._target_"),
                    problem: "only RandomPolicy (uniform random actions) is supported, got '\(target)'")
            }
        }
    }
}

extension ActorCriticSettings {
    /// `sac.yaml`: one step per rollout, lr 1e-3, α = 0.2, γ = 0.99, 100 updates per epoch, patience 50.
    static var sacDefaults: ActorCriticSettings {
        var settings = ActorCriticSettings()
        settings.nRolloutSteps = 1
        settings.lr = 1e-3
        settings.entropyCoef = 0.2
        settings.gamma = 0.99
        settings.epochLength = 100
        settings.patience = 50
        return settings
    }
}
