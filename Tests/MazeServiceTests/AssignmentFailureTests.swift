import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

/// An actor that cannot build its assignment stays up, tells the learner why in its heartbeats, and the learner's
/// status lists it under the experiment, while an actor that can build it trains.
@Suite("Assignment failures")
struct AssignmentFailureTests {
    private struct UnknownEnvironment: Error, CustomStringConvertible {
        var description: String { "unknown environment 'inventory_replenishment'" }
    }

    private static func startActor(
        _ name: String, _ endpoints: ServiceEndpoints, summary: Shared<ActorWorkerSummary>, canBuild: Bool
    ) -> BackgroundLoop {
        BackgroundLoop(name) { stop in
            var configuration = ActorWorkerConfiguration(workerID: name, endpoints: endpoints, security: .insecure)
            configuration.heartbeatInterval = .milliseconds(100)
            let worker = try ActorWorker(configuration: configuration, context: try ZMQContext()) { _ in
                guard canBuild else { throw UnknownEnvironment() }
                return SyntheticPolicy()
            }
            defer { summary.set(worker.summary) }
            try worker.run(until: stop)
        }
    }

    @Test("maze status shows, per experiment, each actor that cannot build it and why; the other actor trains")
    func statusShowsWhy() throws {
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let metrics = ServiceMetrics()
        let learner = EndToEndTests.startLearner(
            endpoints, outputs: directory.url.appendingPathComponent("outputs"), metrics: metrics, updatesToFinish: .max
        )
        let (failing, working) = (Shared(ActorWorkerSummary()), Shared(ActorWorkerSummary()))
        let failingActor = Self.startActor("host-b/actor-0", endpoints, summary: failing, canBuild: false)
        let workingActor = Self.startActor("host-a/actor-0", endpoints, summary: working, canBuild: true)
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: try ZMQContext())
        try #require(eventually(seconds: 30) { metrics.snapshot.connectedActors == 2 }, "\(learner.error ?? "")")
        let id = try client.submit(Submit(configYAML: "env: toy\n"))

        #expect(try eventually(seconds: 30) { try client.status().first?.actorFailures.isEmpty == false })
        let status = try #require(try client.status().first)
        #expect(
            status.actorFailures == [
                ActorFailure(actorID: "host-b/actor-0", reason: "unknown environment 'inventory_replenishment'")
            ])
        #expect(status.state == .running)
        #expect(try eventually(seconds: 30) { try client.status().first.map { $0.epoch > 2 } ?? false })

        // The failing worker kept running; it reported the failure once per assignment, not once per restart.
        #expect(failingActor.finish() == nil)
        #expect(workingActor.finish() == nil)
        #expect(learner.finish() == nil)
        #expect(failing.current.assignmentFailures.map(\.experimentID) == [id])
        #expect(failing.current.totalBatchesSent == 0)
        #expect(working.current.assignmentFailures.isEmpty)
    }
}
