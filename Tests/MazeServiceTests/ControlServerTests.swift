import Foundation
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

@testable import MazeService

@Suite("Control socket")
struct ControlServerTests {
    @Test("10,000 hostile frames to the ROUTER are all counted and answered with Errors; requests still work")
    func hostileFrames() throws {
        let context = try ZMQContext()
        let directory = try TemporaryDirectory()
        let endpoint = directory.ipc("control")
        let server = try ControlServer(
            bindingTo: endpoint, security: .insecure, limits: DecodeLimits(maxFrameBytes: 4_096), in: context)
        let perKind = 2_500
        let errorReplies = Shared(0)
        let client = BackgroundLoop("hostile-dealer") { stop in
            let dealer = try ZMQSocket(.dealer, in: context)
            try dealer.set(.receiveHighWaterMark, 0)
            try dealer.connect(endpoint)
            let submit = try WireMessage.submit(Submit(configYAML: "a: 1\n")).zmqBytes()
            let report = try WireMessage.statusReport(StatusReport(experiments: [])).zmqBytes()
            var random = SystemRandomNumberGenerator()
            var replies = 0
            func drain() throws {
                while let reply = try dealer.receive(.nonBlocking) {
                    if case .error = try reply.withUnsafeBytes({ try WireMessage.decode($0) }) { replies += 1 }
                }
            }
            for _ in 0..<perKind {
                try dealer.send(Array(submit.prefix(Int.random(in: 0..<submit.count, using: &random))))
                try dealer.send([UInt8](repeating: 0xa0, count: 5_000))
                try dealer.send(report)
                try dealer.send([0xc1, 0x00])
                try drain()
            }
            // Replies are best effort (a ROUTER drops them for a peer whose queue is full), so collect until quiet.
            while !stop.isStopped, replies < 4 * perKind, let reply = try dealer.receive(.timeout(.milliseconds(500))) {
                if case .error = try reply.withUnsafeBytes({ try WireMessage.decode($0) }) { replies += 1 }
            }
            errorReplies.set(replies)
            // Finally a real request, which must be served.
            try dealer.send(try WireMessage.statusRequest(StatusRequest()).zmqBytes())
        }
        var served: WireMessage?
        let done = try eventually(seconds: 60) {
            if let (_, request) = try server.receive(timeout: .milliseconds(10)) { served = request }
            return served != nil
        }
        #expect(client.finish() == nil)
        #expect(done)
        #expect(served == .statusRequest(StatusRequest()))
        #expect(server.rejectedCount == 4 * perKind)
        #expect(server.rejections[.truncated] == perKind)
        #expect(server.rejections[.oversized] == perKind)
        #expect(server.rejections[.wrongMessageType] == perKind)
        #expect(server.rejections[.malformed] == perKind)
        #expect(errorReplies.current <= 4 * perKind)
        #expect(errorReplies.current >= 4 * perKind * 99 / 100, "only \(errorReplies.current) Error replies")
    }

    @Test("A client with no learner behind the endpoint fails with a clear 'unreachable' error after its timeout")
    func unreachable() throws {
        let context = try ZMQContext()
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let client = try ControlClient(
            endpoints: endpoints, security: .insecure, timeout: .milliseconds(200), in: context)
        #expect(throws: ServiceError.learnerUnreachable(endpoint: endpoints.control, timeout: .milliseconds(200))) {
            _ = try client.status()
        }
    }

    @Test("Submit, status and cancel through the client; the queue survives a learner restart")
    func submitStatusCancelAndRestart() throws {
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let outputs = directory.url.appendingPathComponent("outputs")
        func startLearner() -> BackgroundLoop {
            BackgroundLoop("learner") { stop in
                let context = try ZMQContext()
                let learner = try LearnerService(
                    configuration: LearnerConfiguration(
                        endpoints: endpoints, security: .insecure, outputsDirectory: outputs),
                    context: context
                ) { _ in try CountingAlgorithm() }
                try learner.run(until: stop)
            }
        }
        let context = try ZMQContext()
        // Generous: this checks what is answered, not how fast; with the other suites running in parallel on 2 cores
        // the whole test took 4–5 s, so a 5 s timeout failed it under load.
        let client = try ControlClient(endpoints: endpoints, security: .insecure, timeout: .seconds(30), in: context)
        var learner = startLearner()
        let first = try client.submit(
            Submit(configYAML: "algorithm: impala\n", overrides: ["algorithm=impala"], commandLine: ["maze", "submit"]))
        let second = try client.submit(Submit(configYAML: "algorithm: ppo\n"))
        let third = try client.submit(Submit(configYAML: "algorithm: a2c\n"))
        #expect(try client.cancel(third) == .queued)
        #expect(throws: ServiceError.self) { try client.cancel(third) }
        #expect(throws: ServiceError.self) { _ = try client.submit(Submit(configYAML: "key: [unclosed\n")) }
        #expect(try eventually { try client.status().first?.state == .running })
        #expect(try client.status().map(\.state) == [.running, .queued, .cancelled])
        #expect(learner.finish() == nil)
        #expect(FileManager.default.fileExists(atPath: outputs.appendingPathComponent("\(first)/config.yaml").path))

        learner = startLearner()
        let afterRestart = try client.status()
        #expect(afterRestart.map(\.experimentID) == [first, second, third])
        #expect(afterRestart.map(\.state) == [.running, .queued, .cancelled])
        #expect(try client.cancel(first) == .running)
        // The next queued experiment starts once the cancelled one is stopped.
        #expect(try eventually { try client.status().map(\.state) == [.cancelled, .running, .cancelled] })
        #expect(learner.finish() == nil)
    }
}

extension ControlServerTests {
    private struct BrokenConfig: Error {}

    @Test("An experiment whose algorithm cannot be built fails with the reason; the next one starts")
    func failingExperiment() throws {
        let directory = try TemporaryDirectory()
        let endpoints = try ServiceEndpoints(base: "ipc://\(directory.path)")
        let outputs = directory.url
        let learner = BackgroundLoop("learner") { stop in
            let configuration = LearnerConfiguration(
                endpoints: endpoints, security: .insecure, outputsDirectory: outputs)
            let service = try LearnerService(configuration: configuration, context: try ZMQContext()) { record in
                guard !record.configYAML.contains("broken") else { throw BrokenConfig() }
                return try CountingAlgorithm()
            }
            try service.run(until: stop)
        }
        let client = try ControlClient(endpoints: endpoints, security: .insecure, in: try ZMQContext())
        _ = try client.submit(Submit(configYAML: "model: broken\n"))
        _ = try client.submit(Submit(configYAML: "model: fine\n"))
        #expect(try eventually { try client.status().map(\.state) == [.failed, .running] })
        // `maze status` shows why.
        #expect(try client.status().map { $0.failure?.contains("BrokenConfig") == true } == [true, false])
        #expect(learner.finish() == nil)
        let state = try ExperimentStore(outputsDirectory: directory.url).load()
        #expect(state.record("exp-0001")?.failure?.contains("BrokenConfig") == true)
    }
}

extension ControlServerTests {
    @Test("Every answer names the request it answers (in_reply_to); a request without request_id gets none")
    func answersNameTheirRequest() throws {
        let context = try ZMQContext()
        let directory = try TemporaryDirectory()
        let endpoint = directory.ipc("control")
        let server = try ControlServer(bindingTo: endpoint, security: .insecure, in: context)
        let dealer = try ZMQSocket(.dealer, in: context)
        try dealer.connect(endpoint)
        for requestID: UInt64? in [41, nil, 42] {
            let request = try WireMessage.statusRequest(StatusRequest()).encode(
                correlation: RequestCorrelation(requestID: requestID))
            try dealer.send(request.withUnsafeBytes { [UInt8]($0) })
            var received: (peer: ControlPeer, message: WireMessage)?
            #expect(
                try eventually {
                    received = try server.receive(timeout: .milliseconds(10))
                    return received != nil
                })
            try server.reply(to: try #require(received).peer, .statusReport(StatusReport(experiments: [])))
            let answer = try #require(try dealer.receive(.timeout(.seconds(5))))
            let correlation = try answer.withUnsafeBytes { try WireMessage.decodeCorrelated($0) }.correlation
            #expect(correlation == RequestCorrelation(inReplyTo: requestID))
        }
    }
}
