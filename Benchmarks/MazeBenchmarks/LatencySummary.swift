import MazeCore

/// The median and 99th percentile of measured latencies, by nearest rank (the smallest sample at or above
/// the given fraction of all samples), so that every reported figure is a latency that was observed.
struct LatencySummary: Sendable, Equatable {
    let count: Int
    let median: Duration
    let p99: Duration

    /// The summary of `samples`, or `nil` when there are none.
    init?(_ samples: [Duration]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        count = sorted.count
        median = sorted[Quantile.nearestRank(0.5, count: sorted.count) - 1]
        p99 = sorted[Quantile.nearestRank(0.99, count: sorted.count) - 1]
    }
}
