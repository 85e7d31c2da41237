import MazeCore

/// A classic-control task as a ``StructuredEnv``: ``ClassicControlCoreEnv`` with its observation and
/// action conversions held by their concrete types.
///
/// It behaves as `MazeEnv(core:observationConversion:actionConversion:)` over the same parts, but the
/// step does not go through the generic MazeEnv's conversion existentials, whose runtime metadata
/// lookups cost more than the CartPole physics itself on the vector-env path.
public final class ClassicControlEnv<Dynamics: ClassicControlDynamics>: StructuredEnv {
    /// The simulation: physics value, seeded start states, events.
    public let core: ClassicControlCoreEnv<Dynamics>
    private let observationConversion: ClassicControlObservationConversion<Dynamics>
    private let actionConversion: ClassicControlActionConversion<Dynamics>
    public let observationSpaces: [StepKey: DictSpace]
    public let actionSpaces: [StepKey: DictSpace]
    private var lastAction: Dynamics.Action?

    /// The task with Maze's Gym naming (`observation`, `action`); the first reset draws from `seed`.
    public init(seed: UInt64 = 0) throws(MazeError) {
        core = ClassicControlCoreEnv(seed: seed)
        observationConversion = try ClassicControlObservationConversion()
        actionConversion = try ClassicControlActionConversion()
        observationSpaces = [0: observationConversion.space]
        actionSpaces = [0: actionConversion.space]
    }

    public func reset() throws -> Observation {
        startEpisode()
        return observationConversion.observation(from: core.reset())
    }

    public func step(_ action: Action) throws -> StepResult {
        let transition = try advance(action)
        return StepResult(
            observation: observationConversion.observation(from: core.mazeState),
            outcome: StepOutcome(reward: transition.reward, terminated: transition.terminated))
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        startEpisode()
        _ = core.reset()
        core.writeObservation(into: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws -> StepOutcome {
        let transition = try advance(action)
        core.writeObservation(into: buffer)
        return StepOutcome(reward: transition.reward, terminated: transition.terminated)
    }

    private func startEpisode() {
        core.events.beginEpisode()
        lastAction = nil
    }

    private func advance(_ action: Action) throws -> ClassicControlTransition {
        let mazeAction = try actionConversion.mazeAction(from: action, state: core.mazeState)
        let transition = try core.advance(mazeAction)
        lastAction = mazeAction
        core.events.finishStep()
        return transition
    }

    public func seed(_ seed: UInt64) { core.seed(seed) }
    public func close() { core.close() }
    public var actorID: ActorID { core.actorID }
    public func isActorDone() -> Bool { core.isActorDone() }
    public var agentCounts: [StepKey: Int] { core.agentCounts }
    public var events: EventContext { core.events }
    public func calculateKPIs() -> [String: Double] { core.calculateKPIs() }
    public func render() -> String? { core.render(action: lastAction) }
}
