import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// The acting half of a SAC experiment (`algorithm=sac|sacfd`): the actor-critics' acting loop
/// (``ActorCriticActingPolicy``, same batches, docs/PROTOCOL.md 4.1) with SAC's policy π_φ, sampling its actions
/// (tanh-squashed Gaussian for Box actions) from the broadcast `policy.…` weights.
///
/// While the learner's replay buffer is below `initial_buffer_size`, its broadcasts carry the auxiliary tensor
/// ``initialSamplingKey``, and the actions are drawn uniformly from the action space instead (Maze's `RandomPolicy`,
/// SAC's `initial_sampling_policy`), with log-probabilities 0; the first broadcast without it switches to the policy.
public struct SACActingPolicy: ActingPolicy {
    /// The auxiliary tensor (`u1 [1]`) of a policy update telling SAC's actors to act uniformly at random.
    public static let initialSamplingKey = "sac_initial_sampling"

    private var acting: ActorCriticActingPolicy

    /// Builds `envCount` envs and SAC's policy from `config`; `seed` seeds the envs and the sampling (give every worker
    /// its own).
    public init(config: ExperimentConfig, envCount: Int, seed: UInt64) throws {
        acting = try ActorCriticActingPolicy(
            config: config, envCount: envCount, seed: seed,
            recipe: SoftActorCriticModel.policyRecipe(config.modelRecipe()))
        // The policy alone: the composed model's state critic is not SAC's, and the learner broadcasts no critic.
        let model = acting.model
        var policy = ParameterStore()
        for name in model.parameters.names where !model.isCriticParameter(name) {
            policy[name] = model.parameters[name]
        }
        acting.model.parameters = policy
        acting.samplesUniformly = true
    }

    public mutating func apply(_ update: PolicyUpdate) throws {
        try acting.apply(update)
        acting.samplesUniformly = update.auxiliary[Self.initialSamplingKey] != nil
    }

    public mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        try acting.collect(identity)
    }
}

extension ActorCriticActingPolicy {
    /// `rows` actions drawn uniformly from `actionSpace`, with log-probabilities 0 and zero logits of the policy's
    /// width (so that batches keep one layout).
    mutating func uniformDecision(rows: Int, in actionSpace: DictSpace) throws -> PolicyDecision {
        let actions = try actionSpace.uniformRandomActions(rows: rows, random: &random)
        let logitsWidth = try model.policy().logitsWidth
        return PolicyDecision(
            actions: try Tensor(shape: [rows, actionSpace.flatCount], scalars: actions),
            logProbs: [Float](repeating: 0, count: rows),
            logits: try Tensor(shape: [rows, logitsWidth], scalars: [Float](repeating: 0, count: rows * logitsWidth)))
    }
}
