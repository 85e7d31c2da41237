import MazeCore
import MazePerception
import MazeTensor
import MazeTrain

/// A trained actor-critic model (A2C/PPO/IMPALA's or SAC's) acting as a MazeCore ``Policy``: each actor's
/// observation is flattened for its sub-step's network and the chosen row unflattened into the action dict. A
/// recurrent model's state is carried from step to step and starts afresh with every episode (``reset()``).
public final class ModelPolicy: Policy {
    /// The model that chooses the actions.
    public let model: any ActorCritic & Sendable
    private let stepKeys: [StepKey]
    private let observationSpaces: [StepKey: DictSpace]
    private let actionSpaces: [StepKey: DictSpace]
    private var random: MazeRandom
    /// The recurrent model's state (empty for feed-forward models and before the first step).
    private var states: [Float] = []

    /// A policy acting with `model` in envs with `env`'s sub-steps and spaces.
    public init(model: any ActorCritic & Sendable, for env: any StructuredEnv, seed: UInt64 = 0) {
        self.model = model
        stepKeys = env.agentCounts.keys.sorted()
        observationSpaces = env.observationSpaces
        actionSpaces = env.actionSpaces
        random = MazeRandom(seed: seed)
    }

    public func seed(_ seed: UInt64) {
        random = MazeRandom(seed: seed)
    }

    public func reset() {
        states = []
    }

    public func computeAction(
        observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?
    ) throws -> Action {
        guard let subStep = stepKeys.firstIndex(of: actorID.stepKey),
            let observationSpace = observationSpaces[actorID.stepKey],
            let actionSpace = actionSpaces[actorID.stepKey]
        else {
            throw MazeRunError.invalidConfig(
                key: "policy", problem: "the model has no policy for sub-step \(actorID.stepKey)")
        }
        let row = try observationSpace.flatten(observation)
        let observations = try Tensor(shape: [1, row.count], scalars: row)
        let width = model.recurrentStateWidth
        if width > 0, states.count != width { states = [Float](repeating: 0, count: width) }
        let chosen =
            width > 0
            ? try model.act(
                subStep: subStep, observations: observations, states: &states, deterministic: deterministic,
                random: &random)
            : try model.act(subStep: subStep, observations: observations, deterministic: deterministic, random: &random)
        return chosen.actions.withUnsafeBufferPointer { actionSpace.unflatten($0) }
    }
}
