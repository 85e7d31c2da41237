import Foundation
import MazeCore

/// A directory for one test's files, removed when the test is done with it.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("maze-reporting-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Collects what a writer or display would print.
final class CapturedOutput: @unchecked Sendable {
    private(set) var chunks: [String] = []
    var text: String { chunks.joined() }
    func append(_ chunk: String) { chunks.append(chunk) }
}

/// Reward statistics in Maze's order for `prefix`, with a mean that grows with `epoch`.
func rewardStats(prefix: String, epoch: Int) -> LogStats {
    var stats = LogStats()
    let mean = 10.0 * Double(epoch)
    let values: [(String, Double)] = [
        ("total_step_count", 200), ("std", 1.5), ("mean", mean), ("min", mean - 4), ("max", mean + 6),
    ]
    for (name, value) in values {
        stats.append(StatKey(prefix: prefix, topic: "BaseEnvEvents", event: "reward", name: name), .number(value))
    }
    return stats
}

/// `stats` followed by `more`.
func combined(_ stats: LogStats, _ more: LogStats) -> LogStats {
    var result = stats
    for entry in more.entries { result.append(entry.key, entry.value) }
    return result
}
