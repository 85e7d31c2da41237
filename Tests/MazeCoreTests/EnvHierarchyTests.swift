import Testing

@testable import MazeCore

@Suite struct EnvHierarchyTests {
    @Test func mazeEnvConvertsStatesAndActionsAndRecordsEventsPerStep() throws {
        let env = try makeWalkEnv(bound: 100)
        env.seed(4)
        let start = try env.reset()
        #expect(env.observationSpace.contains(start))
        let result = try env.step(["move": .scalar(1)])
        #expect(result.reward == 0)
        #expect(try result.observation.require("steps") == .scalar(1))
        #expect(env.events.lastStep.map(\.descriptor) == [WalkCore.moved, WalkCore.stayed])
        _ = try env.step(["move": .scalar(2)])
        #expect(env.events.query(WalkCore.stayed).count == 1)
        #expect(env.events.query(WalkCore.moved).count == 2)
        #expect(env.render() == "position \(try start.require("position").int(at: 0) + 1)")
        #expect(env.lastMazeAction == 1)
        #expect(throws: MazeError.self) { try env.step(["jump": .scalar(1)]) }
        _ = try env.reset()
        #expect(env.events.steps.isEmpty)
    }

    @Test func conversionKeysMustMatch() throws {
        #expect(throws: MazeError.self) {
            try MazeEnv(
                core: WalkCore(), observationConversions: [0: try WalkObservation(bound: 5)],
                actionConversions: [1: WalkAction()])
        }
    }

    @Test func flatViewStepsWithFlatRowsAndRejectsStructuredEnvs() throws {
        let view = try FlatEnvView(makeWalkEnv(bound: 2))
        let first = try view.reset(seed: 1)
        #expect(first.count == 2)
        #expect(try view.reset(seed: 1) == first)
        let step = try view.step([2])
        #expect(step.observation == [first[0] + 1, 1])
        #expect(step.reward == 1)
        #expect(throws: MazeError.self) { try view.step([1, 1]) }
        #expect(throws: MazeError.self) { try FlatEnvView(TwoStepEnv()) }
    }

    @Test func structuredEnvsExposeTheActiveActorsSpaces() throws {
        let env = TwoStepEnv()
        _ = try env.reset()
        #expect(env.actorID == ActorID(stepKey: 0, agentID: 0))
        #expect(env.actionSpace.keys == ["slot"])
        _ = try env.step(["slot": .scalar(1)])
        #expect(env.actorID.stepKey == 1)
        #expect(env.actionSpace.keys == ["direction"])
        #expect(env.agentCounts == [0: 1, 1: 1])
        let sorted = SortedSpacesWrapper(env)
        #expect(sorted.actorID.stepKey == 1)
        #expect([StepKey(10), StepKey(9), "b", "a"].sorted() == [9, 10, "a", "b"])
    }
}
