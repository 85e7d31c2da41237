import MazeConfig

/// `algorithm: sac`: Soft Actor-Critic with Maze's `sac.yaml` keys and defaults.
package struct SACSettings: Sendable, Equatable {
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
    /// `initial_sampling_policy.action_repeat`: each env holds a uniformly random action for this many decisions
    /// before drawing the next. Held actions explore like momentum: on MountainCarContinuous-v0 actions held for 20
    /// steps reach the goal in about 90% of the episodes, fresh actions every step in almost none.
    public var initialSamplingActionRepeat = 1
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
        common = try ActorCriticSettings(section, defaults: .sacDefaults)
        batchSize = try section.int("batch_size", default: 100, in: 1...Self.maximumBatchSize)
        numBatchesPerIter = try section.int("num_batches_per_iter", default: 1, in: 1...Self.maximumRepeats)
        numActors = try section.int("num_actors", default: 1, in: 1...Self.maximumActors)
        tau = try section.float("tau", default: 0.005, in: 0...1)
        targetUpdateInterval = try section.int("target_update_interval", default: 1, in: 1...Self.maximumInterval)
        entropyTuning = try section.bool("entropy_tuning", default: true)
        targetEntropyMultiplier = try section.float(
            "target_entropy_multiplier", default: 1, in: -Float.greatestFiniteMagnitude...Float.greatestFiniteMagnitude)
        entropyCoefLr = try section.float("entropy_coef_lr", default: 7e-4, in: 0...1)
        replayBufferSize = try section.int("replay_buffer_size", default: 1_000_000, in: 1...Self.maximumTransitions)
        initialBufferSize = try section.int("initial_buffer_size", default: 10_000, in: 0...Self.maximumTransitions)
        rolloutsPerIteration = try section.int("rollouts_per_iteration", default: 1, in: 1...Self.maximumRepeats)
        guard try section.bool("split_rollouts_into_transitions", default: true) else {
            throw try section.section("split_rollouts_into_transitions")
                .invalid("only true is supported: the replay buffer stores single transitions")
        }
        let policy = try section.child("initial_sampling_policy")
        let target = try policy.string("_target_", default: "RandomPolicy")
        guard target.hasSuffix("RandomPolicy") else {
            throw try policy.section("_target_")
                .invalid("only RandomPolicy (uniform random actions) is supported, got '\(target)'")
        }
        initialSamplingActionRepeat = try policy.int("action_repeat", default: 1, in: 1...Self.maximumInterval)
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
