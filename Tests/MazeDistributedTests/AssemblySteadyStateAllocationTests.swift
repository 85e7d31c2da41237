import MazeTestSupport
import MazeWire
import Testing

@testable import MazeDistributed
@testable import MazeTrain

/// The update thread assembles the batches of an update into the previous update's rollout without touching the
/// heap once the layout is steady (`RolloutAssembly.assemble(_:into:)`): counted with the test thread's own `malloc`
/// calls (`ThreadAllocations`, in release only).
@Suite struct AssemblySteadyStateAllocationTests {
    @Test(.enabled(if: ThreadAllocations.areCounted, "counted in optimized builds on glibc only"))
    func assemblingIntoTheLastRolloutAllocatesNothing() throws {
        // Four CartPole-like actors' batches of 32 steps of 16 envs, some episodes ended, as an IMPALA update takes.
        let updates = try (0..<2).map { update in
            try (0..<4).map { actor in try Self.batch(base: Float(100 * update + 10 * actor)) }
        }
        var rollout: RolloutBuffer?
        var counts: [UInt64] = []
        for round in 0..<4 {
            let (calls, _) = try ThreadAllocations.count {
                try RolloutAssembly.assemble(updates[round % 2], into: &rollout)
            }
            counts.append(calls)
        }
        #expect(counts.dropFirst() == [0, 0, 0], "heap allocations per assembly: \(counts)")
        #expect(rollout?.observations == (try RolloutAssembly.buffer(from: updates[1])).observations)
    }

    private static func batch(base: Float, steps: Int = 32, envs: Int = 16, width: Int = 4) throws -> TrajectoryBatch {
        let observations = (0..<(steps + 1) * envs * width).map { base + Float($0) / 1_000 }
        let rows = (0..<steps * envs).map { base + Float($0) }
        let ended = (0..<steps * envs).map { $0 % 37 == 0 }
        return try TrajectoryBatch(
            experimentID: "e", actorID: "actor-\(Int(base))", policyVersion: 0, steps: steps, envs: envs,
            observations: [
                "observation": WireTensor(shape: [steps + 1, envs, width], values: observations),
                "final_observation": WireTensor(shape: [steps + 1, envs, width], values: observations.map { -$0 }),
            ],
            actions: ["action": WireTensor(shape: [steps, envs, 1], values: rows.map { Float(Int($0) % 2) })],
            rewards: WireTensor(shape: [steps, envs], values: rows),
            terminated: WireTensor(shape: [steps, envs], bools: ended),
            truncated: WireTensor(shape: [steps, envs], bools: (0..<steps * envs).map { $0 % 41 == 1 }),
            behaviourLogProbs: WireTensor(shape: [steps, envs], values: rows.map { -$0 }))
    }
}
