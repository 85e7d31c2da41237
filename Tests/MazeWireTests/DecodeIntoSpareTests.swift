import Testing

@testable import MazeWire

/// `WireDecoder.decode(_:reusing:)`, the learner's receive stage's decoder: the same message and the same
/// checks as a fresh decode, whatever the spare it decodes into, and never a change to a batch someone else holds.
@Suite struct DecodeIntoSpareTests {
    /// One decoder for all frames of a test, as the receive stage has.
    private let decoder = WireDecoder()!

    private func decode(_ bytes: [UInt8], reusing spare: inout TrajectoryBatch?) throws(WireError) -> WireMessage {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(WireError) in try decoder.decode(buffer, reusing: &spare) }
        }.get()
    }

    private static func frame(_ batch: TrajectoryBatch) throws -> [UInt8] {
        try Fixtures.bytes(of: .trajectoryBatch(batch))
    }

    /// A batch of `Fixtures.trajectoryBatch`'s layout with other values, ids and episodes.
    private static func other(steps: Int = 3, envs: Int = 2) throws -> TrajectoryBatch {
        let cells = steps * envs
        return try TrajectoryBatch(
            experimentID: "cartpole-impala", actorID: "host-b/actor-1", policyVersion: 43, steps: steps, envs: envs,
            observations: [
                "observation": WireTensor(
                    shape: [steps + 1, envs, 3], values: (0..<(cells + envs) * 3).map { -Float($0) }),
                "pixels": WireTensor(
                    shape: [steps + 1, envs, 2, 2], values: (0..<(cells + envs) * 4).map { UInt8(255 - $0 % 256) }),
            ],
            actions: ["action": WireTensor(shape: [steps, envs], values: (0..<cells).map { Int64($0 % 3) })],
            rewards: WireTensor(shape: [steps, envs], values: (0..<cells).map { Float($0) }),
            terminated: WireTensor(shape: [steps, envs], bools: (0..<cells).map { $0 == 0 }),
            truncated: WireTensor(shape: [steps, envs], bools: (0..<cells).map { $0 == 1 }),
            behaviourLogProbs: WireTensor(shape: [steps, envs], values: (0..<cells).map { -Float($0) }),
            episodes: [EpisodeSummary(episodeReturn: 9, length: 9, kpis: ["steps_balanced": 9])])
    }

    @Test func aSpareGivesWhatAFreshDecodeGives() throws {
        let batches = [
            try Fixtures.trajectoryBatch(), try Self.other(), try Fixtures.trajectoryBatch(withLogits: false),
            try Self.other(steps: 5, envs: 1), try Fixtures.trajectoryBatch(steps: 5, envs: 1),
        ]
        var spare: TrajectoryBatch?
        for batch in batches + batches {
            let message = try decode(Self.frame(batch), reusing: &spare)
            #expect(message == .trajectoryBatch(batch))
            #expect(spare == nil, "the spare was taken")
            guard case .trajectoryBatch(let decoded) = message else { continue }
            spare = decoded
        }
    }

    @Test func aSpareOfTheSameLayoutIsWrittenInPlace() throws {
        var spare: TrajectoryBatch? = try Fixtures.trajectoryBatch()
        let storage = spare?.observations["observation"]?.bytes.withUnsafeBytes { $0.baseAddress }
        guard case .trajectoryBatch(let decoded) = try decode(Self.frame(Self.other()), reusing: &spare) else {
            Issue.record("not a trajectory batch")
            return
        }
        #expect(decoded == (try Self.other()))
        #expect(decoded.observations["observation"]?.bytes.withUnsafeBytes { $0.baseAddress } == storage)
    }

    @Test func aSpareSomeoneElseHoldsIsNotChanged() throws {
        let held = try Fixtures.trajectoryBatch()
        var spare: TrajectoryBatch? = held
        let message = try decode(Self.frame(Self.other()), reusing: &spare)
        #expect(message == .trajectoryBatch(try Self.other()))
        #expect(held == (try Fixtures.trajectoryBatch()))
    }

    @Test func aBadFrameFailsAsAFreshDecodeFailsAndIsNeverHandedOut() throws {
        let good = try Fixtures.trajectoryBatch()
        // Rewards of the wrong dtype: the tensors before them decode into the spare, then the check fails.
        let bad = try TrajectoryBatch(
            experimentID: good.experimentID, actorID: good.actorID, policyVersion: 1, steps: 3, envs: 2,
            observations: try Self.other().observations, actions: good.actions, rewards: good.rewards,
            terminated: good.terminated, truncated: good.truncated, behaviourLogProbs: good.behaviourLogProbs)
        var bytes = try Self.frame(bad)
        let dtype = Array("rewards".utf8)
        // Turns the rewards' `f4` into `i4` in the frame (the key `rewards`, then its map's `dtype` entry).
        let rewards = try #require(Self.index(of: dtype, in: bytes))
        let code = try #require(Self.index(of: Array("f4".utf8), in: bytes, from: rewards))
        bytes[code] = UInt8(ascii: "i")
        let fresh = Result { () throws(WireError) in try Fixtures.decode(bytes) }
        var spare: TrajectoryBatch? = good
        let reused = Result { () throws(WireError) in try decode(bytes, reusing: &spare) }
        guard case .failure(let freshError) = fresh, case .failure(let reusedError) = reused else {
            Issue.record("the changed frame decoded")
            return
        }
        #expect(String(describing: freshError) == String(describing: reusedError))
        #expect(spare == nil, "the partly decoded spare is dropped")
    }

    @Test func aFrameOfAnotherTypeLeavesTheSpare() throws {
        var spare: TrajectoryBatch? = try Fixtures.trajectoryBatch()
        let message = try decode(Fixtures.bytes(of: .policyUpdate(Fixtures.policyUpdate())), reusing: &spare)
        #expect(message == .policyUpdate(try Fixtures.policyUpdate()))
        #expect(spare == (try Fixtures.trajectoryBatch()))
    }

    private static func index(of needle: [UInt8], in bytes: [UInt8], from start: Int = 0) -> Int? {
        (start...(bytes.count - needle.count)).first { bytes[$0..<$0 + needle.count].elementsEqual(needle) }
    }
}
