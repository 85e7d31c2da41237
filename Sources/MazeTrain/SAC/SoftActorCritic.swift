import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeTensor
import Synchronization

/// Soft Actor-Critic (Haarnoja et al. 2018, "Soft Actor-Critic: Off-Policy Maximum Entropy Deep RL
/// with a Stochastic Actor", Algorithm 1) with the automatic temperature of Haarnoja et al. 2018b
/// ("Soft Actor-Critic Algorithms and Applications", Algorithm 1) and the discrete form of
/// Christodoulou 2019.
///
/// Every rollout the runner collects goes into the replay buffer 𝒟; once 𝒟 holds
/// `initial_buffer_size` transitions (collected with uniformly random actions before the first epoch,
/// see ``initialRandomSteps``, or seeded from demonstrations, ``seedReplayBuffer(with:)``), every `rollouts_per_iteration` rollouts are followed by
/// `num_batches_per_iter` gradient steps:
///
///     y(r, s′, d)  = r + γ (1 − d) (min_i Q_θ̄ᵢ(s′, ã′) − α log π_φ(ã′|s′)),   ã′ ~ π_φ(·|s′)
///     J_Q(θᵢ)      = E_𝒟[½ (Q_θᵢ(s, a) − y)²]
///     J_π(φ)       = E_𝒟[α log π_φ(ã|s) − min_i Q_θᵢ(s, ã)],   ã = f_φ(ε; s)
///     J(α)         = E_𝒟[−α (log π_φ(ã|s) + H̄)],   H̄ = target_entropy_multiplier × Maze's default
///     θ̄ᵢ ← τ θᵢ + (1 − τ) θ̄ᵢ   every `target_update_interval` steps
///
/// Discrete actions replace the samples by exact expectations over the categories.
///
/// Threading: the learner state (𝒟, log α and its Adam, the step count) sits behind a mutex, so the
/// algorithm value can be shared like the on-policy ones; the runner calls ``update`` from one thread.
package final class SoftActorCritic: ActorCriticAlgorithm {
    package let settings: SACSettings
    package var common: ActorCriticSettings { settings.common }
    /// Rows the learner processes per collected row: `num_batches_per_iter × batch_size` per rollout of
    /// `n_rollout_steps × num_actors` rows.
    package var passesPerRollout: Int {
        max(1, settings.numBatchesPerIter * settings.batchSize / max(1, common.nRolloutSteps * settings.numActors))
    }
    /// `initial_buffer_size`, or none when demonstrations seeded 𝒟 (SACfD).
    package var initialRandomSteps: Int { state.withLock { $0.demonstrations } > 0 ? 0 : settings.initialBufferSize }
    /// `initial_sampling_policy.action_repeat`.
    package var initialRandomActionRepeat: Int { settings.initialSamplingActionRepeat }

    /// What SAC keeps between updates.
    struct LearnerState {
        /// 𝒟, created with the first rollout's (or the demonstrations') row widths.
        var replay: ReplayBuffer?
        /// Transitions 𝒟 was seeded with from demonstrations (SACfD); learning then starts at the first rollout.
        var demonstrations = 0
        /// Whether θ̄ has been set to θ (at the first update).
        var targetsInitialized = false
        /// log α and its optimizer (`entropy_coef_lr`).
        var temperature: ParameterStore
        var temperatureOptimizer: Adam
        /// Gradient steps taken, for `target_update_interval`.
        var gradientSteps = 0
        /// Rollouts added since the last gradient steps, for `rollouts_per_iteration` (the dev runner).
        var pendingRollouts = 0
        /// Gradient steps owed to the env steps added so far, in parts of ``gradientStepsPerEnvStep``'s
        /// denominator, less those taken (the learner service).
        var owedStepParts = 0
    }

    private let state: Mutex<LearnerState>

    package init(_ settings: SACSettings = SACSettings()) {
        self.settings = settings
        let logAlpha = Foundation.log(max(settings.common.entropyCoef, .leastNormalMagnitude))
        state = Mutex(
            LearnerState(
                temperature: ParameterStore(["log_alpha": Tensor([logAlpha])]),
                temperatureOptimizer: Adam(learningRate: .constant(settings.entropyCoefLr))))
    }

    /// α: learned (`entropy_tuning`) or fixed at `entropy_coef`.
    var alpha: Float {
        state.withLock { Foundation.exp($0.temperature["log_alpha"]?.scalars.first ?? 0) }
    }

    /// Transitions in the replay buffer.
    package var replayCount: Int { state.withLock { $0.replay?.count ?? 0 } }

    /// Gradient steps taken so far.
    package var gradientStepCount: Int { state.withLock { $0.gradientSteps } }

    /// Transitions the replay buffer was seeded with from demonstrations.
    package var demonstrationCount: Int { state.withLock { $0.demonstrations } }

    /// SACfD: fills 𝒟 with `demonstrations` (see ``DemonstrationTransitions``) before training, instead of
    /// `initial_buffer_size` random steps; gradient steps then start with the first rollout. More demonstrations
    /// than `replay_buffer_size` keep the last ones.
    package func seedReplayBuffer(with demonstrations: RolloutBuffer) throws {
        try state.withLock { state in
            if state.replay == nil {
                state.replay = try ReplayBuffer(
                    capacity: settings.replayBufferSize, observationWidth: demonstrations.observationWidth,
                    actionWidth: demonstrations.actionWidth)
            }
            try state.replay?.append(demonstrations)
            state.demonstrations += demonstrations.count
        }
    }

    /// SACfD from `runner.initial_demonstration_trajectories`: reads the recorded trajectories (checked against the
    /// env's spaces, see ``DemonstrationTransitions``) into 𝒟 and returns how many transitions they gave.
    package func seedReplayBuffer(
        from demonstrations: SACRunnerSettings.Demonstrations, observationSpace: DictSpace, actionSpace: DictSpace
    ) throws -> Int {
        let transitions = try DemonstrationTransitions.load(
            demonstrations, observationSpace: observationSpace, actionSpace: actionSpace)
        try seedReplayBuffer(with: transitions)
        return transitions.count
    }

    /// Adds `rollout` to 𝒟 and, once 𝒟 is filled to `initial_buffer_size`, takes `num_batches_per_iter`
    /// gradient steps every `rollouts_per_iteration` rollouts (the dev runner). `trainPolicy: false` (critic burn-in)
    /// leaves φ and α alone.
    package func update<Model: ActorCritic>(
        _ rollout: RolloutBuffer, model: inout Model, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        try update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
            statistics: &statistics, tape: tape
        ) { state, filled in
            state.pendingRollouts += 1
            guard filled, state.pendingRollouts >= settings.rolloutsPerIteration else { return 0 }
            state.pendingRollouts = 0
            return settings.numBatchesPerIter
        }
    }

    /// The learner service's update (Maze's distributed SAC): adds the transitions of `rollout`, assembled from the
    /// actors' batches, to 𝒟 and, once 𝒟 holds `initial_buffer_size` transitions, takes the gradient steps the added
    /// env steps are owed at the dev runner's rate, ``gradientStepsPerEnvStep``; a remainder carries over to the
    /// next update.
    package func updateFromActors<Model: ActorCritic>(
        _ rollout: RolloutBuffer, model: inout Model, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        let (perStep, envSteps) = (gradientStepsPerEnvStep, rollout.count)
        try update(
            rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: trainPolicy,
            statistics: &statistics, tape: tape
        ) { state, filled in
            guard filled else { return 0 }
            let (owed, overflow) = envSteps.multipliedReportingOverflow(by: perStep.numerator)
            guard !overflow, state.owedStepParts <= Int.max - owed else {
                throw TrainError.shapeMismatch("\(envSteps) env steps owe more gradient steps than can be counted")
            }
            state.owedStepParts += owed
            defer { state.owedStepParts %= perStep.denominator }
            return state.owedStepParts / perStep.denominator
        }
    }

    /// Gradient steps per env step, as a fraction: `num_batches_per_iter` every `rollouts_per_iteration` rollouts of
    /// `n_rollout_steps × num_actors` env steps, the dev runner's rate, which the learner service keeps too.
    package var gradientStepsPerEnvStep: (numerator: Int, denominator: Int) {
        (settings.numBatchesPerIter, settings.rolloutsPerIteration * common.nRolloutSteps * settings.numActors)
    }

    /// Whether 𝒟 still needs transitions of the initial sampling policy (uniformly random actions) before learning
    /// starts: fewer than ``initialRandomSteps`` in it. The learner service tells its actors so
    /// (docs/PROTOCOL.md).
    package var isFillingInitialBuffer: Bool { replayCount < initialRandomSteps }

    /// The bytes of a replay buffer of `replay_buffer_size` transitions of `env`'s observations and actions, refused
    /// by key above ``ReplayBuffer/memoryBudget``: a run's memory estimate counts it before anything is allocated.
    package func replayBufferBytes(for env: any StructuredEnv) throws -> Int {
        try ReplayBuffer.checkedBytes(
            capacity: settings.replayBufferSize,
            observationWidth: env.observationSpaces.values.map(\.flatCount).max() ?? 0,
            actionWidth: env.actionSpaces.values.map(\.flatCount).max() ?? 0)
    }

    /// Adds `rollout` to 𝒟 and takes the gradient steps `schedule` decides, given whether 𝒟 holds
    /// `initial_buffer_size` transitions (one once seeded from demonstrations).
    private func update<Model: ActorCritic>(
        _ rollout: RolloutBuffer, model: inout Model, optimizer: inout Adam, random: inout MazeRandom,
        trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape,
        schedule: (inout LearnerState, _ filled: Bool) throws -> Int
    ) throws {
        guard var sac = model as? SoftActorCriticModel else {
            throw TrainError.unsupported(
                "SAC trains a SoftActorCriticModel (policy and twin Q critics), got \(type(of: model))")
        }
        try state.withLock { state in
            if !state.targetsInitialized {
                // θ̄ᵢ ← θᵢ (Algorithm 1, line 1), here rather than at model creation so that weights resumed
                // from a checkpoint start their targets too.
                sac.targetParameters = sac.criticParameters
                state.targetsInitialized = true
            }
            if state.replay == nil {
                state.replay = try ReplayBuffer(
                    capacity: settings.replayBufferSize, observationWidth: rollout.observationWidth,
                    actionWidth: rollout.actionWidth)
            }
            try state.replay?.append(rollout)
            let initialSize = state.demonstrations > 0 ? 1 : max(settings.initialBufferSize, 1)
            guard let replay = state.replay else { return }
            let steps = try schedule(&state, replay.count >= initialSize)
            for _ in 0..<steps {
                try gradientStep(
                    replay.sample(settings.batchSize, random: &random), model: &sac, optimizer: &optimizer,
                    state: &state,
                    random: &random, trainPolicy: trainPolicy, statistics: &statistics, tape: tape)
            }
        }
        guard let updated = sac as? Model else { return }
        model = updated
    }

    /// One gradient step of Algorithm 1 on a minibatch from 𝒟.
    private func gradientStep(
        _ batch: TransitionBatch, model: inout SoftActorCriticModel, optimizer: inout Adam, state: inout LearnerState,
        random: inout MazeRandom, trainPolicy: Bool, statistics: inout LearnerStatistics, tape: Tape
    ) throws {
        let alpha =
            settings.entropyTuning
            ? Foundation.exp(state.temperature["log_alpha"]?.scalars.first ?? 0) : common.entropyCoef
        let s = try Tensor.matrix(batch.observations, width: batch.observationWidth)
        let a = try Tensor.matrix(batch.actions, width: batch.actionWidth)

        // y(r, s′, d): the soft Bellman target from the target critics, without gradient.
        let y = try softTarget(batch, model: model, alpha: alpha, random: &random)

        let bound = tape.bind(model.parameters)
        // θ seen by J_π: the same critics as constants of φ's objective (their gradient is discarded).
        let frozen = tape.bind(model.criticParameters)
        let rows = tape.constant(s)
        let logits = try model.policy.network(rows, bound)

        // J_Q(θᵢ) = E[½ (Q_θᵢ(s, a) − y)²], for both critics.
        let targets = tape.constant(Tensor(y))
        let q = try model.critics.map { critic in
            let values = try critic(observations: rows, actions: model.isDiscrete ? nil : tape.constant(a), bound)
            return model.isDiscrete
                ? try (values * tape.constant(SoftActorCriticModel.oneHot(a, count: values.shape[1]))).sum(alongAxis: 1)
                : values
        }
        let criticLoss =
            try ActorCriticLoss.valueLoss(values: q[0], targets: targets)
            + ActorCriticLoss.valueLoss(values: q[1], targets: targets)

        // J_π(φ) = E[α log π_φ(ã|s) − min Q_θ(s, ã)], and log π_φ(ã|s) for J(α).
        let (policyLoss, logProbs) =
            try model.isDiscrete
            ? discretePolicyLoss(model: model, logits: logits, observations: s, alpha: alpha)
            : continuousPolicyLoss(
                model: model, logits: logits, rows: rows, frozen: frozen, alpha: alpha, random: &random)

        let loss = try ActorCriticLoss(
            policyLoss: policyLoss, valueLoss: criticLoss, entropy: logProbs.negated().mean(), settings: lossWeights,
            trainPolicy: trainPolicy)
        try GradientStep.optimize(
            loss, evaluation: ActionEvaluation(logProbs: logProbs, entropies: logProbs.negated(), values: q[0]),
            bound: bound,
            model: &model, optimizer: &optimizer, settings: common, statistics: &statistics)

        // J(α) = E[−α (log π(ã|s) + H̄)], through log α.
        if settings.entropyTuning, trainPolicy {
            let (_, gradient) = SoftBellman.temperatureLoss(
                logAlpha: state.temperature["log_alpha"]?.scalars.first ?? 0, logProbs: logProbs.value.scalars,
                targetEntropy: model.targetEntropy(multiplier: settings.targetEntropyMultiplier))
            try state.temperatureOptimizer.update(
                &state.temperature, gradients: ParameterStore(["log_alpha": Tensor([gradient])]))
        }

        // θ̄ᵢ ← τ θᵢ + (1 − τ) θ̄ᵢ.
        state.gradientSteps += 1
        if state.gradientSteps % settings.targetUpdateInterval == 0 {
            try SoftBellman.softUpdate(&model.targetParameters, toward: model.parameters, tau: settings.tau)
        }
    }

    /// `y = r + γ (1 − d) V̄(s′)` with `V̄(s′) = min Q_θ̄(s′, ã′) − α log π(ã′|s′)`, `ã′ ~ π(·|s′)`; for Discrete
    /// actions the expectation over ã′ is exact.
    private func softTarget(
        _ batch: TransitionBatch, model: SoftActorCriticModel, alpha: Float, random: inout MazeRandom
    ) throws -> [Float] {
        let next = try Tensor.matrix(batch.successorObservations, width: batch.observationWidth)
        let logits = try model.policy.network(next, model.parameters)
        if model.isDiscrete {
            let logProbabilities = try logits.logSoftmax(alongAxis: 1)
            return try SoftBellman.discreteCriticTarget(
                rewards: batch.rewards, terminated: batch.terminated,
                targetQ1: model.critics[0](observations: next, actions: nil, model.targetParameters).scalars,
                targetQ2: model.critics[1](observations: next, actions: nil, model.targetParameters).scalars,
                nextLogProbabilities: logProbabilities.scalars, actionCount: logits.shape[1], alpha: alpha,
                gamma: common.gamma)
        }
        let nextActions = try model.policy.decide(
            logits: logits, observations: next, deterministic: false, random: &random)
        return try SoftBellman.criticTarget(
            rewards: batch.rewards, terminated: batch.terminated,
            targetQ1: model.critics[0](observations: next, actions: nextActions.actions, model.targetParameters)
                .scalars,
            targetQ2: model.critics[1](observations: next, actions: nextActions.actions, model.targetParameters)
                .scalars,
            nextLogProbs: nextActions.logProbs, alpha: alpha, gamma: common.gamma)
    }

    /// `J_π = mean(α log π_φ(ã|s) − min Q_θ(s, ã))` with the reparameterized `ã = f_φ(ε; s)`; returns `log π_φ(ã|s)` too.
    private func continuousPolicyLoss(
        model: SoftActorCriticModel, logits: Variable, rows: Variable, frozen: BoundParameters, alpha: Float,
        random: inout MazeRandom
    ) throws -> (Variable, Variable) {
        let (actions, logProbs) = try model.policy.reparameterizedSample(logits: logits, random: &random)
        let q1 = try model.critics[0](observations: rows, actions: actions, frozen)
        let q2 = try model.critics[1](observations: rows, actions: actions, frozen)
        return (try (logProbs * alpha - q1.minimum(q2)).mean(), logProbs)
    }

    /// `J_π = mean(Σₐ π(a|s) (α log π(a|s) − min Q_θ(s, a)))` (Christodoulou 2019, eq. 12); returns
    /// `Σₐ π(a|s) log π(a|s)` (= −H) as the log-probability term of J(α).
    private func discretePolicyLoss(
        model: SoftActorCriticModel, logits: Variable, observations: Tensor, alpha: Float
    ) throws -> (Variable, Variable) {
        let logProbabilities = try model.policy.categoricalLogProbabilities(logits: logits)
        let probabilities = try logProbabilities.exp()
        let minimumQ = try Tensor(
            shape: logProbabilities.shape,
            scalars: model.minimumQ(observations: observations, actions: nil, model.parameters))
        let perAction = try logProbabilities * alpha - logits.tape.constant(minimumQ)
        let expectedLogProb = try (probabilities * logProbabilities).sum(alongAxis: 1)
        return (try (probabilities * perAction).sum(alongAxis: 1).mean(), expectedLogProb)
    }

    /// SAC's loss weights in ``ActorCriticLoss``: `J_π + ½ (J_Q₁ + J_Q₂)` (the ½ of J_Q), no separate entropy bonus
    /// (α log π is inside J_π).
    private var lossWeights: ActorCriticSettings {
        var weights = common
        weights.policyLossCoef = 1
        weights.valueLossCoef = 0.5
        weights.entropyCoef = 0
        return weights
    }
}

extension SoftActorCritic {
    /// One update of the learner service is one of Maze's iterations: `rollouts_per_iteration` batches of any policy
    /// version (off-policy: 𝒟 holds transitions of many policies anyway), after which the new weights go out. The
    /// service's actors draw a new random action every step: `initial_sampling_policy.action_repeat` above 1 is
    /// refused by key.
    package func serviceNeeds(_ section: ConfigSection) throws -> ServiceNeeds {
        guard settings.initialSamplingActionRepeat == 1 else {
            throw try section.section("initial_sampling_policy").section("action_repeat").invalid(
                "held random actions are taken at runner=dev only; on the service the actors draw a new one every "
                    + "step (1)")
        }
        return ServiceNeeds(actorsBatchSize: settings.rolloutsPerIteration, staleness: .boundedLag(Int.max))
    }
}
