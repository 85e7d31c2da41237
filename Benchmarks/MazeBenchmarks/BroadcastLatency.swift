import Foundation
import MazeService
import MazeWire
import MazeZMQ
import Synchronization

/// Weight-broadcast latency: from `WeightsPublisher.publish` of a new version to the moment each of N
/// `WeightsSubscriber`s has received and decoded it, over ipc:// in this process.
///
/// The subscribers are shared among one receiving thread per CPU, each with its own ZeroMQ context (and so its own
/// I/O thread, as a separate actor process would have) and waiting on its subscribers in turn, so a subscriber's
/// latency includes the decodes its thread did before it (as on a machine running that many actor processes per
/// core). Versions are published one at a time: the next only after every subscriber has the previous one.
enum BroadcastLatency {
    /// The latencies of `rounds` publications of `weights` to `subscribers` subscribers.
    static func measure(weights: [String: WireTensor], subscribers: Int, rounds: Int) throws -> LatencySummary {
        let endpoint =
            "ipc://"
            + FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-bench-weights-\(ProcessInfo.processInfo.processIdentifier).ipc").path
        let context = try ZMQContext()
        let publisher = try WeightsPublisher(bindingTo: endpoint, security: .insecure, in: context)
        let threads = min(subscribers, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let progress = BroadcastProgress()
        for thread in 0..<threads {
            let share = subscribers / threads + (thread < subscribers % threads ? 1 : 0)
            Thread.detachNewThread {
                do {
                    try receive(subscribers: share, endpoint: endpoint, rounds: rounds, progress: progress)
                } catch {
                    progress.fail("\(error)")
                }
                progress.update { $0.finished += 1 }
            }
        }
        // However this ends, the receiving threads stop before the publisher goes.
        defer {
            progress.update { $0.failure = $0.failure ?? "stopped" }
            progress.waitQuietly(timeout: 30) { $0.finished == threads }
        }

        // Late joiners miss what was published before their subscription took effect: publish until all have one.
        var version: UInt64 = 1
        while !progress.read({ $0.ready == threads }) {
            try progress.check()
            try publisher.drainInbound()  // applies the subscriptions (the publisher keeps only the ones it reads)
            try publisher.publish(PolicyUpdate(experimentID: "bench", version: version, weights: weights))
            version += 1
            Thread.sleep(forTimeInterval: 0.02)
        }
        progress.update { $0.go = true }
        try progress.wait(until: "drained", timeout: 30) { $0.drained == threads }
        for round in 0..<rounds {
            progress.update { state in
                state.target = version
                state.publishedAt = ContinuousClock.now
            }
            try publisher.publish(PolicyUpdate(experimentID: "bench", version: version, weights: weights))
            version += 1
            try progress.wait(until: "round \(round + 1) received", timeout: 30) {
                $0.completions == threads * (round + 1)
            }
        }
        try progress.wait(until: "threads finished", timeout: 30) { $0.finished == threads }
        guard let summary = LatencySummary(progress.read(\.latencies)) else {
            throw BenchError.clusterFailed("no weight broadcast was received")
        }
        return summary
    }

    /// One receiving thread: subscribes, waits for the warm-up, then times each round's update on each subscriber.
    private static func receive(
        subscribers count: Int, endpoint: String, rounds: Int, progress: BroadcastProgress
    ) throws {
        let context = try ZMQContext()
        let subscribers = try (0..<count).map { _ in
            try WeightsSubscriber(connectingTo: endpoint, security: .insecure, in: context)
        }
        for subscriber in subscribers {
            while subscriber.current == nil {
                try progress.check()
                _ = try subscriber.poll(timeout: .milliseconds(10))
            }
        }
        progress.update { $0.ready += 1 }
        try progress.waitForGo()
        for subscriber in subscribers { _ = try subscriber.poll() }
        progress.update { $0.drained += 1 }
        var latencies: [Duration] = []
        for _ in 0..<rounds {
            for subscriber in subscribers {
                while true {
                    try progress.check()
                    guard let update = try subscriber.poll(timeout: .milliseconds(50)) else { continue }
                    let (target, publishedAt) = progress.read { ($0.target, $0.publishedAt) }
                    guard update.version == target, let publishedAt else { continue }
                    latencies.append(ContinuousClock.now - publishedAt)
                    break
                }
            }
            progress.update { $0.completions += 1 }
        }
        progress.update { $0.latencies += latencies }
    }
}

/// What the publishing thread and the receiving threads of `BroadcastLatency` share, under one lock.
private final class BroadcastProgress: Sendable {
    struct State {
        var ready = 0
        var go = false
        var drained = 0
        var target: UInt64 = 0
        var publishedAt: ContinuousClock.Instant?
        var completions = 0
        var latencies: [Duration] = []
        var finished = 0
        var failure: String?
    }

    private let state = Mutex(State())

    func update(_ body: (inout State) -> Void) { state.withLock { body(&$0) } }

    func read<Value>(_ body: (State) -> Value) -> Value { state.withLock { body($0) } }

    func fail(_ reason: String) { update { $0.failure = $0.failure ?? reason } }

    /// Throws once any thread failed (or the measurement was abandoned).
    func check() throws {
        if let failure = read(\.failure) { throw BenchError.clusterFailed("weight broadcast: \(failure)") }
    }

    func waitForGo() throws {
        while !read(\.go) {
            try check()
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    /// Waits until `condition` holds, failing after `timeout` seconds or when a thread failed.
    func wait(until what: String, timeout: TimeInterval, _ condition: (State) -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !read(condition) {
            try check()
            guard Date() < deadline else {
                fail("timed out waiting until \(what)")
                throw BenchError.clusterFailed("weight broadcast: timed out waiting until \(what)")
            }
            Thread.sleep(forTimeInterval: 0.0002)
        }
    }

    /// The same wait that ignores failures, for cleaning up.
    func waitQuietly(timeout: TimeInterval, _ condition: (State) -> Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while !read(condition), Date() < deadline { Thread.sleep(forTimeInterval: 0.001) }
    }
}
