import MazeTestSupport
import Testing

@testable import MazeWire

/// The learner's receive stage decodes a trajectory frame into a batch the update thread handed back
/// (`WireDecoder.decode(_:reusing:)`) without touching the heap once the batches' layout is steady: counted with
/// the test thread's own `malloc` calls (`ThreadAllocations`, in release only).
@Suite struct DecodeSteadyStateAllocationTests {
    @Test(.enabled(if: ThreadAllocations.areCounted, "counted in optimized builds on glibc only"))
    func decodingIntoASpareAllocatesNothing() throws {
        // Two frames of one layout with different ids, values and episodes, as two actors send them.
        let batches = [try Fixtures.trajectoryBatch(steps: 32, envs: 16), try Self.otherActor(steps: 32, envs: 16)]
        let frames = try batches.map { try Fixtures.bytes(of: .trajectoryBatch($0)) }
        let decoder = try #require(WireDecoder())
        var spare: TrajectoryBatch?
        var counts: [UInt64] = []
        for round in 0..<6 {
            let frame = frames[round % 2]
            let (calls, message) = ThreadAllocations.count {
                frame.withUnsafeBytes { bytes in
                    Result { () throws(WireError) in try decoder.decode(bytes, reusing: &spare) }
                }
            }
            guard case .success(.trajectoryBatch(let batch)) = message else {
                Issue.record("the frame did not decode as a trajectory batch: \(message)")
                return
            }
            #expect(batch == batches[round % 2])
            counts.append(calls)
            spare = consume batch
        }
        // The first rounds fill the spare's storage (ids and episodes of both actors); then nothing.
        #expect(counts.suffix(2) == [0, 0], "heap allocations per decode: \(counts)")
    }

    /// `Fixtures.trajectoryBatch`'s layout from another actor: other ids, values and one episode fewer.
    private static func otherActor(steps: Int, envs: Int) throws -> TrajectoryBatch {
        let batch = try Fixtures.trajectoryBatch(steps: steps, envs: envs)
        let rewards = try WireTensor(shape: [steps, envs], values: (0..<steps * envs).map { Float($0) })
        return try TrajectoryBatch(
            experimentID: batch.experimentID, actorID: "host-b/actor-2", policyVersion: 41, steps: steps, envs: envs,
            observations: batch.observations, actions: batch.actions, rewards: rewards,
            terminated: batch.truncated, truncated: batch.terminated, behaviourLogProbs: batch.behaviourLogProbs,
            behaviourLogits: batch.behaviourLogits, episodes: Array(batch.episodes.prefix(1)))
    }
}
