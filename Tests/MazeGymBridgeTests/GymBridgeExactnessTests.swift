import Foundation
import MazeCore
import MazeGymBridge
import Testing

@testable import MazeEnvs

/// The bridged Gymnasium classic-control envs and swift-maze's native ports give the same observations,
/// rewards and flags from the same start states (the native env's seeded starts, set in the Gymnasium env)
/// under the same seeded random actions, through batched vector steps and Gymnasium's own time limits.
@Suite(.serialized) struct GymBridgeExactnessTests {
    @Test(arguments: ["CartPole-v1", "Acrobot-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0"])
    func bridgedEnvMatchesNativePort(id: String) throws {
        let seeds: [UInt64] = [1, 2]
        let natives = try seeds.map { _ in try Registries.withMazeEnvs.makeEnv(id) }
        let nativeVector = try SequentialVectorEnv(envs: natives)
        try nativeVector.reset(seed: 5)
        // Env i of the bridged vector env starts from env i's native start (one host, one server per env).
        let bridgedEnvs = try natives.map { native in
            let start = try startState(of: native, id: id)
            return try BridgeTestSupport.host(
                target: "bridge_test_envs:start_state",
                ["env_id": .string(id), "start_states": .list([.list(start.map(ConfigNode.double))])]
            ).makeEnv()
        }
        let bridgedVector = try SequentialVectorEnv(envs: bridgedEnvs)
        try bridgedVector.reset(seed: 0)
        #expect(maxDifference(nativeVector.observations, bridgedVector.observations) <= 1e-5)
        var random = MazeRandom(seed: 11)
        var episodesEnded = 0
        for step in 0..<1000 {
            var actions: [Float] = []
            for _ in seeds {
                actions += try nativeVector.actionSpace.flatten(nativeVector.actionSpace.sample(using: &random))
            }
            nativeVector.actions = actions
            bridgedVector.actions = actions
            try nativeVector.step()
            try bridgedVector.step()
            for index in seeds.indices {
                #expect(
                    abs(nativeVector.rewards[index] - bridgedVector.rewards[index]) <= 1e-4,
                    "\(id) step \(step) env \(index)")
                #expect(
                    nativeVector.terminated[index] == bridgedVector.terminated[index], "\(id) step \(step) env \(index)"
                )
                #expect(
                    nativeVector.truncated[index] == bridgedVector.truncated[index], "\(id) step \(step) env \(index)")
            }
            let ended = zip(nativeVector.dones, bridgedVector.dones).contains { $0 || $1 }
            let native = ended ? nativeVector.finalObservations : nativeVector.observations
            let bridged = ended ? bridgedVector.finalObservations : bridgedVector.observations
            let width = nativeVector.observationSpace.flatCount
            for index in seeds.indices where !ended || nativeVector.dones[index] {
                let rows = index * width..<(index + 1) * width
                #expect(
                    maxDifference(Array(native[rows]), Array(bridged[rows])) <= 1e-4, "\(id) step \(step) env \(index)")
            }
            if ended {
                episodesEnded += 1
                break
            }
        }
        #expect(episodesEnded <= 1)
    }

    private func startState(of env: any StructuredEnv, id: String) throws -> [Double] {
        let inner = (env as? TimeLimitWrapper)?.inner
        switch id {
        case "CartPole-v1": return try #require(inner as? ClassicControlEnv<CartPole>).core.mazeState.stateVector
        case "Acrobot-v1": return try #require(inner as? ClassicControlEnv<Acrobot>).core.mazeState.stateVector
        case "Pendulum-v1": return try #require(inner as? ClassicControlEnv<Pendulum>).core.mazeState.stateVector
        case "MountainCar-v0": return try #require(inner as? ClassicControlEnv<MountainCar>).core.mazeState.stateVector
        default: return try #require(inner as? ClassicControlEnv<MountainCarContinuous>).core.mazeState.stateVector
        }
    }

    private func maxDifference(_ lhs: [Float], _ rhs: [Float]) -> Float {
        guard lhs.count == rhs.count else { return .infinity }
        return zip(lhs, rhs).map { abs($0 - $1) }.max() ?? 0
    }
}
