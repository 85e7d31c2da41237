import MazeWire

/// The distribution of policy lag, learner version − batch version, over the batches the learner consumed.
///
/// Lags are small integers, so the histogram counts each value exactly and quantiles are exact.
struct PolicyLagHistogram: Sendable, Equatable {
    private(set) var counts: [UInt64: UInt64] = [:]
    private(set) var total: UInt64 = 0
    private var sum: Double = 0

    init() {}

    mutating func record(_ lag: UInt64) {
        counts[lag, default: 0] += 1
        total += 1
        sum += Double(lag)
    }

    /// The smallest lag such that at least `fraction` of the batches had that lag or less (0 when empty).
    func quantile(_ fraction: Double) -> UInt64 {
        guard total > 0 else { return 0 }
        let rank = max(1, UInt64((fraction * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for lag in counts.keys.sorted() {
            seen += counts[lag] ?? 0
            if seen >= rank { return lag }
        }
        return counts.keys.max() ?? 0
    }

    /// The summary `maze status` shows.
    var summary: PolicyLagSummary {
        PolicyLagSummary(
            batches: total, mean: total == 0 ? 0 : sum / Double(total), median: quantile(0.5), p90: quantile(0.9),
            p99: quantile(0.99), max: counts.keys.max() ?? 0)
    }
}
