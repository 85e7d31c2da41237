import MazeCore

/// A classic-control task as a MazeCore ``CoreEnv``: the MazeState is the physics value itself and the
/// MazeAction its action; start states come from the env's own seeded ``MazeRandom``.
///
/// `done` means Gymnasium's `terminated`; the time limit (`truncated`) is added by the `TimeLimit`
/// wrapper, as `gymnasium.make` does (see `Registries.registerMazeEnvs()`).
package final class ClassicControlCoreEnv<Dynamics: ClassicControlDynamics>: CoreEnv {
    package typealias MazeState = Dynamics
    package typealias MazeAction = Dynamics.Action

    /// The physics value, mutated every step: in a cell rather than a stored property, whose runtime
    /// exclusivity check would cost a large share of a CartPole step.
    private let physicsCell: StepStateCell<Dynamics>
    private var physics: Dynamics {
        get { physicsCell.value }
        _modify { yield &physicsCell.value }
    }
    package var mazeState: Dynamics { physics }
    package let events = EventContext()
    private var random: MazeRandom
    private let renderer = ClassicControlTextRenderer<Dynamics>()

    /// A task whose first reset draws its start state from `seed`.
    package init(seed: UInt64 = 0) {
        random = MazeRandom(seed: seed)
        var preview = random
        physicsCell = StepStateCell(Dynamics.randomStart(using: &preview))
    }

    package func reset() -> Dynamics {
        physics = Dynamics.randomStart(using: &random)
        return physics
    }

    package func step(_ action: Dynamics.Action) throws -> CoreStepResult<Dynamics> {
        let transition = try physics.step(action)
        return CoreStepResult(state: physics, reward: transition.reward, done: transition.terminated)
    }

    /// Steps with a space action and writes the observation, in place: the hot path of ``ClassicControlEnv``.
    func step(
        spaceAction: NDArray, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition {
        try physics.step(spaceAction: spaceAction, observationInto: buffer)
    }

    /// Steps with the one value of a flat action row and writes the observation, in place.
    func step(flatAction: Float, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> ClassicControlTransition
    {
        try physics.step(flatAction: flatAction, observationInto: buffer)
    }

    /// Writes the observation of the current state straight from the stored physics value.
    func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        physics.writeObservation(into: buffer)
    }

    package func seed(_ seed: UInt64) {
        random = MazeRandom(seed: seed)
    }

    /// Replaces the physical state, e.g. to replay an episode recorded elsewhere from its start state.
    package func restore(_ state: Dynamics) {
        physics = state
    }

    package func render(action: Dynamics.Action?) -> String? {
        renderer.render(state: physics, action: action)
    }
}
