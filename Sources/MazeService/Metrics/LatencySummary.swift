/// The median and 99th percentile of measured latencies, by nearest rank (the smallest sample at or above
/// the given fraction of all samples), so that every reported figure is a latency that was observed.
public struct LatencySummary: Sendable, Equatable {
    public let count: Int
    public let median: Duration
    public let p99: Duration

    /// The summary of `samples`, or `nil` when there are none.
    public init?(_ samples: [Duration]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        count = sorted.count
        median = Self.quantile(0.5, ofSorted: sorted)
        p99 = Self.quantile(0.99, ofSorted: sorted)
    }

    /// The nearest-rank `fraction` quantile of non-empty ascending `sorted`.
    static func quantile(_ fraction: Double, ofSorted sorted: [Duration]) -> Duration {
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
