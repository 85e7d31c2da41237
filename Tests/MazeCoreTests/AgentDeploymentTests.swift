import Testing

@testable import MazeCore

/// Moves by the oldest slot of the stacked `steps` observation, so its actions reveal the stack's state.
private final class StackReadingPolicy: Policy {
    func seed(_ seed: UInt64) {}
    func computeAction(observation: Observation, actorID: ActorID, deterministic: Bool, env: (any StructuredEnv)?)
        throws -> Action
    {
        ["move": .scalar(min(2, try observation.require("steps").int(at: 0)))]
    }
}

@Suite struct AgentDeploymentTests {
    private func deployment(timeLimit: Int? = nil) throws -> AgentDeployment<WalkCore.State, Int> {
        try AgentDeployment(
            observationConversion: WalkObservation(bound: 100), actionConversion: WalkAction(),
            placeholderState: WalkCore.State(position: 0, steps: 0),
            wrap: { env in
                let limited = try timeLimit.map { try TimeLimitWrapper(env, maxEpisodeSteps: $0) } ?? env
                return try ObservationStackWrapper(limited, configs: [.init(observation: "steps", stackSteps: 2)])
            },
            policy: { _ in StackReadingPolicy() })
    }

    private func state(_ steps: Int) -> WalkCore.State { WalkCore.State(position: 0, steps: steps) }

    @Test func wrapperStateStaysOnTheAgentSideAcrossCalls() throws {
        let agent = try deployment()
        defer { agent.close() }
        let actions = try (0..<4).map { try agent.act(mazeState: state($0), reward: 1) }
        // stacks [0,0], [0,1], [1,2], [2,3] → moves 0, 0, 1, 2 → MazeActions -1, -1, 0, 1
        #expect(actions == [-1, -1, 0, 1])
        #expect(try agent.act(mazeState: state(4), done: true) == nil)
        // a new episode starts with an empty stack
        let restart = try agent.act(mazeState: state(7))
        #expect(restart == -1)
        #expect(try agent.act(mazeState: state(8)) == 1)
    }

    @Test func aWrapperEndingTheEpisodeRestartsFromTheCurrentState() throws {
        let agent = try deployment(timeLimit: 2)
        defer { agent.close() }
        #expect(try agent.act(mazeState: state(0)) == -1)
        #expect(try agent.act(mazeState: state(1)) == -1)
        // the time limit ends the stack's episode here: the stack restarts as [0, 2]
        #expect(try agent.act(mazeState: state(2)) == -1)
        #expect(try agent.act(mazeState: state(3)) == 1)
    }

    @Test func closedDeploymentsRefuseToAct() throws {
        let agent = try deployment()
        agent.close()
        #expect(throws: MazeError.self) { try agent.act(mazeState: state(0)) }
    }
}
