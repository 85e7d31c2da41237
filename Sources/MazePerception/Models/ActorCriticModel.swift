import MazeConfig
import MazeCore
import MazeTensor

/// A composed actor-critic for a (possibly structured) environment: one policy per sub-step and
/// critics shared or per step, all reading flat observation rows, with every parameter in one
/// `ParameterStore` under `policy.<step>.…` and `critic.<step>.…` (or `critic.shared.…`).
///
/// Training runs the networks on a caller-owned tape (`BoundParameters`); actors use the no-tape
/// batched path ``act(step:observations:deterministic:random:)`` on ``parameters``.
public struct ActorCriticModel: Sendable {
    /// The sub-step keys, sorted.
    public let stepKeys: [StepKey]
    /// The policy of every sub-step.
    public let policies: [StepKey: PolicyNetwork]
    /// The critic of every sub-step (the same parameters under every key when shared).
    public let critics: [StepKey: CriticNetwork]
    /// Whether the sub-steps share one critic.
    public let criticSharing: CriticSharing
    /// Every trainable tensor, by name.
    public var parameters: ParameterStore

    /// Builds the networks `recipe` describes for the given spaces (one entry per sub-step key) and
    /// draws initial parameters from `seed`.
    public init(
        recipe: ModelRecipe, observationSpaces: [StepKey: DictSpace], actionSpaces: [StepKey: DictSpace], seed: UInt64
    ) throws {
        guard recipe.criticKind == .state else {
            throw PerceptionError.invalidConfiguration(
                "model.critic is a state-action critic (Q), which SAC trains; A2C, PPO and IMPALA need a state critic "
                    + "(critic=template_state or a StateCriticComposer)")
        }
        let stepKeys = observationSpaces.keys.sorted()
        guard !stepKeys.isEmpty, Set(stepKeys) == Set(actionSpaces.keys) else {
            throw PerceptionError.invalidConfiguration(
                "observation spaces (steps \(observationSpaces.keys.sorted())) and action spaces (steps \(actionSpaces.keys.sorted())) must cover the same sub-steps"
            )
        }
        let plan = try ModelPlan(
            recipe: recipe, stepKeys: stepKeys, observationSpaces: observationSpaces, actionSpaces: actionSpaces)
        try Self.checkRecurrence(policies: plan.policies, critics: plan.critics)
        self.stepKeys = stepKeys
        policies = plan.policies
        critics = plan.critics
        criticSharing = recipe.criticSharing
        var generator = SeededGenerator(seed: seed)
        var store = ParameterStore()
        for step in stepKeys { try plan.policies[step]?.network.initialize(&store, using: &generator) }
        var initialized = Set<String>()
        for step in stepKeys {
            guard let critic = plan.critics[step], initialized.insert(critic.network.name).inserted else { continue }
            // Parameters a critic shares with a policy (shared embeddings) keep the policy's values.
            var criticStore = ParameterStore()
            try critic.network.initialize(&criticStore, using: &generator)
            for name in criticStore.names {
                guard let existing = store[name] else {
                    store[name] = criticStore[name]
                    continue
                }
                guard existing.shape == criticStore[name]?.shape else {
                    throw PerceptionError.invalidConfiguration(
                        "the critic shares '\(name)' with the policy but needs shape \(criticStore[name]?.shape ?? []) instead of \(existing.shape)"
                    )
                }
            }
        }
        parameters = store
    }

    /// The model a composed `model` config section describes (e.g. `model=vector_obs critic=template_state`),
    /// with components looked up in `registry`.
    public init(
        config model: ConfigSection, observationSpaces: [StepKey: DictSpace], actionSpaces: [StepKey: DictSpace],
        seed: UInt64,
        registry: PerceptionRegistry? = nil
    ) throws {
        let recipe = try (registry ?? PerceptionRegistry.standard()).recipe(model: model)
        try self.init(recipe: recipe, observationSpaces: observationSpaces, actionSpaces: actionSpaces, seed: seed)
    }

    /// A flatten-concat model for a single-step env: the quickest way from env spaces to a model.
    public init(
        observationSpace: DictSpace, actionSpace: DictSpace, recipe: ModelRecipe = .flattenConcat(), seed: UInt64
    ) throws {
        try self.init(
            recipe: recipe, observationSpaces: [0: observationSpace], actionSpaces: [0: actionSpace], seed: seed)
    }

    /// Whether parameter `name` belongs to a critic (the rest belong to the policies).
    public func isCriticParameter(_ name: String) -> Bool {
        name.hasPrefix("critic.")
    }

    /// The policy of `step` (the only one when `nil`).
    public func policy(step: StepKey? = nil) throws -> PolicyNetwork {
        let key = try resolve(step)
        guard let policy = policies[key] else { throw PerceptionError.unknownStep(key.rawValue) }
        return policy
    }

    /// The critic of `step` (the only one when `nil`).
    public func critic(step: StepKey? = nil) throws -> CriticNetwork {
        let key = try resolve(step)
        guard let critic = critics[key] else { throw PerceptionError.unknownStep(key.rawValue) }
        return critic
    }

    // MARK: - On a tape, for training

    /// The policy's logits and distribution for `[batch, observationWidth]` observations of `step`.
    public func policyOutput(step: StepKey? = nil, observations: Tensor, parameters: BoundParameters) throws
        -> PolicyOutput
    {
        let policy = try policy(step: step)
        let logits = try policy.network(parameters.tape.constant(observations), parameters)
        return PolicyOutput(
            logits: logits, distribution: try policy.distribution(logits: logits, observations: observations))
    }

    /// The critic's `[batch]` values of `step`'s observations.
    public func values(step: StepKey? = nil, observations: Tensor, parameters: BoundParameters) throws -> Variable {
        try critic(step: step).values(observations, parameters)
    }

    /// Log-probabilities of `actions` (`[batch, actionWidth]`), entropies and values, all on the tape
    /// of `parameters`: what the A2C, PPO and IMPALA losses are built from.
    /// A critic sharing the policy's embedding (`shared_embedding_keys`) reuses the policy's branch outputs
    /// (``PerceptionNetwork/SharedEmbeddings``) rather than computing them a second time.
    public func evaluate(step: StepKey? = nil, observations: Tensor, actions: Tensor, parameters: BoundParameters)
        throws -> PolicyEvaluation
    {
        let policy = try policy(step: step)
        let rows = parameters.tape.constant(observations)
        let critic = try critic(step: step)
        var shared = PerceptionNetwork.SharedEmbeddings(readBy: critic.network)
        let logits = try policy.network(rows, parameters, sharing: &shared)
        let (logProbs, entropies) = try policy.logProbsAndEntropies(
            logits: logits, observations: observations, actions: actions)
        let values = try critic.network(rows, parameters, sharing: &shared)
        return PolicyEvaluation(
            logProbs: logProbs, entropies: entropies, values: try values.flattened(), logits: logits)
    }

    // MARK: - Without a tape, for actors

    /// Actions for `[batch, observationWidth]` observations of `step`: sampled from `random`, or each
    /// distribution's mode when `deterministic`; with log-probabilities, logits and values.
    public func act(step: StepKey? = nil, observations: Tensor, deterministic: Bool, random: inout MazeRandom) throws
        -> ActorOutput
    {
        let decision = try decide(step: step, observations: observations, deterministic: deterministic, random: &random)
        return ActorOutput(
            actions: decision.actions, logProbs: decision.logProbs, logits: decision.logits,
            values: try values(step: step, observations: observations))
    }

    /// What ``act(step:observations:deterministic:random:)`` returns but the critic's values, which acting alone
    /// does not need (actors send log-probabilities and logits; the learner evaluates the critic itself).
    public func decide(
        step: StepKey? = nil, observations: Tensor, deterministic: Bool, random: inout MazeRandom
    ) throws -> PolicyDecision {
        let policy = try policy(step: step)
        let logits = try policy.network(observations, parameters)
        let (actions, logProbs) = try policy.decide(
            logits: logits, observations: observations, deterministic: deterministic, random: &random)
        return PolicyDecision(actions: actions, logProbs: logProbs, logits: logits)
    }

    /// The critic's values of `step`'s observations, without a tape.
    public func values(step: StepKey? = nil, observations: Tensor) throws -> [Float] {
        try critic(step: step).values(observations, parameters)
    }

    private func resolve(_ step: StepKey?) throws -> StepKey {
        if let step { return step }
        guard stepKeys.count == 1 else {
            throw PerceptionError.unknownStep("(none given, but the model has sub-steps \(stepKeys.map(\.rawValue)))")
        }
        return stepKeys[0]
    }
}

/// A policy's outputs on a tape: the concatenated distribution parameters and the distribution.
public struct PolicyOutput {
    /// `[batch, logitsWidth]`.
    public let logits: Variable
    /// One distribution per action key.
    public let distribution: DictDistribution
}

/// The differentiable quantities of a batch of decisions.
public struct PolicyEvaluation {
    /// `log π(a|s)`, `[batch]`.
    public let logProbs: Variable
    /// Entropy of each row's distribution, `[batch]`.
    public let entropies: Variable
    /// `V(s)`, `[batch]`.
    public let values: Variable
    /// The policy's `[batch, logitsWidth]` outputs, whose distribution ``PolicyNetwork/distribution(logits:observations:)``
    /// gives (for KL terms and per-key statistics).
    public let logits: Variable
}

/// What a policy's batched forward pass yields, without the critic.
public struct PolicyDecision: Sendable {
    /// `[batch, actionWidth]` actions in the action space's flat layout.
    public var actions: Tensor
    /// `log π(a|s)` of the chosen actions, `[batch]`.
    public var logProbs: [Float]
    /// `[batch, logitsWidth]` distribution parameters (IMPALA's behaviour logits).
    public var logits: Tensor

    public init(actions: Tensor, logProbs: [Float], logits: Tensor) {
        self.actions = actions
        self.logProbs = logProbs
        self.logits = logits
    }
}

/// What an actor's batched forward pass yields.
public struct ActorOutput: Sendable {
    /// `[batch, actionWidth]` actions in the action space's flat layout.
    public var actions: Tensor
    /// `log π(a|s)` of the chosen actions, `[batch]`.
    public var logProbs: [Float]
    /// `[batch, logitsWidth]` distribution parameters (IMPALA's behaviour logits).
    public var logits: Tensor
    /// `V(s)`, `[batch]`.
    public var values: [Float]
}
