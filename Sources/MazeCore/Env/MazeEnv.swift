/// A ``CoreEnv`` with observation and action conversions per sub-step key: the bridge from the
/// simulation's MazeStates/MazeActions to dictionary spaces (Maze's MazeEnv).
public final class MazeEnv<Core: CoreEnv>: StructuredEnv {
    /// The wrapped simulation.
    public let core: Core
    private let stepKeys: [StepKey]
    private let observationConversions: [any ObservationConversion<Core.MazeState>]
    private let actionConversions: [any ActionConversion<Core.MazeState, Core.MazeAction>]
    /// The MazeAction of the last step, for rendering and deployment.
    public private(set) var lastMazeAction: Core.MazeAction?

    /// One conversion pair per sub-step key; both dictionaries must have the same keys.
    public init(
        core: Core,
        observationConversions: [StepKey: any ObservationConversion<Core.MazeState>],
        actionConversions: [StepKey: any ActionConversion<Core.MazeState, Core.MazeAction>]
    ) throws(MazeError) {
        let keys = observationConversions.keys.sorted()
        guard keys == actionConversions.keys.sorted(), !keys.isEmpty else {
            throw .invalidConfiguration(
                "observation conversion keys \(keys) differ from action conversion keys \(actionConversions.keys.sorted())")
        }
        self.core = core
        stepKeys = keys
        self.observationConversions = keys.compactMap { observationConversions[$0] }
        self.actionConversions = keys.compactMap { actionConversions[$0] }
    }

    /// A single-step environment with one conversion pair under step key `0`.
    public init(
        core: Core,
        observationConversion: any ObservationConversion<Core.MazeState>,
        actionConversion: any ActionConversion<Core.MazeState, Core.MazeAction>
    ) {
        self.core = core
        stepKeys = [0]
        observationConversions = [observationConversion]
        actionConversions = [actionConversion]
    }

    private func conversionIndex(for key: StepKey) throws(MazeError) -> Int {
        if stepKeys.count == 1 { return 0 }
        guard let index = stepKeys.firstIndex(of: key) else {
            throw .invalidState("the core env's actor step key \(key) has no conversion (known: \(stepKeys))")
        }
        return index
    }

    public var observationSpaces: [StepKey: DictSpace] {
        Dictionary(uniqueKeysWithValues: zip(stepKeys, observationConversions.map(\.space)))
    }

    public var actionSpaces: [StepKey: DictSpace] {
        Dictionary(uniqueKeysWithValues: zip(stepKeys, actionConversions.map(\.space)))
    }

    public func reset() throws -> Observation {
        events.beginEpisode()
        lastMazeAction = nil
        let state = try core.reset()
        return observationConversions[try conversionIndex(for: core.actorID.stepKey)].observation(from: state)
    }

    public func step(_ action: Action) throws -> StepResult {
        let result = try coreStep(action)
        let observation = observationConversions[try conversionIndex(for: core.actorID.stepKey)]
            .observation(from: result.state)
        return StepResult(
            observation: observation, outcome: StepOutcome(reward: result.reward, terminated: result.done),
            info: result.info)
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        events.beginEpisode()
        lastMazeAction = nil
        let state = try core.reset()
        try observationConversions[try conversionIndex(for: core.actorID.stepKey)]
            .writeObservation(from: state, into: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        let result = try coreStep(action)
        try observationConversions[try conversionIndex(for: core.actorID.stepKey)]
            .writeObservation(from: result.state, into: buffer)
        return StepOutcome(reward: result.reward, terminated: result.done)
    }

    private func coreStep(_ action: Action) throws -> CoreStepResult<Core.MazeState> {
        let conversion = actionConversions[try conversionIndex(for: core.actorID.stepKey)]
        let mazeAction = try conversion.mazeAction(from: action, state: core.mazeState)
        let result = try core.step(mazeAction)
        lastMazeAction = mazeAction
        events.finishStep()
        return result
    }

    public func seed(_ seed: UInt64) { core.seed(seed) }
    public func close() { core.close() }
    public var actorID: ActorID { core.actorID }
    public func isActorDone() -> Bool { core.isActorDone() }
    public var agentCounts: [StepKey: Int] { core.agentCounts }
    public var events: EventContext { core.events }
    public func calculateKPIs() -> [String: Double] { core.calculateKPIs() }
    public func render() -> String? { core.render(action: lastMazeAction) }
}
