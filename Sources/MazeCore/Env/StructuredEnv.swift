/// The environment interface agents, wrappers, vector environments and rollout runners use: dictionary
/// observations and actions, one active actor at a time (Maze's StructuredEnv with its spaces mixin).
///
/// Single-step, single-agent environments are the special case with one step key and one agent.
public protocol StructuredEnv: AnyObject {
    /// The observation space of every sub-step key.
    var observationSpaces: [StepKey: DictSpace] { get }
    /// The action space of every sub-step key.
    var actionSpaces: [StepKey: DictSpace] { get }
    /// Starts a new episode and returns the first observation.
    func reset() throws -> Observation
    /// Applies the active actor's `action`.
    func step(_ action: Action) throws -> StepResult
    /// Seeds the environment (used from the next reset on).
    func seed(_ seed: UInt64)
    /// Releases resources.
    func close()
    /// The actor expected to act next.
    var actorID: ActorID { get }
    /// Whether the actor that just acted is done.
    func isActorDone() -> Bool
    /// Agents per sub-step key (`-1` for a dynamic count).
    var agentCounts: [StepKey: Int] { get }
    /// Where the simulation's events of the current episode are recorded.
    var events: EventContext { get }
    /// KPIs of the finished episode.
    func calculateKPIs() -> [String: Double]
    /// A text picture of the current state, or `nil` without a renderer.
    func render() -> String?
    /// Observation key → the action key it masks, for masks whose names do not follow Maze's
    /// `<action>_mask` convention (models bind these without a `model.action_masks` entry).
    var actionMasks: [String: String] { get }
    /// The most steps an episode of this env can last when the env bounds them itself (a Gymnasium env
    /// registered with `max_episode_steps`), `nil` otherwise: evaluations and rollouts bound episodes of envs
    /// with neither this nor a ``TimeLimitWrapper``.
    var episodeStepLimit: Int? { get }

    /// Starts a new episode writing the first observation, flattened in ``observationSpace`` key order,
    /// into `buffer`: the allocation-free path of vector environments.
    func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
    /// Steps, writing the next observation flattened into `buffer`; info is dropped on this path.
    func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws -> StepOutcome
    /// Steps with a flat action row (the ``DictSpace/unflatten(_:)`` layout of ``actionSpace``) and writes the
    /// next observation into `buffer`: the vector environments' path. Where every layer implements it, no
    /// ``Action`` value is built; the default unflattens the row and takes the `observationInto:` path.
    func step(flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
}

extension StructuredEnv {
    /// No masks beyond Maze's `<action>_mask` naming convention.
    public var actionMasks: [String: String] { [:] }

    /// No episode bound of the env's own.
    public var episodeStepLimit: Int? { nil }

    /// Whether episodes end by themselves within a known number of steps: the env bounds them, or a
    /// ``TimeLimitWrapper`` in the stack does.
    public var hasEpisodeStepLimit: Bool { episodeStepLimit != nil || findWrapper(TimeLimitWrapper.self) != nil }

    /// The observation space of the actor that acts next.
    public var observationSpace: DictSpace { observationSpaces[actorID.stepKey] ?? DictSpace() }
    /// The action space of the actor that acts next.
    public var actionSpace: DictSpace { actionSpaces[actorID.stepKey] ?? DictSpace() }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        let observation = try reset()
        try observationSpace.flatten(observation, into: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        let result = try step(action)
        try observationSpace.flatten(result.observation, into: buffer)
        return result.outcome
    }

    public func step(
        flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> StepOutcome {
        try step(actionSpace.unflattenChecked(flatAction), observationInto: buffer)
    }

    /// The first wrapper of type `W` from the outside in (or the env itself), if any.
    public func findWrapper<W>(_ type: W.Type) -> W? {
        var current: any StructuredEnv = self
        while true {
            if let match = current as? W { return match }
            guard let wrapper = current as? any Wrapper else { return nil }
            current = wrapper.inner
        }
    }
}

extension DictSpace {
    /// An empty space (no entries).
    public init() { self.init([]) }
}
