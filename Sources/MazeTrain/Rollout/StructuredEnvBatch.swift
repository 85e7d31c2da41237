import MazeCore
import MazeTensor

/// Structured envs stepped in lockstep through their sub-step cycle, one batched policy call per
/// sub-step, with automatic reset: what a ``VectorEnv`` is for single-step envs.
///
/// Each call to ``runCycle(model:deterministic:random:)`` makes one decision in every env and returns
/// it as flat cycle rows (see ``SubStepCycle``), together with what each sub-step contributed: the dev runner's
/// collector keeps the cycle rows, a service actor sends the sub-steps apart (docs/PROTOCOL.md).
/// A recurrent model's states are carried from cycle to cycle and reset with each env.
/// Not thread-safe: one thread steps a batch.
public final class StructuredEnvBatch {
    public let envs: [any StructuredEnv]
    public let cycle: SubStepCycle
    /// The first sub-step's observation of every env, flat: where each env's next cycle starts.
    public private(set) var current: [[Float]]
    private var states = RecurrentStates()
    /// The envs whose steps start in batches (``BatchSteppedEnv``, e.g. bridged Gymnasium envs): staged and started
    /// with one call per group before the envs are stepped one by one. Single-sub-step envs only.
    private let batchStepped: BatchSteppedMembers

    /// One decision of every env, `B` rows. Sub-steps after the one that ended an episode are not played:
    /// their parts of the rows are zero.
    public struct Decision: Sendable {
        /// `[B, cycle.observationWidth]`: the sub-steps' observations side by side.
        public var observations: [Float]
        /// `[B, cycle.actionWidth]`: the sub-steps' actions side by side.
        public var actions: [Float]
        /// `[B]`: the sum of ``subStepLogProbs`` over the cycle.
        public var logProbs: [Float]
        /// `[B]`: the sum of ``subStepRewards`` over the cycle.
        public var rewards: [Float]
        /// `[B]`: the cycle's last played sub-step ended the episode in a terminal state.
        public var terminated: [Bool]
        /// `[B]`: the cycle's last played sub-step cut the episode off.
        public var truncated: [Bool]
        /// The first sub-step's observation after the cycle (the final one where the episode ended),
        /// laid out as a cycle row whose other sub-steps are zero.
        public var successors: [Float]
        /// `[B, S]`: the log-probability of each sub-step's action.
        public var subStepLogProbs: [Float]
        /// `[B, S]`: the reward of each sub-step.
        public var subStepRewards: [Float]
        /// `[B]`: the sub-steps played, `1...S` (fewer than S where an episode ended within the cycle).
        public var playedSubSteps: [Int]
    }

    /// Envs of the same sub-steps and spaces; the first is reset on ``reset(seed:)``.
    public init(envs: [any StructuredEnv]) throws {
        guard let first = envs.first else {
            throw TrainError.unsupported("a structured env batch needs at least one env")
        }
        cycle = try SubStepCycle(first)
        for env in envs.dropFirst() where try SubStepCycle(env) != cycle {
            throw TrainError.unsupported("all training envs must have the same sub-steps and spaces")
        }
        self.envs = envs
        current = Array(repeating: [], count: envs.count)
        batchStepped = BatchSteppedMembers(cycle.keys.count == 1 ? envs : [])
    }

    /// Seeds env `i` with the `i`-th seed drawn from `MazeRandom(seed:)` and resets all of them.
    public func reset(seed: UInt64) throws {
        var random = MazeRandom(seed: seed)
        states.clear()
        for index in envs.indices {
            envs[index].seed(random.nextSeed())
            current[index] = try cycle.observationSpaces[0].flatten(envs[index].reset())
        }
    }

    /// Seeds env `index` with ``envSeed(resetSeed:)`` of `seed` and resets it: the env seed a batch of that
    /// one env gets from ``reset(seed:)``. Its recurrent state is zero already when its episode just ended;
    /// otherwise call ``clearStates()``.
    public func reset(env index: Int, seed: UInt64) throws {
        envs[index].seed(Self.envSeed(resetSeed: seed))
        current[index] = try cycle.observationSpaces[0].flatten(envs[index].reset())
    }

    /// The env seed ``reset(env:seed:)`` gives for `resetSeed`.
    public static func envSeed(resetSeed: UInt64) -> UInt64 {
        var random = MazeRandom(seed: resetSeed)
        return random.nextSeed()
    }

    /// Forgets the recurrent states of every env (zero at the next cycle).
    public func clearStates() { states.clear() }

    /// Plays one cycle in every env with `model` (sampling from `random` unless `deterministic`); envs whose
    /// `active` element is false (all are active when it is nil) are neither stepped nor reset, and their rows
    /// of the decision are zero.
    public func runCycle(
        model: some ActorCritic, deterministic: Bool, random: inout MazeRandom, active: [Bool]? = nil
    ) throws -> Decision {
        let count = envs.count
        let subSteps = cycle.keys.count
        let (observationWidth, actionWidth) = (cycle.observationWidth, cycle.actionWidth)
        let (observationOffsets, actionOffsets) = (cycle.observationOffsets, cycle.actionOffsets)
        var decision = Decision(
            observations: [Float](repeating: 0, count: count * observationWidth),
            actions: [Float](repeating: 0, count: count * actionWidth), logProbs: [Float](repeating: 0, count: count),
            rewards: [Float](repeating: 0, count: count), terminated: [Bool](repeating: false, count: count),
            truncated: [Bool](repeating: false, count: count),
            successors: [Float](repeating: 0, count: count * observationWidth),
            subStepLogProbs: [Float](repeating: 0, count: count * subSteps),
            subStepRewards: [Float](repeating: 0, count: count * subSteps),
            playedSubSteps: [Int](repeating: subSteps, count: count))
        var subStepObservations = current
        if let active, active.count != count {
            throw TrainError.shapeMismatch("\(active.count) activity flags for a batch of \(count) envs")
        }
        var ended = active?.map { !$0 } ?? [Bool](repeating: false, count: count)
        let recurrent = model.recurrentStateWidth > 0
        if recurrent {
            guard subSteps == 1 else {
                throw TrainError.unsupported("a recurrent model needs an env with a single sub-step")
            }
            states.prepare(width: model.recurrentStateWidth, envCount: count)
        }
        for subStep in cycle.keys.indices {
            let width = cycle.observationSpaces[subStep].flatCount
            let actionSpace = cycle.actionSpaces[subStep]
            let rows = subStepObservations.flatMap { $0.isEmpty ? [Float](repeating: 0, count: width) : $0 }
            let observations = try Tensor(shape: [count, width], scalars: rows)
            let chosen =
                recurrent
                ? try model.act(
                    subStep: subStep, observations: observations, states: &states.values, deterministic: deterministic,
                    random: &random)
                : try model.act(
                    subStep: subStep, observations: observations, deterministic: deterministic, random: &random)
            try chosen.actions.withUnsafeBufferPointer { actions in
                try batchStepped.step(actions: actions, width: actionSpace.flatCount) { ended[$0] }
            }
            for env in 0..<count where !ended[env] {
                let observationStart = env * observationWidth + observationOffsets[subStep]
                decision.observations.replaceSubrange(
                    observationStart..<observationStart + width, with: rows[env * width..<(env + 1) * width])
                let action = Array(chosen.actions[env * actionSpace.flatCount..<(env + 1) * actionSpace.flatCount])
                let actionStart = env * actionWidth + actionOffsets[subStep]
                decision.actions.replaceSubrange(actionStart..<actionStart + action.count, with: action)
                decision.logProbs[env] += chosen.logProbs[env]
                decision.subStepLogProbs[env * subSteps + subStep] = chosen.logProbs[env]
                let result = try action.withUnsafeBufferPointer { try envs[env].step(actionSpace.unflatten($0)) }
                decision.rewards[env] += Float(result.reward)
                decision.subStepRewards[env * subSteps + subStep] = Float(result.reward)
                let last = subStep == subSteps - 1
                if result.done || last {
                    ended[env] = true
                    decision.playedSubSteps[env] = subStep + 1
                    subStepObservations[env] = []
                    decision.terminated[env] = result.terminated
                    decision.truncated[env] = result.truncated
                    let next = try cycle.observationSpaces[0].flatten(result.observation)
                    decision.successors.replaceSubrange(
                        env * observationWidth..<env * observationWidth + next.count, with: next)
                    current[env] = result.done ? try cycle.observationSpaces[0].flatten(envs[env].reset()) : next
                } else {
                    subStepObservations[env] = try cycle.observationSpaces[subStep + 1].flatten(result.observation)
                }
            }
        }
        if let active {
            for env in active.indices where !active[env] { decision.playedSubSteps[env] = 0 }
            // An inactive env's state row went through the policy all the same: keep it zero.
            states.reset(terminated: zip(decision.terminated, active).map { $0 || !$1 }, truncated: decision.truncated)
        } else {
            states.reset(terminated: decision.terminated, truncated: decision.truncated)
        }
        return decision
    }
}
