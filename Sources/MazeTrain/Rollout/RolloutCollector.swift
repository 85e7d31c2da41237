import MazeCore
import MazeTensor

/// Something that fills a ``RolloutBuffer`` with the next `T` decisions of its envs: the acting half of
/// the dev runner, for vector envs and for structured envs alike.
protocol RolloutSource {
    var buffer: RolloutBuffer { get }
    /// The training envs, for their statistics and wrappers.
    var envs: [any StructuredEnv] { get }
    /// Seeds and resets every env (and forgets recurrent states).
    mutating func reset(seed: UInt64) throws
    /// Fills the buffer with the next `T` decisions and returns the number of env steps taken.
    mutating func collect(with model: some ActorCritic, random: inout MazeRandom) throws -> Int
    /// Rows of its own for the table at the end of an epoch, from the model as the epoch left it (the
    /// demonstrations' accuracy and validation loss); the envs' episode statistics are read separately.
    func epochStatistics(model: some ActorCritic) throws -> LogStats
}

extension RolloutSource {
    func epochStatistics(model: some ActorCritic) throws -> LogStats { LogStats() }
}

/// Steps a ``VectorEnv`` of single-step envs, writing each step into the reused buffer. A recurrent model's
/// states are carried across steps and rollouts, reset where an episode ends, and recorded at each rollout's start.
struct VectorRolloutCollector: RolloutSource {
    let env: any VectorEnv
    private(set) var buffer: RolloutBuffer
    private var states = RecurrentStates()

    init(env: any VectorEnv, stepCount: Int) throws {
        self.env = env
        buffer = try RolloutBuffer(stepCount: stepCount, env: env)
    }

    var envs: [any StructuredEnv] { env.envs }

    mutating func reset(seed: UInt64) throws {
        try env.reset(seed: seed)
        states.clear()
    }

    mutating func collect(with model: some ActorCritic, random: inout MazeRandom) throws -> Int {
        let recurrent = model.recurrentStateWidth > 0
        if recurrent {
            states.prepare(width: model.recurrentStateWidth, envCount: env.count)
            buffer.recordInitialStates(states.values)
        }
        for step in 0..<buffer.stepCount {
            let observations = env.observations
            let rows = try Tensor.matrix(observations, width: buffer.observationWidth)
            let decision =
                recurrent
                ? try model.act(
                    subStep: 0, observations: rows, states: &states.values, deterministic: false, random: &random)
                : try model.act(subStep: 0, observations: rows, deterministic: false, random: &random)
            buffer.recordDecision(
                step: step, observations: observations, actions: decision.actions, logProbs: decision.logProbs)
            env.actions = decision.actions
            try env.step()
            buffer.recordOutcome(step: step, from: env)
            if recurrent { states.reset(terminated: env.terminated, truncated: env.truncated) }
        }
        return buffer.count
    }
}

/// Steps structured envs through their sub-step cycles; one buffer row per cycle (decision).
struct StructuredRolloutCollector: RolloutSource {
    private let batch: StructuredEnvBatch
    private(set) var buffer: RolloutBuffer

    init(envs: [any StructuredEnv], stepCount: Int) throws {
        batch = try StructuredEnvBatch(envs: envs)
        buffer = try RolloutBuffer(
            stepCount: stepCount, envCount: envs.count, observationWidth: batch.cycle.observationWidth,
            actionWidth: batch.cycle.actionWidth)
    }

    var envs: [any StructuredEnv] { batch.envs }

    func reset(seed: UInt64) throws {
        try batch.reset(seed: seed)
    }

    mutating func collect(with model: some ActorCritic, random: inout MazeRandom) throws -> Int {
        for step in 0..<buffer.stepCount {
            let decision = try batch.runCycle(model: model, deterministic: false, random: &random)
            buffer.recordDecision(
                step: step, observations: decision.observations, actions: decision.actions, logProbs: decision.logProbs)
            buffer.recordOutcome(
                step: step, rewards: decision.rewards, terminated: decision.terminated, truncated: decision.truncated,
                successors: decision.successors)
        }
        return buffer.count * batch.cycle.keys.count
    }
}
