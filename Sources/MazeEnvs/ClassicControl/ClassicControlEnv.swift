import MazeCore

/// A classic-control task as a ``StructuredEnv``: ``ClassicControlCoreEnv`` with the spaces of its
/// observation and action conversions.
///
/// It behaves as `MazeEnv(core:observationConversion:actionConversion:)` over the same parts, but a
/// step is one call into code compiled for the concrete task
/// (``ClassicControlDynamics/step(spaceAction:observationInto:)``) instead of the generic MazeEnv's
/// conversion existentials, whose runtime metadata lookups cost more than the CartPole physics itself
/// on the vector-env path.
package final class ClassicControlEnv<Dynamics: ClassicControlDynamics>: StructuredEnv {
    /// The simulation: physics value, seeded start states, events.
    package let core: ClassicControlCoreEnv<Dynamics>
    private let observationConversion: ClassicControlObservationConversion<Dynamics>
    package let observationSpaces: [StepKey: DictSpace]
    package let actionSpaces: [StepKey: DictSpace]
    /// The last step's action value, for rendering (kept as the flat value: storing a generic
    /// `Dynamics.Action?` would cost a metadata lookup on every step, an `NDArray` a retain).
    private var lastActionValue: Float?

    /// The task with Maze's Gym naming (`observation`, `action`); the first reset draws from `seed`.
    package init(seed: UInt64 = 0) throws(MazeError) {
        core = ClassicControlCoreEnv(seed: seed)
        observationConversion = try ClassicControlObservationConversion()
        observationSpaces = [0: observationConversion.space]
        actionSpaces = [0: try ClassicControlActionConversion<Dynamics>().space]
    }

    package func reset() throws -> Observation {
        startEpisode()
        return observationConversion.observation(from: core.reset())
    }

    /// The dictionary path: the same step, with the observation built by the conversion.
    package func step(_ action: Action) throws -> StepResult {
        var scratch = [Float](repeating: 0, count: Dynamics.observationCount)
        let transition = try scratch.withUnsafeMutableBufferPointer { try advance(action, observationInto: $0) }
        return StepResult(
            observation: observationConversion.observation(from: core.mazeState),
            outcome: StepOutcome(reward: transition.reward, terminated: transition.terminated))
    }

    package func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        startEpisode()
        _ = core.reset()
        core.writeObservation(into: buffer)
    }

    package func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws -> StepOutcome
    {
        let transition = try advance(action, observationInto: buffer)
        return StepOutcome(reward: transition.reward, terminated: transition.terminated)
    }

    /// The vector-env path: the one value of the row goes straight to the physics.
    package func step(
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

    package func seed(_ seed: UInt64) { core.seed(seed) }
    package func close() { core.close() }
    package var actorID: ActorID { core.actorID }
    package func isActorDone() -> Bool { core.isActorDone() }
    package var agentCounts: [StepKey: Int] { core.agentCounts }
    package var events: EventContext { core.events }
    package func calculateKPIs() -> [String: Double] { core.calculateKPIs() }
    /// The action was validated when it was stepped, so converting it again cannot fail.
    package func render() -> String? {
        core.render(action: lastActionValue.flatMap { try? Dynamics.action(flatValue: $0) })
    }
}
