import MazeConfig

/// How the rollout evaluator scores a policy for best-model selection (`rollout_evaluator`).
public struct EvaluatorSettings: Sendable, Equatable {
    /// Act with the distribution's mode instead of sampling.
    public var deterministic = true
    /// Episodes per evaluation.
    public var nEpisodes = 8

    public init(deterministic: Bool = true, nEpisodes: Int = 8) {
        self.deterministic = deterministic
        self.nEpisodes = nEpisodes
    }

    init(_ section: ConfigSection) throws {
        deterministic = try section.bool("deterministic", default: true)
        nEpisodes = try section.int("n_episodes", default: 8, in: 1...SettingRanges.episodes)
    }
}

/// The keys every actor-critic algorithm of Maze shares (`a2c.yaml`, `ppo.yaml`, `impala.yaml`); the
/// defaults are A2C's, the algorithm settings override the few that differ.
public struct ActorCriticSettings: Sendable, Equatable {
    /// Epochs to train; 0 trains until `patience` stops it.
    public var nEpochs = 0
    /// Updates per epoch.
    public var epochLength = 25
    /// Epochs without a better evaluation before training stops.
    public var patience = 15
    /// Epochs at the start in which only the critic is trained.
    public var criticBurnInEpochs = 0
    /// Steps per env and rollout (`T`).
    public var nRolloutSteps = 100
    /// Learning rate.
    public var lr: Float = 5e-4
    /// Linear annealing of `lr` to 0 over the training (rl-zoo's `lr: lin_<value>`, PPO only); nil keeps it constant.
    public var lrAnnealing: LinearAnnealing?
    /// Discount factor γ.
    public var gamma: Float = 0.98
    /// Weight of `policy_loss`.
    public var policyLossCoef: Float = 1
    /// Weight of `value_loss`.
    public var valueLossCoef: Float = 0.5
    /// Weight of the entropy bonus (subtracted from the loss).
    public var entropyCoef: Float = 2.5e-4
    /// Global gradient norm limit; 0 disables clipping.
    public var maxGradNorm: Float = 0
    /// The evaluator used for best-model selection.
    public var rolloutEvaluator = EvaluatorSettings()

    public init() {}

    /// Reads the shared keys; `annealable` says whether the algorithm honours `lr: lin_<value>`.
    init(_ section: ConfigSection, defaults: ActorCriticSettings, annealable: Bool = false) throws {
        nEpochs = try section.int("n_epochs", default: defaults.nEpochs, in: 0...SettingRanges.epochs)
        epochLength = try section.int(
            "epoch_length", default: defaults.epochLength, in: 1...SettingRanges.updatesPerEpoch)
        patience = try section.int("patience", default: defaults.patience, in: 0...SettingRanges.epochs)
        criticBurnInEpochs = try section.int(
            "critic_burn_in_epochs", default: defaults.criticBurnInEpochs, in: 0...SettingRanges.epochs)
        nRolloutSteps = try section.int(
            "n_rollout_steps", default: defaults.nRolloutSteps, in: 1...SettingRanges.rolloutSteps)
        let learningRate = try LinearAnnealing.read(
            section, "lr", default: defaults.lr, in: Float.leastNonzeroMagnitude...1,
            refusal: annealable ? annealingRefusal : "is supported by PPO only")
        lr = learningRate.value
        lrAnnealing = learningRate.linear ? annealing : nil
        gamma = try section.float("gamma", default: defaults.gamma, in: 0...1)
        policyLossCoef = try section.float(
            "policy_loss_coef", default: defaults.policyLossCoef, in: 0...Float.greatestFiniteMagnitude)
        valueLossCoef = try section.float(
            "value_loss_coef", default: defaults.valueLossCoef, in: 0...Float.greatestFiniteMagnitude)
        entropyCoef = try section.float(
            "entropy_coef", default: defaults.entropyCoef, in: 0...Float.greatestFiniteMagnitude)
        maxGradNorm = try section.float(
            "max_grad_norm", default: defaults.maxGradNorm, in: 0...Float.greatestFiniteMagnitude)
        rolloutEvaluator = try EvaluatorSettings(section.child("rollout_evaluator"))
        try ComputeDevice.check(section)
    }

    /// Linear annealing over this training's `n_epochs × epoch_length` updates.
    var annealing: LinearAnnealing { LinearAnnealing(updates: nEpochs * epochLength) }

    /// Why `lin_` values cannot be honoured with these settings, if they cannot.
    var annealingRefusal: String? {
        nEpochs > 0 ? nil : "needs n_epochs > 0: it anneals over the n_epochs × epoch_length updates"
    }
}

/// `algorithm: a2c`: synchronous advantage actor-critic with GAE.
public struct A2CSettings: Sendable, Equatable {
    public var common = ActorCriticSettings()
    /// GAE's λ.
    public var gaeLambda: Float = 1

    /// Maze's `a2c.yaml` defaults.
    public init() {}

    /// Reads an `algorithm` section; absent keys keep Maze's defaults.
    public init(_ section: ConfigSection) throws {
        common = try ActorCriticSettings(section, defaults: ActorCriticSettings())
        gaeLambda = try section.float("gae_lambda", default: 1, in: 0...1)
    }
}

/// `algorithm: ppo`: proximal policy optimization with the clipped surrogate objective.
public struct PPOSettings: Sendable, Equatable {
    public var common = ActorCriticSettings.ppoDefaults
    /// GAE's λ.
    public var gaeLambda: Float = 1
    /// Minibatch size of each optimization pass.
    public var batchSize = 100
    /// Passes over each rollout.
    public var nOptimizationEpochs = 4
    /// ε of the clipped surrogate: the probability ratio is kept within `[1 − ε, 1 + ε]`.
    public var clipRange: Float = 0.2
    /// Linear annealing of `clipRange` to 0 over the training (rl-zoo's `clip_range: lin_<value>`); nil keeps it
    /// constant.
    public var clipRangeAnnealing: LinearAnnealing?

    /// Maze's `ppo.yaml` defaults.
    public init() {}

    /// Reads an `algorithm` section; absent keys keep Maze's defaults.
    public init(_ section: ConfigSection) throws {
        common = try ActorCriticSettings(section, defaults: .ppoDefaults, annealable: true)
        gaeLambda = try section.float("gae_lambda", default: 1, in: 0...1)
        batchSize = try section.int("batch_size", default: 100, in: 1...SettingRanges.minibatchSize)
        nOptimizationEpochs = try section.int(
            "n_optimization_epochs", default: 4, in: 1...SettingRanges.optimizationEpochs)
        let clip = try LinearAnnealing.read(
            section, "clip_range", default: 0.2, in: 0...1, refusal: common.annealingRefusal)
        clipRange = clip.value
        clipRangeAnnealing = clip.linear ? common.annealing : nil
    }
}

/// `algorithm: impala`: importance-weighted actor-learner with V-trace targets.
public struct IMPALASettings: Sendable, Equatable {
    public var common = ActorCriticSettings.impalaDefaults
    /// The learner queue holds `queue_out_of_sync_factor × actors_batch_size` rollouts.
    public var queueOutOfSyncFactor = 1
    /// The most policy versions a rollout may lag behind the learner and still be trained on (V-trace corrects
    /// for the lag); `nil` (`~`, the default) takes Maze's bound, see `acceptedPolicyLag`.
    public var maxPolicyLag: Int?
    /// Actor rollouts combined into one learner batch.
    public var actorsBatchSize = 8
    /// Number of actors.
    public var numActors = 8
    /// ρ̄ of the value targets; `nil` (`~`) disables clipping.
    public var vtraceClipRhoThreshold: Float? = 1
    /// ρ̄ of the policy gradient; `nil` (`~`) disables clipping.
    public var vtraceClipPgRhoThreshold: Float? = 1
    /// Distinct environment seeds the actors train on.
    public var nTrainingSeeds = 100

    /// Maze's `impala.yaml` defaults.
    public init() {}

    /// Reads an `algorithm` section; absent keys keep Maze's defaults.
    public init(_ section: ConfigSection) throws {
        common = try ActorCriticSettings(section, defaults: .impalaDefaults)
        queueOutOfSyncFactor = try section.int(
            "queue_out_of_sync_factor", default: 1, in: 1...SettingRanges.queueOutOfSyncFactor)
        maxPolicyLag = try section.optionalInt("max_policy_lag", in: 0...SettingRanges.policyLag)
        actorsBatchSize = try section.int("actors_batch_size", default: 8, in: 1...SettingRanges.actorsBatchSize)
        numActors = try section.int("num_actors", default: 8, in: 1...SettingRanges.actors)
        vtraceClipRhoThreshold = try section.optionalPositive("vtrace_clip_rho_threshold", default: 1)
        vtraceClipPgRhoThreshold = try section.optionalPositive("vtrace_clip_pg_rho_threshold", default: 1)
        nTrainingSeeds = try section.int("n_training_seeds", default: 100, in: 1...SettingRanges.trainingSeeds)
    }

    /// The policy lag the learner accepts, the one source of both its staleness bound and its credit budget:
    /// `max_policy_lag` when set, else Maze's bound `queue_out_of_sync_factor + num_actors / actors_batch_size`
    /// (which the ranges of the three keys keep far from overflow).
    public var acceptedPolicyLag: Int {
        maxPolicyLag ?? queueOutOfSyncFactor + numActors / max(1, actorsBatchSize)
    }

    /// V-trace's thresholds; c̄ is fixed at 1 as in Maze and the paper's experiments.
    public var vtraceThresholds: VTrace.Thresholds {
        VTrace.Thresholds(rho: vtraceClipRhoThreshold, c: 1, pgRho: vtraceClipPgRhoThreshold)
    }
}

extension ActorCriticSettings {
    /// `ppo.yaml` differs from the shared defaults only in its learning rate.
    static var ppoDefaults: ActorCriticSettings {
        var settings = ActorCriticSettings()
        settings.lr = 2.5e-4
        return settings
    }

    /// `impala.yaml` uses a larger entropy bonus.
    static var impalaDefaults: ActorCriticSettings {
        var settings = ActorCriticSettings()
        settings.entropyCoef = 0.01
        return settings
    }
}
