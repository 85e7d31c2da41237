import Foundation
import MazeDistributed
import MazeService
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

/// The learner's ingress under malformed but decodable batches, through the real executables (release build):
/// while `maze learner` trains IMPALA on CartPole-v1 with `maze actor` workers, a registered and an unregistered
/// sender push every case of `MalformedBatches`. Each is counted under its reason, the experiment keeps running
/// and reaches 475, and the weights stay finite throughout.
///
///     MAZE_LEARNING_TESTS=1 swift test -c release --filter ServiceLearningBadBatches
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct ServiceLearningBadBatchesTests {
    @Test func impalaReachesTheTargetWhileMalformedBatchesAreRejected() throws {
        let metricsPort = Int.random(in: 20_000..<60_000)
        let cluster = try TestCluster(workers: 4, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)"])
        let id = try cluster.submit(ServiceLearningTests.impala).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let endpoints = try ServiceEndpoints(base: cluster.base)
        let context = try ZMQContext()
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: context)
        var version: UInt64 = 0
        #expect(
            eventually(seconds: 120) {
                version = (try? Self.finiteWeightsVersion(of: id, client)) ?? 0
                return version > 0
            })

        // A valid batch of the experiment, from an actor built from its composed config; the cases derive from it.
        let yaml = try String(
            contentsOf: cluster.directory.appendingPathComponent("outputs/\(id)/config.yaml"), encoding: .utf8)
        let config = try ExperimentConfig(yaml: yaml, algorithm: "impala")
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 11)
        try policy.apply(
            PolicyUpdate(
                experimentID: id, version: 0,
                weights: try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil).weights))
        let valid = try policy.collect(RolloutIdentity(experimentID: id, actorID: "prober", policyVersion: 0))
        let cases = try MalformedBatches.cases(from: valid, learnerVersion: version)
        #expect(cases.count >= 25)

        // "prober" registers on control like an actor; "intruder/actor-0" never does.
        let dealer = try ZMQSocket(.dealer, in: context)
        try dealer.connect(endpoints.control)
        try dealer.send(
            try WireMessage.register(Register(workerID: "prober", host: "localhost", processID: 1)).zmqBytes())
        #expect(try dealer.receive(.timeout(.seconds(10))) != nil)
        let baseline = try TestCluster.scrape(metricsPort)
        let push = try ZMQSocket(.push, in: context)
        try push.set(.sendTimeout, .seconds(30))
        try push.connect(endpoints.trajectories)
        var expected: [RejectionReason: Double] = [:]
        for malformed in cases {
            try push.send(try WireMessage.trajectoryBatch(malformed.batch).zmqBytes())
            expected[malformed.reason, default: 0] += 1
            try push.send(try WireMessage.trajectoryBatch(malformed.batch.with(actorID: "intruder/actor-0")).zmqBytes())
            expected[.unregisteredActor, default: 0] += 1
        }
        try push.send(try WireMessage.trajectoryBatch(valid.with(actorID: "intruder/actor-0")).zmqBytes())
        expected[.unregisteredActor, default: 0] += 1
        try dealer.send(try WireMessage.heartbeat(Heartbeat(senderID: "prober")).zmqBytes())
        // Finite but huge rewards pass the checks; the numeric guard must skip the update they poison. The batch
        // carries the current version, but the learner may move on too fast for it: repeat until one is trained on.
        let hugeRewards = try WireTensor(
            shape: [valid.steps, valid.envs], values: [Float](repeating: 3e38, count: valid.steps * valid.envs))
        var skipped = 0.0
        for _ in 0..<50 where skipped < 1 {
            let current = try Self.finiteWeightsVersion(of: id, client)
            try push.send(
                try WireMessage.trajectoryBatch(valid.with(policyVersion: current, rewards: hugeRewards)).zmqBytes())
            try dealer.send(try WireMessage.heartbeat(Heartbeat(senderID: "prober")).zmqBytes())
            Thread.sleep(forTimeInterval: 0.2)
            skipped = Self.sample("maze_skipped_updates_total", in: try TestCluster.scrape(metricsPort))
        }
        #expect(skipped >= 1)

        var counted: [RejectionReason: Double] = [:]
        #expect(
            eventually(seconds: 60) {
                guard let metrics = try? TestCluster.scrape(metricsPort) else { return false }
                for reason in expected.keys {
                    counted[reason] = Self.rejected(reason, in: metrics) - Self.rejected(reason, in: baseline)
                }
                return counted == expected
            }, "counted \(counted), expected \(expected)")

        let best = try cluster.waitForBest(475, of: id) { () throws in
            let version = try Self.finiteWeightsVersion(of: id, client)
            #expect(version > 0)
        }
        #expect(best >= 475)
        let metrics = try TestCluster.scrape(metricsPort)
        #expect(Self.sample("maze_withheld_weights_total", in: metrics) == 0)
        let status = try #require(try client.status().first { $0.experimentID == id })
        #expect(status.rejectedBatches["schema"] == UInt64(expected[.schema] ?? 0))
        #expect(status.rejectedBatches["non_finite"] == UInt64(expected[.nonFinite] ?? 0))
    }

    /// The version of experiment `id`'s current weights, after checking that every weight is finite.
    private static func finiteWeightsVersion(of id: String, _ client: ControlClient) throws -> UInt64 {
        guard
            case .currentWeights(let answer) = try client.request(
                .currentWeightsRequest(CurrentWeightsRequest(experimentID: id))),
            let update = answer.update
        else { return 0 }
        let finite = update.weights.values.allSatisfy { $0.isFinite }
        #expect(finite, "version \(update.version) holds weights that are not finite")
        return update.version
    }

    private static func rejected(_ reason: RejectionReason, in text: String) -> Double {
        sample("maze_rejected_frames_total{reason=\"\(reason.rawValue)\"}", in: text)
    }

    /// The value of the sample line starting with `name` (with its labels), or 0.
    private static func sample(_ name: String, in text: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { $0.split(separator: " ").last }
            .flatMap { Double($0) } ?? 0
    }
}
