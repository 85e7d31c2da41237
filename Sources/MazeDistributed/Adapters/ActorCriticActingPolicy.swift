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
    /// The policy's allocation-free decisions for the envs, where it covers the policy (single-step envs).
    private let batchedActing: BatchedPolicyActing?
    /// The flat rollouts' columns, kept from rollout to rollout (made by the first).
    private var rolloutColumns: FlatRolloutColumns?

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
            batchedActing = try BatchedPolicyActing(policy: model.policy(), rows: envCount)
        } else {
            let batch = try StructuredEnvBatch(envs: envs)
            try batch.reset(seed: resetSeed)
            stepping = .cycles(batch)
            batchedActing = nil
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

    /// `T` steps of the vector env: the flat layout, written into the columns kept from rollout to rollout.
    private mutating func collect(_ identity: RolloutIdentity, stepping env: any VectorEnv) throws -> TrajectoryBatch {
        let columns = try flatColumns(for: env)
        let initialState = try startRecurrentRollout(envCount: env.count)
        columns.startRollout()
        var episodes: [MazeWire.EpisodeSummary] = []
        for step in 0..<stepCount {
            let current = columns.observationRows(step)
            env.observations.withUnsafeBufferPointer { _ = current.update(fromContentsOf: $0) }
            try decide(env, on: UnsafeBufferPointer(current), into: columns, step: step)
            let chosen = columns.actionRows(step)
            env.actions.withUnsafeMutableBufferPointer { _ = $0.update(fromContentsOf: chosen) }
            try env.step()
            let (stepRewards, stepTerminated, stepTruncated) = (env.rewards, env.terminated, env.truncated)
            recurrentStates.reset(terminated: stepTerminated, truncated: stepTruncated)
            columns.record(
                step: step, rewards: stepRewards, terminated: stepTerminated, truncated: stepTruncated,
                finals: env.finalObservations)
            recordEpisodeSteps(
                rewards: stepRewards, terminated: stepTerminated, truncated: stepTruncated, into: &episodes)
        }
        let last = columns.observationRows(stepCount)
        env.observations.withUnsafeBufferPointer { _ = last.update(fromContentsOf: $0) }
        return try columns.batch(identity, episodes: episodes, initialState: initialState)
    }

    /// The rollout columns of `env`, made by the first rollout.
    private mutating func flatColumns(for env: any VectorEnv) throws -> FlatRolloutColumns {
        if let columns = rolloutColumns { return columns }
        let columns = FlatRolloutColumns(
            steps: stepCount, envs: env.count, observationWidth: env.observationSpace.flatCount,
            actionWidth: env.actionSpace.flatCount, logitsWidth: try model.policy().logitsWidth)
        rolloutColumns = columns
        return columns
    }

    /// The policy's decision for `observations` (the envs' current rows), written into step `step`'s columns: with
    /// ``BatchedPolicyActing`` where it covers the policy (allocating nothing), else through the model.
    private mutating func decide(
        _ env: any VectorEnv, on observations: UnsafeBufferPointer<Float>, into columns: FlatRolloutColumns, step: Int
    ) throws {
        if let batchedActing, !samplesUniformly, recurrentStates.width == 0 {
            try batchedActing.decide(
                observations: observations, parameters: model.parameters, deterministic: false, random: &random,
                actions: columns.actionRows(step), logProbs: columns.logProbRow(step), logits: columns.logitRows(step))
            return
        }
        let rows = [env.count, columns.observationWidth]
        let decision =
            samplesUniformly
            ? try uniformDecision(rows: env.count, in: env.actionSpace)
            : try decideCarryingState(Tensor(shape: rows, scalars: Array(observations)))
        for (column, values) in [
            (columns.actionRows(step), decision.actions.scalars), (columns.logProbRow(step), decision.logProbs),
            (columns.logitRows(step), decision.logits.scalars),
        ] {
            guard column.count == values.count else {
                throw AdapterError.unsupported(
                    "the policy decided \(values.count) values where the rollout holds \(column.count)")
            }
            _ = column.update(fromContentsOf: values)
        }
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
