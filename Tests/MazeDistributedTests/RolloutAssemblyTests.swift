import MazeWire
import Testing

@testable import MazeDistributed
@testable import MazeTrain

/// Flat batches side by side in the learner's rollout (row `t · ΣB + b`), and the rollout's storage reused from
/// one update to the next.
@Suite("Rollout assembly")
struct RolloutAssemblyTests {
    /// A batch of 2 steps of `envs` envs with 2-wide observations starting at `base` (each scalar distinct), whose
    /// env `endedEnv` (if any) is truncated at step 0 with final observation `[-1, -2]`.
    private static func batch(envs: Int, base: Float, endedEnv: Int? = nil) throws -> TrajectoryBatch {
        let (steps, width) = (2, 2)
        let observations = (0..<(steps + 1) * envs * width).map { base + Float($0) }
        var finals = [Float](repeating: 0, count: observations.count)
        var truncated = [Bool](repeating: false, count: steps * envs)
        if let endedEnv {
            truncated[endedEnv] = true
            finals[(envs + endedEnv) * width] = -1
            finals[(envs + endedEnv) * width + 1] = -2
        }
        let rows = (0..<steps * envs).map { base + Float($0) }
        return try TrajectoryBatch(
            experimentID: "e", actorID: "actor-\(Int(base))", policyVersion: 0, steps: steps, envs: envs,
            observations: [
                "observation": WireTensor(shape: [steps + 1, envs, width], values: observations),
                "final_observation": WireTensor(shape: [steps + 1, envs, width], values: finals),
            ],
            actions: ["action": WireTensor(shape: [steps, envs, 1], values: rows.map { $0 * 10 })],
            rewards: WireTensor(shape: [steps, envs], values: rows),
            terminated: WireTensor(shape: [steps, envs], bools: [Bool](repeating: false, count: steps * envs)),
            truncated: WireTensor(shape: [steps, envs], bools: truncated),
            behaviourLogProbs: WireTensor(shape: [steps, envs], values: rows.map { -$0 }))
    }

    @Test func batchesStandSideBySideWithFinalObservationsAsSuccessors() throws {
        // Batch A: 1 env (scalars from 0); batch B: 2 envs (from 100), its env 1 truncated at step 0.
        let buffer = try RolloutAssembly.buffer(from: [
            Self.batch(envs: 1, base: 0), Self.batch(envs: 2, base: 100, endedEnv: 1),
        ])
        #expect(buffer.stepCount == 2)
        #expect(buffer.envCount == 3)
        // Step 0: A's row 0, B's rows 0 and 1; step 1: A's row 1, B's rows 2 and 3.
        #expect(buffer.observations == [0, 1, 100, 101, 102, 103, 2, 3, 104, 105, 106, 107])
        #expect(buffer.successorObservations == [2, 3, 104, 105, -1, -2, 4, 5, 108, 109, 110, 111])
        #expect(buffer.actions == [0, 1000, 1010, 10, 1020, 1030])
        #expect(buffer.rewards == [0, 100, 101, 1, 102, 103])
        #expect(buffer.behaviourLogProbs == [-0, -100, -101, -1, -102, -103])
        #expect(buffer.truncated == [false, false, true, false, false, false])
        #expect(buffer.terminated == [Bool](repeating: false, count: 6))
    }

    @Test func aRolloutOfTheSameShapeIsAssembledIntoTheSameStorage() throws {
        var rollout: RolloutBuffer?
        try RolloutAssembly.assemble([Self.batch(envs: 2, base: 0, endedEnv: 0)], into: &rollout)
        let storage = rollout?.observations.withUnsafeBufferPointer { $0.baseAddress }
        let next = [try Self.batch(envs: 2, base: 50)]
        try RolloutAssembly.assemble(next, into: &rollout)
        #expect(rollout?.observations.withUnsafeBufferPointer { $0.baseAddress } == storage)
        // Everything of the previous rollout is overwritten, including its final-observation successor.
        let fresh = try RolloutAssembly.buffer(from: next)
        #expect(rollout?.observations == fresh.observations)
        #expect(rollout?.successorObservations == fresh.successorObservations)
        #expect(rollout?.actions == fresh.actions)
        #expect(rollout?.truncated == fresh.truncated)
        // Another shape gets a buffer of its own.
        try RolloutAssembly.assemble([Self.batch(envs: 3, base: 0)], into: &rollout)
        #expect(rollout?.envCount == 3)
    }

    @Test func aFinalObservationOfAnotherWidthIsRefused() throws {
        let good = try Self.batch(envs: 2, base: 0)
        var observations = good.observations
        observations["final_observation"] = try WireTensor(
            shape: [3, 2, 3], values: [Float](repeating: 0, count: 18))
        let wide = try TrajectoryBatch(
            experimentID: "e", actorID: "wide", policyVersion: 0, steps: 2, envs: 2, observations: observations,
            actions: good.actions, rewards: good.rewards, terminated: good.terminated, truncated: good.truncated,
            behaviourLogProbs: good.behaviourLogProbs)
        #expect(throws: AdapterError.self) { try RolloutAssembly.buffer(from: [good, wide]) }
    }
}
