import Foundation
import MazeCore
import MazeGymBridge
import Testing

/// Every space kind crosses the bridge intact in both directions, in single and batched steps.
@Suite(.serialized) struct GymBridgeSpacesTests {
    @Test func dictTupleMultiBinaryImageAndMaskRoundTrip() throws {
        let host = try BridgeTestSupport.host(target: "bridge_test_envs:counting", servers: 2, ["length": 4])
        let envs = try (0..<3).map { _ in try host.makeEnv() }
        let space = envs[0].observationSpace
        // Gymnasium sorts the keys of a Dict space.
        #expect(space.keys == ["action_mask", "flags", "image", "pair.0", "pair.1", "position"])
        #expect(space["image"] == .box(try BoxSpace(low: 0, high: 255, shape: [4, 5, 3])))
        #expect(space["flags"] == .multiBinary(4))
        #expect(space["pair.0"] == .discrete(3))
        #expect(envs[0].actionSpace.keys == ["force", "levels", "move"])
        #expect(envs[0].actionSpace["levels"] == .multiDiscrete([2, 4]))

        let vector = try SequentialVectorEnv(envs: envs)
        try vector.reset(seed: 7)
        let width = space.flatCount
        for step in 0..<6 {
            // Env i: move (step + i) % 3, levels [1, 3], force [0.25, -0.5 * i].
            var actions: [Float] = []
            for index in 0..<3 { actions += [0.25, -0.5 * Float(index), 1, 3, Float((step + index) % 3)] }
            let before = vector.observations
            vector.actions = actions
            try vector.step()
            for index in 0..<3 {
                let done = vector.terminated[index]
                let row = Array(
                    (done ? vector.finalObservations : vector.observations)[index * width..<(index + 1) * width])
                let observation = row.withUnsafeBufferPointer { space.unflatten($0) }
                let move = Float((step + index) % 3)
                let previous = Array(before[index * width..<(index + 1) * width]).withUnsafeBufferPointer {
                    space.unflatten($0)
                }
                let t = try previous.require("position").floats[0] + 1
                #expect(try observation.require("position").floats == [t, move, 3])
                let image = try observation.require("image").floats
                #expect(image.count == 60)
                #expect(image.enumerated().allSatisfy { offset, value in value == Float((offset * 4 + Int(t)) % 256) })
                #expect(try observation.require("flags").floats == [Float(Int(t) % 2), 1, 0, 1])
                #expect(try observation.require("pair.0").floats == [move])
                #expect(try observation.require("pair.1").floats == [0.25, -0.5 * Float(index)])
                #expect(try observation.require("action_mask").floats == [1, Float(Int(t) % 2), 1])
                #expect(vector.rewards[index] == move + 1.5)
                #expect(done == (t >= 7))
                #expect(!vector.truncated[index])
            }
        }
    }

    @Test func infoActionMaskBecomesTheMaskObservation() throws {
        let host = try BridgeTestSupport.host(target: "bridge_test_envs:info_mask")
        let env = try host.makeEnv()
        #expect(env.observationSpace.keys == ["observation", "action_mask"])
        var observation = try env.reset()
        for t in 0..<6 {
            var expected: [Float] = [0, 0, 0, 0]
            expected[t % 4] = 1
            #expect(try observation.require("action_mask").floats == expected)
            let result = try env.step(["action": .scalar(t % 4)])
            #expect(result.reward == 1)
            observation = result.observation
        }
    }

    @Test func seedsGiveReproducibleEpisodes() throws {
        func firstObservations(seed: UInt64) throws -> [Float] {
            let host = try BridgeTestSupport.host(id: "CartPole-v1", servers: 2)
            let vector = try SequentialVectorEnv(envs: try (0..<4).map { _ in try host.makeEnv() })
            try vector.reset(seed: seed)
            return vector.observations
        }
        let first = try firstObservations(seed: 3)
        #expect(try firstObservations(seed: 3) == first)
        #expect(try firstObservations(seed: 4) != first)
        #expect(Set(stride(from: 0, to: 16, by: 4).map { first[$0] }).count == 4, "each env draws its own seed")
    }
}
