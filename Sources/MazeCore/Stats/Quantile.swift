/// Quantiles of a sample: the one implementation behind every median and percentile the project reports
/// (statistics reducers, benchmark figures, latency summaries, the vector env's timing choice).
///
/// Two definitions, each where it belongs: `median` averages the two middle values of an even count (numpy's
/// `median`, which Maze's statistics use); `nearestRank` returns an observed value (the smallest one at or above
/// the given fraction of the sample), which is what a latency or a percentile should report.
package enum Quantile {
    /// The 1-based nearest rank of `fraction` among `count` ordered values: ⌈fraction · count⌉, clamped to
    /// `1...count` (`count` must be positive).
    package static func nearestRank(_ fraction: Double, count: Int) -> Int {
        let rank = (fraction * Double(count)).rounded(.up)
        guard rank.isFinite, rank >= 1 else { return 1 }
        return rank >= Double(count) ? count : Int(rank)
    }

    /// The nearest-rank `fraction` quantile of `values` (in any order), or `nil` when there are none.
    package static func nearestRank<Value: Comparable>(_ fraction: Double, of values: some Collection<Value>) -> Value?
    {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[nearestRank(fraction, count: sorted.count) - 1]
    }

    /// The median of `values` (in any order): the middle value, or the mean of the two middle values of an even
    /// count; `nil` when there are none.
    package static func median<Value: BinaryFloatingPoint>(_ values: some Collection<Value>) -> Value? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
