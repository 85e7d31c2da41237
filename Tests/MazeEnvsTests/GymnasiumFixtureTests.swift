import Foundation
import MazeCore
import Testing

@testable import MazeEnvs

/// Replays the episodes recorded from Gymnasium by `tools/gen_gym_fixtures.py` from the same start states.
@Suite struct GymnasiumFixtureTests {
    @Test func cartPoleMatchesGymnasium() throws {
        try replay(CartPole.self, file: "CartPole-v1.json") { .scalar(try $0.intAction) }
    }

    @Test func acrobotMatchesGymnasium() throws {
        try replay(Acrobot.self, file: "Acrobot-v1.json") { .scalar(try $0.intAction) }
    }

    @Test func pendulumMatchesGymnasium() throws {
        try replay(Pendulum.self, file: "Pendulum-v1.json") { NDArray(floats: [Float($0)]) }
    }

    @Test func mountainCarMatchesGymnasium() throws {
        try replay(MountainCar.self, file: "MountainCar-v0.json") { .scalar(try $0.intAction) }
    }

    @Test func mountainCarContinuousMatchesGymnasium() throws {
        try replay(MountainCarContinuous.self, file: "MountainCarContinuous-v0.json") { NDArray(floats: [Float($0)]) }
    }

    @Test func wrongStateLengthIsATypedError() {
        #expect(throws: ClassicControlError.wrongStateLength(expected: 4, actual: 2)) {
            try CartPole(stateVector: [0, 0])
        }
    }

    @Test func outOfRangeDiscreteActionIsATypedError() throws {
        var pole = try CartPole(stateVector: [0, 0, 0, 0])
        #expect(throws: ClassicControlError.invalidAction(2)) { try pole.step(2) }
        var car = MountainCar(position: -0.5, velocity: 0)
        #expect(throws: ClassicControlError.invalidAction(-1)) { try car.step(-1) }
    }

    /// Steps the env as the registry builds it (MazeEnv + TimeLimit) from each recorded start state.
    private func replay<Dynamics: ClassicControlDynamics>(
        _: Dynamics.Type, file: String, action: (Double) throws -> NDArray
    ) throws {
        let fixture = try GymnasiumFixture.load(file)
        #expect(fixture.envId == Dynamics.gymID)
        #expect(fixture.maxEpisodeSteps == Dynamics.maxEpisodeSteps)
        #expect(fixture.episodes.contains { $0.truncated.last == 1 }, "at least one episode runs into truncation")
        let env = try #require(try Registries.withMazeEnvs.makeEnv(Dynamics.gymID) as? TimeLimitWrapper)
        let mazeEnv = try #require(env.inner as? ClassicControlEnv<Dynamics>)
        for recorded in fixture.episodes {
            _ = try env.reset()
            mazeEnv.core.restore(try Dynamics(stateVector: recorded.startState))
            var maxDifference: Float = 0
            for (index, recordedAction) in recorded.actions.enumerated() {
                let result = try env.step(["action": try action(recordedAction)])
                let observation = try result.observation.require("observation").floats
                #expect(observation.count == recorded.observations[index].count)
                for (mine, theirs) in zip(observation, recorded.observations[index]) {
                    maxDifference = max(maxDifference, abs(mine - Float(theirs)))
                }
                #expect(result.reward == recorded.rewards[index], "seed \(recorded.seed) step \(index)")
                #expect(result.terminated == (recorded.terminated[index] == 1), "seed \(recorded.seed) step \(index)")
                #expect(result.truncated == (recorded.truncated[index] == 1), "seed \(recorded.seed) step \(index)")
            }
            #expect(maxDifference <= 1e-5, "seed \(recorded.seed): max |Δobs| = \(maxDifference)")
        }
    }
}

/// The JSON written by `tools/gen_gym_fixtures.py`.
struct GymnasiumFixture: Decodable {
    struct Episode: Decodable {
        let seed: Int
        let startState: [Double]
        let actions: [Double]
        let observations: [[Double]]
        let rewards: [Double]
        let terminated: [Int]
        let truncated: [Int]
    }

    let envId: String
    let maxEpisodeSteps: Int
    let episodes: [Episode]

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")

    static func load(_ name: String) throws -> GymnasiumFixture {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(GymnasiumFixture.self, from: Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

extension Double {
    /// A discrete action recorded as a JSON number.
    fileprivate var intAction: Int {
        get throws {
            try #require(Int(exactly: self))
        }
    }
}
