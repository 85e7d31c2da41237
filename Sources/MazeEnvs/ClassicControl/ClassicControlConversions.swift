import MazeCore

/// The observation of a classic-control task as Maze's Gym envs name it: one float32 Box `"observation"`.
struct ClassicControlObservationConversion<Dynamics: ClassicControlDynamics>: ObservationConversion {
    let space: DictSpace

    init() throws(MazeError) {
        let box = try BoxSpace(
            low: Dynamics.observationLow.map(Double.init), high: Dynamics.observationHigh.map(Double.init))
        space = ["observation": .box(box)]
    }

    func observation(from state: Dynamics) -> Observation {
        ["observation": NDArray(floats: state.observation)]
    }

    /// Writes straight from the physics into the batch row: no dictionary on the vector-env path.
    func writeObservation(from state: Dynamics, into buffer: UnsafeMutableBufferPointer<Float>) {
        state.writeObservation(into: buffer)
    }
}

/// The action of a classic-control task as Maze's Gym envs name it: one entry `"action"`.
struct ClassicControlActionConversion<Dynamics: ClassicControlDynamics>: ActionConversion {
    let space: DictSpace

    init() throws(MazeError) {
        space = ["action": try Dynamics.makeActionSpace()]
    }

    func mazeAction(from action: Action, state: Dynamics) throws -> Dynamics.Action {
        try Dynamics.action(from: action.require("action"))
    }

    func action(from mazeAction: Dynamics.Action) -> Action {
        ["action": Dynamics.array(from: mazeAction)]
    }
}
