import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

@Suite("Trajectory ingress")
struct TrajectoryIngressTests {
    static func batch(version: UInt64, actor: String = "actor-1", experiment: String = "exp-0001") throws -> [UInt8] {
        let batch = try SyntheticPolicy.batch(
            RolloutIdentity(experimentID: experiment, actorID: actor, policyVersion: version))
        return try WireMessage.trajectoryBatch(batch).zmqBytes()
    }

    /// A batch of about 64 KiB, so that a few frames fill the kernel's socket buffers.
    static func largeBatch() throws -> [UInt8] {
        let (steps, envs, features) = (4, 2, 1_600)
        let batch = try TrajectoryBatch(
            experimentID: "exp-0001", actorID: "actor-1", policyVersion: 0, steps: steps, envs: envs,
            observations: [
                "observation": try WireTensor(
                    shape: [steps + 1, envs, features],
                    values: [Float](repeating: 1, count: (steps + 1) * envs * features))
            ],
            actions: [:],
            rewards: try WireTensor(shape: [steps, envs], values: [Float](repeating: 0, count: steps * envs)),
            terminated: try WireTensor(shape: [steps, envs], bools: [Bool](repeating: false, count: steps * envs)),
            truncated: try WireTensor(shape: [steps, envs], bools: [Bool](repeating: false, count: steps * envs)),
            behaviourLogProbs: try WireTensor(shape: [steps, envs], values: [Float](repeating: 0, count: steps * envs)))
        return try WireMessage.trajectoryBatch(batch).zmqBytes()
    }

    @Test("A full queue stops reading: the pusher blocks at the high-water marks instead of memory growing")
    func backpressure() throws {
        let context = try ZMQContext()
        let directory = try TemporaryDirectory()
        let endpoint = directory.ipc("trajectories")
        let ingress = try TrajectoryIngress(
            bindingTo: endpoint, security: .insecure, capacity: 3, staleness: .boundedLag(10), receiveHighWaterMark: 2,
            in: context)
        try ingress.reset(experimentID: "exp-0001", version: 0, staleness: .boundedLag(10), capacity: 3)
        let push = try ZMQSocket(.push, in: context)
        try push.set(.sendHighWaterMark, 2)
        try push.connect(endpoint)
        let frame = try Self.largeBatch()
        func pushUntilBlocked() throws -> Int {
            var sent = 0
            while sent < 1_000 {
                guard try push.send(frame, .dontWait) else {
                    // The pipe may still be draining into the receiver's buffer; retry once it had a moment.
                    usleep(50_000)
                    guard try push.send(frame, .dontWait) else { return sent }
                    sent += 1
                    continue
                }
                sent += 1
                try ingress.pump()
            }
            return sent
        }
        let accepted = try pushUntilBlocked()
        #expect(ingress.isFull)
        #expect(ingress.depth == 3)
        // Queue (3) + receive HWM (2) + send HWM (2) + what the kernel's socket buffers hold: far from 1,000.
        #expect(accepted < 40, "the pusher was never blocked: \(accepted) frames accepted")
        // Taking batches frees room: reading resumes and the pusher can send again.
        #expect(ingress.take(3)?.count == 3)
        try ingress.pump(timeout: .milliseconds(100))
        #expect(ingress.depth > 0)
        #expect(try pushUntilBlocked() > 0)
        #expect(ingress.rejectedCount == 0)
    }

    @Test("PPO keeps only current-version batches and counts the discarded ones; IMPALA takes lag within its bound")
    func stalenessAndLag() throws {
        let context = try ZMQContext()
        let ingress = try TrajectoryIngress(
            bindingTo: "inproc://staleness", security: .insecure, capacity: 10, in: context)
        let push = try ZMQSocket(.push, in: context)
        try push.connect("inproc://staleness")

        try ingress.reset(experimentID: "exp-0001", version: 5, staleness: .currentVersionOnly, capacity: 10)
        for version: UInt64 in [5, 4, 5, 6] { try push.send(Self.batch(version: version)) }
        try push.send(Self.batch(version: 5, experiment: "exp-0002"))
        #expect(
            try eventually {
                try ingress.pump()
                return ingress.depth + ingress.rejectedCount == 5
            })
        #expect(ingress.rejections == [.stale: 1, .futureVersion: 1, .unknownExperiment: 1])
        #expect(ingress.receivedByActor["actor-1"] == 5)
        let sample = try SyntheticPolicy.batch(RolloutIdentity(experimentID: "", actorID: "", policyVersion: 0))
        #expect(ingress.samplesReceived == UInt64(5 * sample.steps * sample.envs))
        // The learner moves on: the queued version-5 batches are now stale for PPO.
        ingress.learnerVersion = 6
        #expect(ingress.take(1) == nil)
        #expect(ingress.rejections[.stale] == 3)

        try ingress.reset(experimentID: "exp-0001", version: 10, staleness: .boundedLag(2), capacity: 10)
        for version: UInt64 in [10, 9, 8, 7] { try push.send(Self.batch(version: version)) }
        #expect(
            try eventually {
                try ingress.pump()
                return ingress.depth == 3
            })
        #expect(ingress.take(3)?.map(\.policyVersion) == [10, 9, 8])
        #expect(ingress.lag.summary.max == 2)
        #expect(ingress.lag.summary.batches == 3)
    }

    @Test(
        "10,000 truncated, oversized, wrong-type, malformed and multipart frames are all counted; the intake keeps working"
    )
    func hostileFrames() throws {
        let context = try ZMQContext()
        let directory = try TemporaryDirectory()
        let endpoint = directory.ipc("trajectories")
        let limits = DecodeLimits(maxFrameBytes: 4_096)
        let ingress = try TrajectoryIngress(
            bindingTo: endpoint, security: .insecure, capacity: 64, limits: limits, maxFrameBytes: 8_192, in: context)
        try ingress.reset(experimentID: "exp-0001", version: 0, staleness: .boundedLag(0), capacity: 64)
        let hostilePerKind = 2_000
        let validCount = 100
        let sender = BackgroundLoop("hostile-pusher") { stop in
            let push = try ZMQSocket(.push, in: context)
            try push.connect(endpoint)
            let valid = try Self.batch(version: 0)
            let update = try WireMessage.policyUpdate(WeightsBroadcastTests.update(1)).zmqBytes()
            var random = SystemRandomNumberGenerator()
            for index in 0..<hostilePerKind {
                try push.send(Array(valid.prefix(Int.random(in: 0..<valid.count, using: &random))))
                // 5,000 empty strings: above the 4,096-byte limit
                try push.send([UInt8](repeating: 0xa0, count: 5_000))
                try push.send(update)
                try push.send(
                    [0xc1]
                        + (0..<Int.random(in: 0...64, using: &random)).map { _ in
                            UInt8.random(in: 0...255, using: &random)
                        })
                try push.sendMultipart([valid, valid])
                if index % (hostilePerKind / validCount) == 0 { try push.send(valid) }
            }
            // Closing the socket would drop frames still queued after the linger period: stay until told.
            while !stop.isStopped { usleep(1_000) }
        }
        var taken = 0
        let done = try eventually(seconds: 60) {
            try ingress.pump(timeout: .milliseconds(10))
            taken += ingress.take(ingress.depth)?.count ?? 0
            return ingress.rejectedCount + taken >= 5 * hostilePerKind + validCount
        }
        #expect(sender.finish() == nil)
        #expect(done)
        #expect(ingress.rejectedCount == 5 * hostilePerKind)
        #expect(ingress.rejections[.truncated] == hostilePerKind)
        #expect(ingress.rejections[.oversized] == hostilePerKind)
        #expect(ingress.rejections[.wrongMessageType] == hostilePerKind)
        #expect(ingress.rejections[.malformed] == hostilePerKind)
        #expect(ingress.rejections[.unexpectedFrames] == hostilePerKind)
        #expect(taken == validCount)
    }
}
