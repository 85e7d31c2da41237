import Foundation
import MazeSystem
import MazeTestSupport
import MazeWire
import Testing

@testable import MazeService

@Suite("Prometheus metrics")
struct MetricsTests {
    static func snapshot() -> MetricsSnapshot {
        var snapshot = MetricsSnapshot()
        snapshot.learnerSamplesPerSecond = 1234.5
        snapshot.queueDepth = 3
        snapshot.queueCapacity = 8
        snapshot.policyLag = PolicyLagSummary(batches: 10, mean: 0.5, median: 0, p90: 1, p99: 2, max: 2)
        snapshot.connectedActors = 2
        snapshot.rejectedFrames = [.truncated: 7, .oversized: 1]
        snapshot.checkpointAgeSeconds = 12
        snapshot.actorEnvStepsPerSecond = ["host-a/actor-1": 500, "quote\"d": 250.25]
        (snapshot.samplesReceived, snapshot.samplesTrained) = (1_600, 1_500)
        return snapshot
    }

    @Test("The text format has HELP/TYPE lines, labelled samples and escaped label values")
    func textFormat() {
        let lines = Self.snapshot().prometheusText.split(separator: "\n").map(String.init)
        #expect(lines.contains("# TYPE maze_learner_samples_per_second gauge"))
        #expect(lines.contains("maze_learner_samples_per_second 1234.5"))
        #expect(lines.contains("maze_learner_queue_depth 3"))
        #expect(lines.contains("maze_policy_lag{quantile=\"0.99\"} 2"))
        #expect(lines.contains("maze_policy_lag_count 10"))
        #expect(lines.contains("maze_policy_lag_sum 5"))
        #expect(lines.contains("maze_connected_actors 2"))
        #expect(lines.contains("maze_rejected_frames_total{reason=\"truncated\"} 7"))
        #expect(lines.contains("maze_rejected_frames_total{reason=\"stale\"} 0"))
        #expect(lines.contains("maze_checkpoint_age_seconds 12"))
        #expect(lines.contains("maze_samples_received_total 1600"))
        #expect(lines.contains("maze_samples_trained_total 1500"))
        #expect(lines.contains("maze_actor_env_steps_per_second{actor=\"quote\\\"d\"} 250.25"))
        // Every sample line is `name{labels} value` with a parseable value, every family is typed.
        for line in lines where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            #expect(parts.count == 2 && Double(parts[1]) != nil, "bad sample line: \(line)")
            let name = String(parts[0].prefix { $0 != "{" })
            let family =
                name.hasSuffix("_sum") || name.hasSuffix("_count")
                ? String(name.dropLast(name.hasSuffix("_sum") ? 4 : 6)) : name
            #expect(lines.contains { $0.hasPrefix("# TYPE \(family) ") }, "untyped sample \(name)")
        }
    }

    @Test("Ten idle connections do not delay a scrape: it is answered within half a second")
    func idleConnectionsDoNotDelayScrapes() throws {
        let metrics = ServiceMetrics()
        metrics.update { $0 = Self.snapshot() }
        let endpoint = try MetricsEndpoint(address: "127.0.0.1:0", metrics: metrics)
        defer { endpoint.stop() }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(endpoint.port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let idle = (0..<10).map { _ in
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            return descriptor
        }
        defer { for descriptor in idle { close(descriptor) } }
        Thread.sleep(forTimeInterval: 0.2)
        let start = Date()
        let exit = try ChildProcess(
            executable: "/usr/bin/curl", arguments: ["-s", "http://127.0.0.1:\(endpoint.port)/"]
        ).waitForExit(seconds: 10)
        let seconds = Date().timeIntervalSince(start)
        #expect(exit.output.contains("maze_learner_queue_capacity 8"))
        #expect(seconds < 0.5, "scrape took \(seconds) s")
    }

    @Test("The HTTP endpoint serves the current snapshot")
    func endpoint() throws {
        let metrics = ServiceMetrics()
        metrics.update { $0 = Self.snapshot() }
        let endpoint = try MetricsEndpoint(address: "127.0.0.1:0", metrics: metrics)
        defer { endpoint.stop() }
        let curl = try ChildProcess(
            executable: "/usr/bin/curl", arguments: ["-s", "-i", "http://127.0.0.1:\(endpoint.port)/metrics"])
        let exit = try curl.waitForExit(seconds: 10)
        #expect(exit.succeeded)
        #expect(exit.output.hasPrefix("HTTP/1.1 200 OK"))
        #expect(exit.output.contains("Content-Type: text/plain; version=0.0.4"))
        #expect(exit.output.contains("maze_learner_queue_capacity 8"))
    }

    @Test("A malformed metrics address is a configuration error")
    func badAddress() {
        #expect(throws: ServiceError.self) { try MetricsEndpoint(address: "localhost", metrics: ServiceMetrics()) }
        #expect(throws: ServiceError.self) {
            try MetricsEndpoint(address: "example.com:9100", metrics: ServiceMetrics())
        }
    }
}
