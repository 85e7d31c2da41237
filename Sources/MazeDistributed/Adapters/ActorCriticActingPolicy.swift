import MazeCore
import MazePerception
import MazeService
import MazeTensor
import MazeTrain
import MazeWire

/// The acting half of an experiment: a vector env of the config's env and wrappers, the config's model and
/// batched sampling with it, producing one `TrajectoryBatch` of `n_rollout_steps` per `collect`.
///
/// Observations travel as one flat tensor `observation` `f4 [T+1, B, width]` in the env's `DictSpace` row
/// layout, actions as `action` `f4 [T, B, width]`, as the learner's rollout buffer stores them, and the policy's
/// distribution parameters as behaviour logits `action` `f4 [T, B, logits]`. A structured env (several sub-steps
/// per decision) is stepped sub-step by sub-step, and each sub-step's observations and actions travel apart
/// (`observation_<k>`, `action_<k>`; docs/PROTOCOL.md 4.1.2).
public struct ActorCriticActingPolicy: ActingPolicy {
    /// The tensor names in a batch.
    static let observationKey = "observation"
    static let actionKey = "action"
    /// The observation tensor of sub-step `subStep` (its index in the cycle) of a structured env.
    static func observationKey(subStep: Int) -> String { "\(observationKey)_\(subStep)" }
    /// The action tensor of sub-step `subStep` of a structured env.
    static func actionKey(subStep: Int) -> String { "\(actionKey)_\(subStep)" }
    /// Row `t+1` holds the last observation of an episode that ended at step `t` (zeros elsewhere): the vector env
    /// has already reset that env, and bootstrapping after a time limit needs the state it was cut off in.
    static let finalObservationKey = "final_observation"

    /// How the envs are stepped: a vector env of single-step envs, or structured envs cycle by cycle.
    enum Stepping {
        case vector(any VectorEnv)
        case cycles(StructuredEnvBatch)
    }

    private let stepping: Stepping
    var model: ActorCriticModel
    /// Acts with Maze's `RandomPolicy` (uniformly random actions) instead of the model while set: SAC's
    /// `initial_sampling_policy`, see ``SACActingPolicy``.
    var samplesUniformly = false
    let stepCount: Int
    var random: MazeRandom
    private var episodeReturns: [Double]
    private var episodeLengths: [Int]
    /// The state each env's recurrent policy carries across steps and rollouts (empty for a feed-forward one).
    var recurrentStates = RecurrentStates()

    /// Builds `envCount` envs and the model from `config`; `seed` seeds the envs and the sampling (give every
    /// worker its own).
    public init(config: ExperimentConfig, envCount: Int, seed: UInt64) throws {
        try self.init(config: config, envCount: envCount, seed: seed, recipe: config.modelRecipe())
    }

    /// The same with the model built from `recipe` (SAC's actors: the recipe of its policy).
    init(config: ExperimentConfig, envCount: Int, seed: UInt64, recipe: ModelRecipe) throws {
        guard envCount > 0 else { throw AdapterError.unsupported("an actor needs at least one env, got \(envCount)") }
        let envs = try (0..<envCount).map { _ in try config.makeEnv() }
        model = try ActorCriticModel(recipe: recipe, env: envs[0], seed: 0)
        stepCount = try config.algorithm().common.nRolloutSteps
        random = MazeRandom(seed: seed)
        episodeReturns = Array(repeating: 0, count: envCount)
        episodeLengths = Array(repeating: 0, count: envCount)
        let resetSeed = try config.envBaseSeed(fallback: 0) &+ seed
        if envs[0].agentCounts.count == 1 {
            let env = try SequentialVectorEnv(envs: envs)
            try env.reset(seed: resetSeed)
            stepping = .vector(env)
        } else {
            let batch = try StructuredEnvBatch(envs: envs)
            try batch.reset(seed: resetSeed)
            stepping = .cycles(batch)
        }
    }

    public mutating func apply(_ update: PolicyUpdate) throws {
        try WeightsCoding.assign(update.weights, to: &model.parameters)
        guard let statistics = try WeightsCoding.normalization(update.auxiliary) else { return }
        let envs: [any StructuredEnv]
        switch stepping {
        case .vector(let env): envs = env.envs
        case .cycles(let batch): envs = batch.envs
        }
        for wrapped in envs { wrapped.findWrapper(ObservationNormalizationWrapper.self)?.statistics = statistics }
    }

    public mutating func collect(_ identity: RolloutIdentity) throws -> TrajectoryBatch {
        switch stepping {
        case .vector(let env): try collect(identity, stepping: env)
        case .cycles(let batch): try collect(identity, cycles: batch)
        }
    }

    /// `T` steps of the vector env: the flat layout.
    private mutating func collect(_ identity: RolloutIdentity, stepping env: any VectorEnv) throws -> TrajectoryBatch {
        let (envs, observationWidth, actionWidth) = (
            env.count, env.observationSpace.flatCount, env.actionSpace.flatCount
        )
        let observationRows = envs * observationWidth
        let initialState = try startRecurrentRollout(envCount: envs)
        // Every buffer is sized up front: the per-step appends below never reallocate.
        var observations: [Float] = []
        observations.reserveCapacity((stepCount + 1) * observationRows)
        var finals = [Float](repeating: 0, count: (stepCount + 1) * observationRows)
        var actions: [Float] = []
        actions.reserveCapacity(stepCount * envs * actionWidth)
        var logProbs: [Float] = []
        logProbs.reserveCapacity(stepCount * envs)
        var logits: [Float] = []
        var logitWidth = 0
        var rewards: [Float] = []
        rewards.reserveCapacity(stepCount * envs)
        var terminated: [Bool] = []
        terminated.reserveCapacity(stepCount * envs)
        var truncated: [Bool] = []
        truncated.reserveCapacity(stepCount * envs)
        var episodes: [MazeWire.EpisodeSummary] = []
        for step in 0..<stepCount {
            let decision = try decide(env, observationWidth: observationWidth, appendingTo: &observations)
            if step == 0 {
                logitWidth = decision.logits.shape.last ?? 0
                logits.reserveCapacity(stepCount * envs * logitWidth)
            }
            actions += decision.actions.scalars
            logProbs += decision.logProbs
            logits += decision.logits.scalars
            env.actions = decision.actions.scalars
            try env.step()
            let (stepRewards, stepTerminated, stepTruncated) = (env.rewards, env.terminated, env.truncated)
            recurrentStates.reset(terminated: stepTerminated, truncated: stepTruncated)
            rewards += stepRewards
            terminated += stepTerminated
            truncated += stepTruncated
            for index in 0..<envs where stepTerminated[index] || stepTruncated[index] {
                let row = ((step + 1) * envs + index) * observationWidth
                finals.replaceSubrange(
                    row..<row + observationWidth,
                    with: env.finalObservations[index * observationWidth..<(index + 1) * observationWidth])
            }
            recordEpisodeSteps(
                rewards: stepRewards, terminated: stepTerminated, truncated: stepTruncated, into: &episodes)
        }
        observations += env.observations
        return try TrajectoryBatch(
            experimentID: identity.experimentID, actorID: identity.actorID, policyVersion: identity.policyVersion,
            steps: stepCount, envs: envs,
            observations: [
                Self.observationKey: WireTensor(shape: [stepCount + 1, envs, observationWidth], values: observations),
                Self.finalObservationKey: WireTensor(shape: [stepCount + 1, envs, observationWidth], values: finals),
            ],
            actions: [Self.actionKey: WireTensor(shape: [stepCount, envs, actionWidth], values: actions)],
            rewards: WireTensor(shape: [stepCount, envs], values: rewards),
            terminated: WireTensor(shape: [stepCount, envs], bools: terminated),
            truncated: WireTensor(shape: [stepCount, envs], bools: truncated),
            behaviourLogProbs: WireTensor(shape: [stepCount, envs], values: logProbs),
            behaviourLogits: [Self.actionKey: WireTensor(shape: [stepCount, envs, logitWidth], values: logits)],
            episodes: episodes, initialState: initialState)
    }

    /// The policy's decision for the envs' current observations, which it appends to `observations`.
    private mutating func decide(
        _ env: any VectorEnv, observationWidth: Int, appendingTo observations: inout [Float]
    ) throws -> PolicyDecision {
        let current = env.observations
        observations += current
        if samplesUniformly { return try uniformDecision(rows: env.count, in: env.actionSpace) }
        return try decideCarryingState(Tensor(shape: [env.count, observationWidth], scalars: current))
    }

    /// Adds the last step to the running episode sums and appends the episodes it ended to `finished`.
    mutating func recordEpisodeSteps(
        rewards: [Float], terminated: [Bool], truncated: [Bool], into finished: inout [MazeWire.EpisodeSummary]
    ) {
        for index in 0..<rewards.count {
            episodeReturns[index] += Double(rewards[index])
            episodeLengths[index] += 1
            guard terminated[index] || truncated[index] else { continue }
            finished.append(
                MazeWire.EpisodeSummary(episodeReturn: episodeReturns[index], length: episodeLengths[index]))
            episodeReturns[index] = 0
            episodeLengths[index] = 0
        }
    }
}
