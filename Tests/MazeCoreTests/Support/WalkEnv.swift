import MazeCore

/// A one-dimensional random walk used as the test environment: the agent moves left, stays or moves
/// right; the episode terminates at ±`bound`. The start position is drawn from the env's seed, and
/// every step records a `WalkEvents.moved` event with the new position.
final class WalkCore: CoreEnv {
    struct State: Equatable {
        var position: Int
        var steps: Int
    }

    static let moved = EventDescriptor(
        topic: "WalkEvents", name: "moved",
        statistics: EventStatistics(
            step: .value(attribute: "position"),
            episode: [.init(.max, output: "step_max"), .init(.mean, output: "step_mean")],
            epoch: [
                .init(.max, input: "step_max", output: "step_max"),
                .init(.mean, input: "step_mean", output: "step_mean"),
            ]))
    static let stayed = EventDescriptor(topic: "WalkEvents", name: "stayed")

    let bound: Int
    private var random = MazeRandom(seed: 0)
    private(set) var mazeState = State(position: 0, steps: 0)
    let events = EventContext()

    init(bound: Int = 5) { self.bound = bound }

    func reset() throws -> State {
        mazeState = State(position: random.nextInt(below: 2 * bound - 1) - (bound - 1), steps: 0)
        return mazeState
    }

    func step(_ action: Int) throws -> CoreStepResult<State> {
        mazeState.position += action
        mazeState.steps += 1
        events.record(Self.moved, attributes: ["position": Double(mazeState.position)])
        if action == 0 { events.record(Self.stayed) }
        return CoreStepResult(state: mazeState, reward: Double(action), done: abs(mazeState.position) >= bound)
    }

    func seed(_ seed: UInt64) { random = MazeRandom(seed: seed) }

    func calculateKPIs() -> [String: Double] { ["final_position": Double(mazeState.position)] }

    func render(action: Int?) -> String? { "position \(mazeState.position)" }
}

struct WalkObservation: ObservationConversion {
    let space: DictSpace

    init(bound: Int) throws {
        space = [
            "position": .box(try BoxSpace(low: Double(-bound), high: Double(bound), shape: [1])),
            "steps": .discrete(1000),
        ]
    }

    func observation(from state: WalkCore.State) -> Observation {
        ["position": NDArray(floats: [Float(state.position)]), "steps": .scalar(state.steps)]
    }
}

struct WalkAction: ActionConversion {
    var space: DictSpace { ["move": .discrete(3)] }
    func mazeAction(from action: Action, state: WalkCore.State) throws -> Int {
        try action.require("move").int(at: 0) - 1
    }
    func action(from mazeAction: Int) -> Action { ["move": .scalar(mazeAction + 1)] }
}

/// A flat walk environment (one sub-step, one agent).
func makeWalkEnv(bound: Int = 5) throws -> MazeEnv<WalkCore> {
    MazeEnv(
        core: WalkCore(bound: bound), observationConversion: try WalkObservation(bound: bound),
        actionConversion: WalkAction())
}
