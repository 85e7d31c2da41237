import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

/// The wire protocol over real sockets against a peer nobody here wrote: `tools/wire_interop.py` (pyzmq, msgpack,
/// numpy) PUSHes a TrajectoryBatch into a Swift PULL socket and checks the PolicyUpdate a Swift PUB socket sends back.
/// Both sides compute the expected contents from the same formulas, independently, and check every field.
@Suite("Interoperability with pyzmq over TCP")
struct ZeroMQInteropTests {
    private static let steps = 5, envs = 3, features = 4, actionCount = 2

    @Test("pyzmq pushes a TrajectoryBatch to Swift PULL and receives a PolicyUpdate from Swift PUB")
    func pushBatchReceiveUpdate() throws {
        try PythonInterop.requireModules(["zmq", "msgpack", "numpy"])
        let context = try ZMQContext()
        let pull = try ZMQSocket(.pull, in: context)
        try pull.bind("tcp://127.0.0.1:*")
        let publisher = try ZMQSocket(.pub, in: context)
        try publisher.bind("tcp://127.0.0.1:*")
        let python = try PythonInterop.start(
            script: "wire_interop.py", arguments: [try pull.lastEndpoint, try publisher.lastEndpoint])

        let frame = try #require(try pull.receive(.timeout(.seconds(30))), "no TrajectoryBatch from Python")
        let message = try frame.withUnsafeBytes { bytes throws(WireError) in try WireMessage.decode(bytes) }
        guard case .trajectoryBatch(let batch) = message else {
            Issue.record("expected a TrajectoryBatch, got \(message.type)")
            return
        }
        try Self.checkEveryField(of: batch)

        // A subscriber's subscription reaches the publisher some time after it connects, so publish until the
        // Python side has its update and exits.
        let deadline = ContinuousClock.now + .seconds(30)
        while python.isRunning, ContinuousClock.now < deadline {
            let encoded = try WireMessage.policyUpdate(Self.expectedUpdate()).encode().releaseBuffer()
            _ = try publisher.send(ZMQMessage(takingMallocBuffer: encoded.base, count: encoded.count))
            Thread.sleep(forTimeInterval: 0.05)
        }
        let exit = try python.waitForExit(seconds: 5)
        #expect(exit.succeeded, "wire_interop.py: \(exit.errorOutput)")
        #expect(exit.output.contains("ok"))
    }

    private static func checkEveryField(of batch: TrajectoryBatch) throws {
        #expect(batch.experimentID == "interop")
        #expect(batch.actorID == "python-actor")
        #expect(batch.policyVersion == 41)
        #expect(batch.steps == steps && batch.envs == envs)
        #expect(batch.observations.keys.sorted() == ["inventory", "observation"])
        let observation = try #require(batch.observations["observation"])
        #expect(observation.dtype == .float32 && observation.shape == [steps + 1, envs, features])
        #expect(try observation.values(as: Float.self) == (0..<(steps + 1) * envs * features).map { Float($0) * 0.25 })
        let inventory = try #require(batch.observations["inventory"])
        #expect(inventory.shape == [steps + 1, envs])
        #expect(try inventory.values(as: UInt8.self) == (0..<(steps + 1) * envs).map { UInt8($0) })

        let cells = (0..<steps).flatMap { t in (0..<envs).map { b in (t, b) } }
        let action = try #require(batch.actions["action"])
        #expect(batch.actions.count == 1 && action.shape == [steps, envs])
        #expect(try action.values(as: Int64.self) == cells.map { Int64(($0.0 + $0.1) % actionCount) })
        #expect(try batch.rewards.values(as: Float.self) == cells.map { Float($0.0) - 0.5 * Float($0.1) })
        #expect(try batch.terminated.bools() == cells.map { $0 == (4, 1) })
        #expect(try batch.truncated.bools() == cells.map { $0 == (2, 2) })
        // numpy computes -0.1 * n in float64 and rounds once to float32; do the same.
        #expect(
            try batch.behaviourLogProbs.values(as: Float.self) == cells.map { Float(-0.1 * Double($0.0 * envs + $0.1)) }
        )
        let logits = try #require(batch.behaviourLogits?["action"])
        #expect(logits.shape == [steps, envs, actionCount])
        let logitCount = steps * envs * actionCount
        let expectedLogits = (0..<logitCount).map { Float(-1 + 2 * Double($0) / Double(logitCount - 1)) }
        for (got, want) in zip(try logits.values(as: Float.self), expectedLogits) {
            #expect(abs(got - want) <= 1e-6)
        }
        #expect(batch.episodes == [EpisodeSummary(episodeReturn: 12.5, length: 13, kpis: ["raw_piece_usage": 0.75])])
    }

    private static func expectedUpdate() throws -> PolicyUpdate {
        PolicyUpdate(
            experimentID: "interop",
            version: 42,
            weights: [
                "policy.0.weight": try WireTensor(
                    shape: [3, features], values: (0..<3 * features).map { Float($0) / 8 }),
                "policy.0.bias": try WireTensor(shape: [3], values: [Float(-1), 0, 1]),
            ],
            stop: true,
            auxiliary: [
                "observation_mean": try WireTensor(shape: [features], values: [Float(0.5), -0.5, 1.5, 2.0]),
                "observation_count": try WireTensor(shape: [1], values: [Int64(1000)]),
            ]
        )
    }
}
