import MazeCore

/// A classic-control task as a MazeCore ``CoreEnv``: the MazeState is the physics value itself and the
/// MazeAction its action; start states come from the env's own seeded ``MazeRandom``.
///
/// `done` means Gymnasium's `terminated`; the time limit (`truncated`) is added by the `TimeLimit`
/// wrapper, as `gymnasium.make` does (see `Registries.registerMazeEnvs()`).
public final class ClassicControlCoreEnv<Dynamics: ClassicControlDynamics>: CoreEnv {
    public typealias MazeState = Dynamics
    public typealias MazeAction = Dynamics.Action

    public private(set) var mazeState: Dynamics
    public let events = EventContext()
    private var random: MazeRandom
    private let renderer = ClassicControlTextRenderer<Dynamics>()

    /// A task whose first reset draws its start state from `seed`.
    public init(seed: UInt64 = 0) {
        random = MazeRandom(seed: seed)
        var preview = random
        mazeState = Dynamics.randomStart(using: &preview)
    }

    public func reset() -> Dynamics {
        mazeState = Dynamics.randomStart(using: &random)
        return mazeState
    }

    public func step(_ action: Dynamics.Action) throws -> CoreStepResult<Dynamics> {
        let transition = try mazeState.step(action)
        return CoreStepResult(state: mazeState, reward: transition.reward, done: transition.terminated)
    }

    /// Steps with a space action and writes the observation, in place: the hot path of ``ClassicControlEnv``.
    func step(
        spaceAction: NDArray, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> ClassicControlTransition {
        try mazeState.step(spaceAction: spaceAction, observationInto: buffer)
    }

    /// Writes the observation of the current state straight from the stored physics value.
    func writeObservation(into buffer: UnsafeMutableBufferPointer<Float>) {
        mazeState.writeObservation(into: buffer)
    }

    public func seed(_ seed: UInt64) {
        random = MazeRandom(seed: seed)
    }

    /// Replaces the physical state, e.g. to replay an episode recorded elsewhere from its start state.
    public func restore(_ state: Dynamics) {
        mazeState = state
    }

    public func render(action: Dynamics.Action?) -> String? {
        renderer.render(state: mazeState, action: action)
    }
}
