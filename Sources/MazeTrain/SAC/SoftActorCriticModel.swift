import Foundation
import MazeCore
import MazePerception
import MazeTensor

/// SAC's networks for a single-step env: the policy π_φ and the twin state-action critics Q_θ₁, Q_θ₂
/// (trainable, in ``parameters`` under `policy.0.…`, `critic.q1.…`, `critic.q2.…`) and the target
/// critics Q_θ̄₁, Q_θ̄₂ (``targetParameters``, same names, moved only by the soft update).
///
/// The policy is the model config's policy; Box actions default to a tanh-squashed Gaussian (SAC's
/// bounded actions; a `distribution_mapper_config` may only confirm that choice), a single Discrete action
/// keeps its categorical head. The critics are built from the config's critic trunk, which must come
/// from a state-action composer (`critic=template_state_action` or `flatten_concat_state_action`).
package struct SoftActorCriticModel: Sendable {
    /// π_φ.
    package let policy: PolicyNetwork
    /// Q_θ₁ and Q_θ₂.
    package let critics: [StateActionCriticNetwork]
    /// φ, θ₁, θ₂.
    package var parameters: ParameterStore
    /// θ̄₁, θ̄₂.
    package var targetParameters: ParameterStore

    /// Networks for the spaces of a single-step env, initialized from `seed`.
    package init(recipe: ModelRecipe, observationSpace: DictSpace, actionSpace: DictSpace, seed: UInt64) throws {
        guard recipe.criticKind == .stateAction else {
            throw TrainError.invalidSetting(
                key: "model.critic",
                problem: "SAC needs a state-action critic: critic=template_state_action or a StateActionCriticComposer")
        }
        let composed = try ActorCriticModel(
            observationSpace: observationSpace, actionSpace: actionSpace, recipe: Self.policyRecipe(recipe), seed: seed)
        guard composed.recurrentStateWidth == 0 else {
            throw TrainError.invalidSetting(
                key: "model.model_builder.modality_config.recurrence",
                problem: "SAC trains feed-forward policies; recurrent ones train with A2C, PPO or IMPALA")
        }
        let policy = try composed.policy()
        let continuous = policy.heads.allSatisfy { $0.kind == .squashedGaussian }
        let discrete = policy.heads.count == 1 && policy.heads[0].kind == .categorical
        guard continuous || discrete, policy.masks.isEmpty else {
            throw TrainError.invalidSetting(
                key: "model.distribution_mapper_config",
                problem:
                    "SAC needs SquashedGaussianProbabilityDistribution for Box actions or one unmasked Discrete action, got "
                    + policy.heads.map { "\($0.key): \($0.kind.rawValue)" }.joined(separator: ", "))
        }
        let trunk = recipe.criticTrunks[0]
        critics = try ["critic.q1", "critic.q2"].map {
            try StateActionCriticNetwork(
                name: $0, trunk: trunk, observationSpace: observationSpace, actionSpace: actionSpace)
        }
        var store = ParameterStore()
        for name in composed.parameters.names where !composed.isCriticParameter(name) {
            store[name] = composed.parameters[name]
        }
        var generator = SeededGenerator(seed: seed &+ 0x5AC)
        for critic in critics { try critic.initialize(&store, using: &generator) }
        self.policy = policy
        parameters = store
        targetParameters = ParameterStore()
        for name in store.names where isCriticParameter(name) { targetParameters[name] = store[name] }
    }

    /// The recipe of the composed model whose policy is π_φ: `recipe` with a state critic (left unused) and Box actions
    /// mapped to the tanh-squashed Gaussian. The learner service's actors build their policy from it.
    package static func policyRecipe(_ recipe: ModelRecipe) -> ModelRecipe {
        var policyRecipe = recipe
        policyRecipe.criticKind = .state
        policyRecipe.distributionMapper = DistributionMapper(
            rules: [.actionSpace(spaceType: "Box", kind: .squashedGaussian)] + recipe.distributionMapper.rules)
        return policyRecipe
    }

    /// Whether actions are one Discrete choice (SAC's discrete form) rather than Box vectors.
    package var isDiscrete: Bool { critics[0].actionCount != nil }

    /// SAC's target entropy H̄ for these actions (see ``SoftBellman/targetEntropy(continuousDimensions:discreteCategories:multiplier:)``).
    package func targetEntropy(multiplier: Float) -> Float {
        SoftBellman.targetEntropy(
            continuousDimensions: isDiscrete ? 0 : policy.actionWidth,
            discreteCategories: critics[0].actionCount.map { [$0] } ?? [],
            multiplier: multiplier)
    }

    /// The critic parameters θ₁, θ₂ alone.
    var criticParameters: ParameterStore {
        var store = ParameterStore()
        for name in parameters.names where isCriticParameter(name) { store[name] = parameters[name] }
        return store
    }

    /// `min(Q₁, Q₂)` without a tape: `[N]` at `actions` (Box) or `[N, |A|]` (Discrete), from `store`.
    func minimumQ(observations: Tensor, actions: Tensor?, _ store: ParameterStore) throws -> [Float] {
        let q1 = try critics[0](observations: observations, actions: actions, store).scalars
        let q2 = try critics[1](observations: observations, actions: actions, store).scalars
        return zip(q1, q2).map { min($0, $1) }
    }
}

extension SoftActorCriticModel: ActorCritic {
    package func isCriticParameter(_ name: String) -> Bool { name.hasPrefix("critic.") }

    /// Log-probabilities and entropies of the policy and, as the values, `Q_θ₁(s, a)` of the given actions.
    package func evaluateDecisions(observations: Tensor, actions: Tensor, parameters bound: BoundParameters) throws
        -> ActionEvaluation
    {
        let rows = bound.tape.constant(observations)
        let distribution = try policy.distribution(logits: policy.network(rows, bound), observations: observations)
        let q = try critics[0](observations: rows, actions: isDiscrete ? nil : bound.tape.constant(actions), bound)
        let values =
            isDiscrete ? try (q * bound.tape.constant(Self.oneHot(actions, count: q.shape[1]))).sum(alongAxis: 1) : q
        return ActionEvaluation(
            logProbs: try distribution.logProb(actions), entropies: try distribution.entropy(), values: values)
    }

    package func act(subStep: Int, observations: Tensor, deterministic: Bool, random: inout MazeRandom) throws
        -> (actions: [Float], logProbs: [Float])
    {
        guard subStep == 0 else { throw TrainError.unsupported("SAC trains single-step envs, got sub-step \(subStep)") }
        let decision = try policy.decide(
            logits: policy.network(observations, parameters), observations: observations, deterministic: deterministic,
            random: &random)
        return (decision.actions.scalars, decision.logProbs)
    }

    /// `min(Q₁, Q₂)` at the policy's mode (Box) or its expectation under π (Discrete): the soft value without the entropy term.
    /// Computed on the networks' own no-gradient path, not on `tape`: SAC's updates never ask for it.
    package func stateValues(observations: Tensor, tape: Tape) throws -> [Float] {
        var random = MazeRandom(seed: 0)
        let logits = try policy.network(observations, parameters)
        guard isDiscrete else {
            let mode = try policy.decide(
                logits: logits, observations: observations, deterministic: true, random: &random
            ).actions
            return try minimumQ(observations: observations, actions: mode, parameters)
        }
        let q = try minimumQ(observations: observations, actions: nil, parameters)
        let probabilities = try logits.logSoftmax(alongAxis: 1).scalars.map { Foundation.exp($0) }
        let width = logits.shape[1]
        return (0..<observations.shape[0]).map { row in
            (0..<width).reduce(Float(0)) { $0 + probabilities[row * width + $1] * q[row * width + $1] }
        }
    }

    /// `[N, count]` one-hot rows of Discrete action indices.
    static func oneHot(_ actions: Tensor, count: Int) throws -> Tensor {
        var scalars = [Float](repeating: 0, count: actions.shape[0] * count)
        for (row, index) in actions.scalars.enumerated() where Int(index) >= 0 && Int(index) < count {
            scalars[row * count + Int(index)] = 1
        }
        return try Tensor(shape: [actions.shape[0], count], scalars: scalars)
    }
}
