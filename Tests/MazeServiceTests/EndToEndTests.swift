import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

/// A learner and three actor workers on their own threads and contexts, talking over real sockets with the
/// toy algorithm and policy.
@Suite("Learner and actors end to end")
struct EndToEndTests {
    private static let actorCount = 3

    static func startLearner(
        _ endpoints: ServiceEndpoints, outputs: URL, metrics: ServiceMetrics, security: ServerSecurity = .insecure,
        updatesToFinish: Int = 20, checkpointEvery: Int = 100, finalWait: Duration = .zero
    ) -> BackgroundLoop {
        BackgroundLoop("learner") { stop in
            var configuration = LearnerConfiguration(
                endpoints: endpoints, security: security, outputsDirectory: outputs)
            configuration.checkpointEveryUpdates = checkpointEvery
            configuration.queueOutOfSyncFactor = 2
            let learner = try LearnerService(configuration: configuration, context: try ZMQContext(), metrics: metrics)
            { _ in
                try CountingAlgorithm(
                    batchesPerUpdate: 2, stalenessPolicy: .boundedLag(3), updatesToFinish: updatesToFinish,
                    finalWait: finalWait)
            }
            try learner.run(until: stop)
        }
    }

    static func startActor(
        _ index: Int, _ endpoints: ServiceEndpoints, summary: Shared<ActorWorkerSummary>,
        security: ClientSecurity = .insecure
    ) -> BackgroundLoop {
        BackgroundLoop("actor-\(index)") { stop in
            var configuration = ActorWorkerConfiguration(
                workerID: "actor-\(index)", endpoints: endpoints, security: security)
            configuration.heartbeatInterval = .milliseconds(100)
            configuration.learnerTimeout = .milliseconds(500)
            let worker = try ActorWorker(configuration: configuration, context: try ZMQContext()) { _ in
                SyntheticPolicy()
            }
            defer { summary.set(worker.summary) }
            try worker.run(until: stop)
        }
    }

    /// Keys for a learner, the actors and a client, all allowed, or plaintext.
    private static func security(curve: Bool, in directory: TemporaryDirectory) throws -> (
        ServerSecurity, ClientSecurity
    ) {
        guard curve else { return (.insecure, .insecure) }
        let keys = KeyFiles(directory: directory.url.appendingPathComponent("keys"))
        let learner = try keys.generate(name: "learner")
        let client = try keys.generate(name: "actor-shared")
        return (
            .curve(serverKeys: learner, allowedClientKeys: try keys.allowList(excluding: ["learner"])),
            .curve(clientKeys: client, serverPublicKey: learner.publicKey)
        )
    }

    @Test(
        "While the experiment waits for work off the service thread (its last evaluation), the learner answers, polls and trains no further"
    )
    func waitingForAnEvaluationKeepsTheLearnerResponsive() throws {
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let metrics = ServiceMetrics()
        let learner = Self.startLearner(
            endpoints, outputs: directory.url.appendingPathComponent("outputs"), metrics: metrics, updatesToFinish: 3,
            finalWait: .seconds(3))
        var actor = Self.startActor(0, endpoints, summary: Shared(ActorWorkerSummary()))
        defer { _ = actor.finish() }
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: try ZMQContext())
        try #require(eventually(seconds: 30) { metrics.snapshot.connectedActors == 1 }, "\(learner.error ?? "")")
        _ = try client.submit(Submit(configYAML: "env: toy\n"))
        try #require(eventually(seconds: 30) { try client.status().first?.epoch == 3 })
        // The actor keeps pushing batches, but none is trained on while the experiment waits; each status request
        // is answered at once (a learner blocked on the wait would leave them unanswered for seconds).
        var slowest: Duration = .zero
        var states: Set<String> = []
        let clock = ContinuousClock()
        for _ in 0..<10 {
            let started = clock.now
            let status = try #require(try client.status().first)
            slowest = max(slowest, clock.now - started)
            states.insert(status.state.rawValue)
            #expect(status.epoch == 3)
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(slowest < .seconds(1), "the slowest status answer took \(slowest)")
        #expect(states.contains("running"))
        #expect(try eventually(seconds: 30) { try client.status().first?.state == .done })
        #expect(metrics.snapshot.updates == 3)
        #expect(actor.finish() == nil)
        #expect(learner.finish() == nil)
    }

    @Test(
        "Over ipc://, tcp://127.0.0.1 and CURVE-secured TCP: an experiment trains to completion, actors stop, no batch is lost or duplicated",
        arguments: ["ipc", "tcp", "curve"])
    func trainToCompletion(transport: String) throws {
        let directory = try TemporaryDirectory()
        let base = transport == "ipc" ? "ipc://\(directory.path)" : "tcp://127.0.0.1:\(freeBasePort())"
        let endpoints = try ServiceEndpoints(base: base)
        let (serverSecurity, clientSecurity) = try Self.security(curve: transport == "curve", in: directory)
        let metrics = ServiceMetrics()
        let learner = Self.startLearner(
            endpoints, outputs: directory.url.appendingPathComponent("outputs"), metrics: metrics,
            security: serverSecurity)
        let summaries = (0..<Self.actorCount).map { _ in Shared(ActorWorkerSummary()) }
        var actors = (0..<Self.actorCount).map {
            Self.startActor($0, endpoints, summary: summaries[$0], security: clientSecurity)
        }
        let client = try ControlClient(endpoints: endpoints, security: clientSecurity, in: try ZMQContext())
        // Actors that register while the learner is idle get the assignment when the experiment starts.
        try #require(
            eventually(seconds: 30) { metrics.snapshot.connectedActors == Self.actorCount }, "\(learner.error ?? "")")
        let id = try client.submit(Submit(configYAML: "env: toy\n"))

        #expect(try eventually(seconds: 30) { try client.status().first?.state == .done })
        let status = try #require(try client.status().first)
        #expect(status.epoch == 20)
        #expect(status.bestReturn == 40)  // 20 updates × 2 batches
        // Actors stop pushing once they see the stop flag: the learner's count of received batches settles.
        var lastReceived = metrics.snapshot.batchesReceived
        var stableSince = Date()
        #expect(
            eventually {
                let received = metrics.snapshot.batchesReceived
                if received != lastReceived { (lastReceived, stableSince) = (received, Date()) }
                return Date().timeIntervalSince(stableSince) > 0.5
            })
        for actor in actors { #expect(actor.finish() == nil) }
        actors.removeAll()
        for summary in summaries {
            #expect(summary.current.finishedExperiments == [id], "\(summary.current)")
            let versions = summary.current.appliedVersions
            #expect(
                versions == versions.sorted() && Set(versions).count == versions.count,
                "versions went backwards: \(versions)")
            #expect(summary.current.totalBatchesSent > 0)
        }
        // Counts on both sides agree once the last frames have arrived.
        let sent = Dictionary(
            uniqueKeysWithValues: (0..<Self.actorCount).map { ("actor-\($0)", summaries[$0].current.totalBatchesSent) })
        #expect(
            eventually { metrics.snapshot.batchesReceived == sent },
            "sent \(sent), received \(metrics.snapshot.batchesReceived)")
        #expect(metrics.snapshot.updates == 20)
        #expect(metrics.snapshot.rejectedFrames[.malformed, default: 0] == 0)
        #expect(learner.finish() == nil)
    }

    @Test(
        "A learner restarted on its outputs folder resumes from the checkpoint; running actors reconnect by themselves")
    func learnerRestart() throws {
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let outputs = directory.url.appendingPathComponent("outputs")
        let metrics = ServiceMetrics()
        var learner = Self.startLearner(
            endpoints, outputs: outputs, metrics: metrics, updatesToFinish: .max, checkpointEvery: 5)
        let summary = Shared(ActorWorkerSummary())
        let actor = Self.startActor(0, endpoints, summary: summary)
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: try ZMQContext())
        let id = try client.submit(Submit(configYAML: "env: toy\n"))
        #expect(eventually(seconds: 30) { metrics.snapshot.policyVersion >= 10 }, "\(metrics.snapshot)")
        #expect(learner.finish() == nil)
        let versionAtStop = metrics.snapshot.policyVersion

        let resumedMetrics = ServiceMetrics()
        learner = Self.startLearner(
            endpoints, outputs: outputs, metrics: resumedMetrics, updatesToFinish: .max, checkpointEvery: 5)
        // It starts at the checkpoint written on stop and keeps training with the same, never restarted, actor.
        #expect(eventually(seconds: 30) { resumedMetrics.snapshot.policyVersion >= versionAtStop + 10 })
        #expect(try client.status().map(\.experimentID) == [id])
        #expect(eventually { resumedMetrics.snapshot.connectedActors == 1 })
        #expect(actor.finish() == nil)
        #expect(summary.current.registrations >= 2)
        #expect(learner.finish() == nil)
    }

    @Test("Garbage sent to the trajectory and control sockets of a training learner is counted; training goes on")
    func hostileFramesDuringTraining() throws {
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let metrics = ServiceMetrics()
        let learner = Self.startLearner(
            endpoints, outputs: directory.url.appendingPathComponent("outputs"), metrics: metrics, updatesToFinish: .max
        )
        let summary = Shared(ActorWorkerSummary())
        let actor = Self.startActor(0, endpoints, summary: summary)
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: try ZMQContext())
        _ = try client.submit(Submit(configYAML: "env: toy\n"))
        #expect(eventually(seconds: 30) { metrics.snapshot.policyVersion >= 5 })

        let framesPerSocket = 2_000
        let attacker = BackgroundLoop("attacker") { stop in
            let context = try ZMQContext()
            let push = try ZMQSocket(.push, in: context)
            try push.connect(endpoints.trajectories)
            let dealer = try ZMQSocket(.dealer, in: context)
            try dealer.connect(endpoints.control)
            let valid = try WireMessage.trajectoryBatch(
                SyntheticPolicy.batch(
                    RolloutIdentity(experimentID: "exp-0001", actorID: "attacker", policyVersion: 0))
            ).zmqBytes()
            for index in 0..<framesPerSocket {
                try push.send(Array(valid.prefix(index % (valid.count - 1))))
                try dealer.send([0xc1, UInt8(truncatingIfNeeded: index)])
            }
            while !stop.isStopped { usleep(1_000) }  // keep the sockets open until every frame is delivered
        }
        #expect(
            eventually(seconds: 30) {
                let rejected = metrics.snapshot.rejectedFrames
                return rejected[.truncated] == framesPerSocket && rejected[.malformed] == framesPerSocket
            }, "\(metrics.snapshot.rejectedFrames)")
        let versionAfterAttack = metrics.snapshot.policyVersion
        #expect(eventually(seconds: 30) { metrics.snapshot.policyVersion >= versionAfterAttack + 5 })
        #expect(metrics.snapshot.learnerSamplesPerSecond > 0)
        #expect(metrics.snapshot.actorEnvStepsPerSecond["actor-0", default: 0] > 0)
        #expect(attacker.finish() == nil)
        #expect(actor.finish() == nil)
        #expect(learner.finish() == nil)
    }
}
