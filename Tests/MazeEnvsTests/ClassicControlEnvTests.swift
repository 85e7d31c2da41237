import MazeCore
import Testing

@testable import MazeEnvs

@Suite struct ClassicControlEnvTests {
    @Test(arguments: ["CartPole-v1", "Acrobot-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0"])
    func registryBuildsEveryTaskWithGymnasiumsTimeLimit(gymID: String) throws {
        let env = try #require(try Registries.withMazeEnvs.makeEnv(gymID) as? TimeLimitWrapper)
        let expected = [
            "CartPole-v1": 500, "Acrobot-v1": 500, "Pendulum-v1": 200, "MountainCar-v0": 200,
            "MountainCarContinuous-v0": 999,
        ]
        #expect(env.maxEpisodeSteps == expected[gymID])
        let observation = try env.reset()
        #expect(env.observationSpace.contains(observation))
        #expect(env.actionSpace.keys == ["action"])
    }

    @Test func unknownEnvNameSuggestsTheNearestOne() {
        #expect(throws: MazeError.unknownName(kind: "environment", name: "CartPole-v2", suggestion: "CartPole-v1")) {
            try Registries.withMazeEnvs.makeEnv("CartPole-v2")
        }
    }

    @Test func sameSeedGivesTheSameStartState() throws {
        let first = try ClassicControlEnv<CartPole>(seed: 42)
        let second = try ClassicControlEnv<CartPole>(seed: 7)
        second.seed(42)
        #expect(try first.reset() == second.reset())
        #expect(try first.reset() != first.reset(), "later resets draw new start states")
        let start = first.core.mazeState
        #expect([start.x, start.xDot, start.theta, start.thetaDot].allSatisfy { abs($0) < 0.05 })
    }

    @Test func heuristicPolicyBalancesTheFullEpisode() throws {
        let env = try Registries.withMazeEnvs.makeEnv("CartPole-v1", ["seed": 3])
        let policy = try Registries.withMazeEnvs.makePolicy("cartpole_heuristic", for: env)
        let results = try rollout(env, policy: policy, steps: 1_000, untilDone: true)
        #expect(results.count == 500)
        #expect(results.allSatisfy { !$0.terminated })
        #expect(results.last?.truncated == true)
    }

    @Test func invalidActionIsATypedErrorThroughTheEnv() throws {
        let env = try ClassicControlEnv<MountainCar>()
        _ = try env.reset()
        #expect(throws: ClassicControlError.invalidAction(3)) { try env.step(["action": .scalar(3)]) }
        #expect(throws: MazeError.self) { try env.step(["force": .scalar(1)]) }
        #expect(throws: MazeError.self) { try env.step(["action": .scalar(Float.nan)]) }
    }

    @Test func flatViewStepsWithFloatRows() throws {
        let view = try FlatEnvView(try ClassicControlEnv<Pendulum>())
        let first = try view.reset(seed: 1)
        #expect(first.count == 3)
        let step = try view.step([0.5])
        #expect(step.observation.count == 3)
        #expect(step.reward <= 0)
        #expect(!step.terminated)
    }

    @Test func rendererNamesTheStateAndAction() throws {
        let env = try ClassicControlEnv<CartPole>()
        _ = try env.reset()
        env.core.restore(CartPole(x: 0.5, xDot: 0, theta: -0.25, thetaDot: 0))
        #expect(env.render() == "CartPole-v1 reset | x=+0.5000 x_dot=+0.0000 theta=-0.2500 theta_dot=+0.0000")
        _ = try env.step(["action": .scalar(1)])
        // one Euler step pushing right at θ = -0.25: ẍ ≈ 9.884, θ̈ ≈ -18.00 (x moves with the old ẋ = 0)
        #expect(env.render() == "CartPole-v1 action=1 | x=+0.5000 x_dot=+0.1977 theta=-0.2500 theta_dot=-0.3600")
    }
}

@Suite struct ClassicControlMazeEnvTests {
    /// The core env and conversions also run under MazeCore's generic MazeEnv, with the same results
    /// as the specialised ClassicControlEnv.
    @Test func mazeEnvOverTheCoreEnvMatchesClassicControlEnv() throws {
        let mazeEnv = MazeEnv(
            core: ClassicControlCoreEnv<Acrobot>(seed: 5),
            observationConversion: try ClassicControlObservationConversion<Acrobot>(),
            actionConversion: try ClassicControlActionConversion<Acrobot>())
        let direct = try ClassicControlEnv<Acrobot>(seed: 5)
        #expect(mazeEnv.observationSpaces == direct.observationSpaces)
        #expect(mazeEnv.actionSpaces == direct.actionSpaces)
        #expect(try mazeEnv.reset() == direct.reset())
        for step in 0..<50 {
            let action: Action = ["action": .scalar(step % 3)]
            let viaMazeEnv = try mazeEnv.step(action)
            let viaDirect = try direct.step(action)
            #expect(viaMazeEnv.observation == viaDirect.observation)
            #expect(viaMazeEnv.outcome == viaDirect.outcome)
        }
        #expect(mazeEnv.render() == direct.render())
    }
}

@Suite struct ClassicControlFlatPathTests {
    /// The vector-env path (flat action values) steps the physics as the dictionary path does.
    @Test(arguments: [false, true])
    func flatActionsStepAsSpaceActions(continuous: Bool) throws {
        let actions: [Float] = continuous ? [0.5, -1, 0.25, 1] : [1, 0, 1, 1]
        func makeEnv() throws -> any StructuredEnv {
            continuous
                ? try ClassicControlEnv<MountainCarContinuous>(seed: 4) : try ClassicControlEnv<CartPole>(seed: 4)
        }
        let dictionary = try makeEnv()
        _ = try dictionary.reset()
        let expected = try actions.map { value in
            let action: Action = ["action": continuous ? NDArray(floats: [value]) : .scalar(Int(value))]
            let result = try dictionary.step(action)
            return (try dictionary.observationSpace.flatten(result.observation), result.outcome)
        }
        let flat = try makeEnv()
        var row = [Float](repeating: 0, count: flat.observationSpace.flatCount)
        try row.withUnsafeMutableBufferPointer { try flat.reset(observationInto: $0) }
        for (value, (observation, outcome)) in zip(actions, expected) {
            let stepped = try row.withUnsafeMutableBufferPointer { buffer in
                try [value].withUnsafeBufferPointer { try flat.step(flatAction: $0, observationInto: buffer) }
            }
            #expect(row == observation)
            #expect(stepped == outcome)
        }
        #expect(flat.render() == dictionary.render())
    }

    @Test func malformedFlatActionsAreTypedErrors() throws {
        let env = try ClassicControlEnv<CartPole>(seed: 1)
        var row = [Float](repeating: 0, count: 4)
        try row.withUnsafeMutableBufferPointer { try env.reset(observationInto: $0) }
        for action: [Float] in [[.nan], [2], [1, 0]] {
            #expect(throws: (any Error).self) {
                try row.withUnsafeMutableBufferPointer { buffer in
                    try action.withUnsafeBufferPointer { try env.step(flatAction: $0, observationInto: buffer) }
                }
            }
        }
    }
}
