import Foundation
import Testing

/// `maze actor --name`: the host part of the worker ids, for actor hosts whose host names are not distinct
/// (containers, network namespaces, two supervisors on one machine).
@Suite(.serialized)
struct ActorCommandTests {
    @Test func nameReplacesTheHostNameInEveryWorkerID() throws {
        let metricsPort = Int.random(in: 20_000..<60_000)
        let cluster = try TestCluster(
            workers: 2, learnerArguments: ["--metrics", "127.0.0.1:\(metricsPort)"],
            actorArguments: ["--name", "host-a"])
        let expected: Set = ["host-a/actor-0", "host-a/actor-1"]
        var seen = Set<String>()
        // Workers register as soon as they start and heartbeat every second; the learner lists them in its metrics.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, seen != expected {
            Thread.sleep(forTimeInterval: 0.5)
            seen = Self.actors(in: try TestCluster.scrape(metricsPort))
        }
        #expect(seen == expected)
    }

    @Test func nameWithASlashIsRefused() throws {
        let refused = try TestCluster.maze([
            "actor", "--name", "a/b", "--connect", "ipc:///tmp/maze-unused", "--insecure",
        ])
        #expect(!refused.succeeded)
        #expect(refused.errorOutput.contains("--name"))
    }

    /// The `actor` labels of `maze_actor_env_steps_per_second`.
    private static func actors(in metrics: String) -> Set<String> {
        let prefix = "maze_actor_env_steps_per_second{actor=\""
        return Set(
            metrics.split(separator: "\n").filter { $0.hasPrefix(prefix) }
                .compactMap { $0.dropFirst(prefix.count).split(separator: "\"").first.map(String.init) })
    }
}
