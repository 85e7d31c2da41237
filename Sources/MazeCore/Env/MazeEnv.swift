/// A ``CoreEnv`` with observation and action conversions per sub-step key: the bridge from the
/// simulation's MazeStates/MazeActions to dictionary spaces (Maze's MazeEnv).
public final class MazeEnv<Core: CoreEnv>: StructuredEnv {
    /// The wrapped simulation.
    public let core: Core
    @usableFromInline let stepKeys: [StepKey]
    @usableFromInline let observationConversions: [any ObservationConversion<Core.MazeState>]
    @usableFromInline let actionConversions: [any ActionConversion<Core.MazeState, Core.MazeAction>]
    @usableFromInline let actionSlot: MazeActionSlot<Core.MazeAction>
    /// The buffer path compiled for the concrete core and conversions (single-step envs only).
    @usableFromInline let specialized: SpecializedBufferPath?
    /// The action the flat path unflattens rows into, kept between steps so that it writes in place.
    private var flatActionScratch: Action?

    /// The MazeAction of the last step, for rendering and deployment.
    public var lastMazeAction: Core.MazeAction? { actionSlot.value }

    /// One conversion pair per sub-step key; both dictionaries must have the same keys.
    public init(
        core: Core,
        observationConversions: [StepKey: any ObservationConversion<Core.MazeState>],
        actionConversions: [StepKey: any ActionConversion<Core.MazeState, Core.MazeAction>]
    ) throws(MazeError) {
        let keys = observationConversions.keys.sorted()
        guard keys == actionConversions.keys.sorted(), !keys.isEmpty else {
            throw .invalidConfiguration(
                "observation conversion keys \(keys) differ from action conversion keys \(actionConversions.keys.sorted())"
            )
        }
        self.core = core
        stepKeys = keys
        self.observationConversions = keys.compactMap { observationConversions[$0] }
        self.actionConversions = keys.compactMap { actionConversions[$0] }
        actionSlot = MazeActionSlot()
        specialized = nil
    }

    /// A single-step environment with one conversion pair under step key `0`.
    ///
    /// Inlinable so that the allocation-free buffer path is compiled for the concrete types where the
    /// env is created: unspecialized generic stepping costs several times the simulation itself.
    @inlinable
    public init<Observations: ObservationConversion, Actions: ActionConversion>(
        core: Core, observationConversion: Observations, actionConversion: Actions
    )
    where
        Observations.MazeState == Core.MazeState, Actions.MazeState == Core.MazeState,
        Actions.MazeAction == Core.MazeAction
    {
        let slot = MazeActionSlot<Core.MazeAction>()
        self.core = core
        stepKeys = [0]
        observationConversions = [observationConversion]
        actionConversions = [actionConversion]
        actionSlot = slot
        specialized = SpecializedBufferPath(
            reset: { buffer in
                core.events.beginEpisode()
                slot.value = nil
                try observationConversion.writeObservation(from: try core.reset(), into: buffer)
            },
            step: { action, buffer in
                let mazeAction = try actionConversion.mazeAction(from: action, state: core.mazeState)
                let result = try core.step(mazeAction)
                slot.value = mazeAction
                core.events.finishStep()
                try observationConversion.writeObservation(from: result.state, into: buffer)
                return StepOutcome(reward: result.reward, terminated: result.done)
            })
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
        actionSlot.value = nil
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
        if let specialized { return try specialized.reset(buffer) }
        events.beginEpisode()
        actionSlot.value = nil
        let state = try core.reset()
        try observationConversions[try conversionIndex(for: core.actorID.stepKey)]
            .writeObservation(from: state, into: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        if let specialized { return try specialized.step(action, buffer) }
        let result = try coreStep(action)
        try observationConversions[try conversionIndex(for: core.actorID.stepKey)]
            .writeObservation(from: result.state, into: buffer)
        return StepOutcome(reward: result.reward, terminated: result.done)
    }

    public func step(
        flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> StepOutcome {
        let space = actionSpace
        try space.checkFlatRow(flatAction)
        // Take the scratch value out of the property so that it is uniquely referenced while written;
        // only single-step envs reuse it, as sub-steps have different action layouts.
        var action = (stepKeys.count == 1 ? flatActionScratch : nil) ?? space.zeroValue
        flatActionScratch = nil
        space.unflatten(flatAction, into: &action)
        defer { flatActionScratch = action }
        return try step(action, observationInto: buffer)
    }

    private func coreStep(_ action: Action) throws -> CoreStepResult<Core.MazeState> {
        let conversion = actionConversions[try conversionIndex(for: core.actorID.stepKey)]
        let mazeAction = try conversion.mazeAction(from: action, state: core.mazeState)
        let result = try core.step(mazeAction)
        actionSlot.value = mazeAction
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

/// Holds the last MazeAction; shared with the specialized stepping closures, which cannot see the env.
@usableFromInline
final class MazeActionSlot<Value> {
    @usableFromInline var value: Value?
    @usableFromInline init() {}
}

/// The buffer path of a single-step ``MazeEnv`` as closures compiled for its concrete types.
@usableFromInline
struct SpecializedBufferPath {
    @usableFromInline let reset: (UnsafeMutableBufferPointer<Float>) throws -> Void
    @usableFromInline let step: (Action, UnsafeMutableBufferPointer<Float>) throws -> StepOutcome

    @usableFromInline
    init(
        reset: @escaping (UnsafeMutableBufferPointer<Float>) throws -> Void,
        step: @escaping (Action, UnsafeMutableBufferPointer<Float>) throws -> StepOutcome
    ) {
        self.reset = reset
        self.step = step
    }
}
