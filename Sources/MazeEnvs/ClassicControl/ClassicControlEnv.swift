import MazeCore

/// A classic-control task as a ``StructuredEnv``: ``ClassicControlCoreEnv`` with the spaces of its
/// observation and action conversions.
///
/// It behaves as `MazeEnv(core:observationConversion:actionConversion:)` over the same parts, but a
/// step is one call into code compiled for the concrete task
/// (``ClassicControlDynamics/step(spaceAction:observationInto:)``) instead of the generic MazeEnv's
/// conversion existentials, whose runtime metadata lookups cost more than the CartPole physics itself
/// on the vector-env path.
public final class ClassicControlEnv<Dynamics: ClassicControlDynamics>: StructuredEnv {
    /// The simulation: physics value, seeded start states, events.
    public let core: ClassicControlCoreEnv<Dynamics>
    private let observationConversion: ClassicControlObservationConversion<Dynamics>
    public let observationSpaces: [StepKey: DictSpace]
    public let actionSpaces: [StepKey: DictSpace]
    /// The last step's action value, for rendering (kept as the flat value: storing a generic
    /// `Dynamics.Action?` would cost a metadata lookup on every step, an `NDArray` a retain).
    private var lastActionValue: Float?

    /// The task with Maze's Gym naming (`observation`, `action`); the first reset draws from `seed`.
    public init(seed: UInt64 = 0) throws(MazeError) {
        core = ClassicControlCoreEnv(seed: seed)
        observationConversion = try ClassicControlObservationConversion()
        observationSpaces = [0: observationConversion.space]
        actionSpaces = [0: try ClassicControlActionConversion<Dynamics>().space]
    }

    public func reset() throws -> Observation {
        startEpisode()
        return observationConversion.observation(from: core.reset())
    }

    /// The dictionary path: the same step, with the observation built by the conversion.
    public func step(_ action: Action) throws -> StepResult {
        var scratch = [Float](repeating: 0, count: Dynamics.observationCount)
        let transition = try scratch.withUnsafeMutableBufferPointer { try advance(action, observationInto: $0) }
        return StepResult(
            observation: observationConversion.observation(from: core.mazeState),
            outcome: StepOutcome(reward: transition.reward, terminated: transition.terminated))
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        startEpisode()
        _ = core.reset()
        core.writeObservation(into: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws -> StepOutcome
    {
        let transition = try advance(action, observationInto: buffer)
        return StepOutcome(reward: transition.reward, terminated: transition.terminated)
    }

    /// The vector-env path: the one value of the row goes straight to the physics.
    public func step(
        flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> StepOutcome {
        guard flatAction.count == 1 else {
            throw MazeError.invalidValue("a flat action row has \(flatAction.count) values, the action space needs 1")
        }
        let transition = try core.step(flatAction: flatAction[0], observationInto: buffer)
        lastActionValue = flatAction[0]
        return StepOutcome(reward: transition.reward, terminated: transition.terminated)
    }

    private func startEpisode() {
        core.events.beginEpisode()
        lastActionValue = nil
    }

    private func advance(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> ClassicControlTransition
    {
        let spaceAction = try action.require("action")
        let transition = try core.step(spaceAction: spaceAction, observationInto: buffer)
        // validated by the step: one value
        lastActionValue = spaceAction.float(at: 0)
        // The classic-control tasks report no events, so there is no step log to close (MazeEnv's
        // `finishStep` would append an empty one per step; its cost showed in vector-env profiles).
        return transition
    }

    public func seed(_ seed: UInt64) { core.seed(seed) }
    public func close() { core.close() }
    public var actorID: ActorID { core.actorID }
    public func isActorDone() -> Bool { core.isActorDone() }
    public var agentCounts: [StepKey: Int] { core.agentCounts }
    public var events: EventContext { core.events }
    public func calculateKPIs() -> [String: Double] { core.calculateKPIs() }
    /// The action was validated when it was stepped, so converting it again cannot fail.
    public func render() -> String? {
        core.render(action: lastActionValue.flatMap { try? Dynamics.action(flatValue: $0) })
    }
}
