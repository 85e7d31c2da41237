/// The distribution of a statistic's values over an epoch, in TensorBoard's histogram form: min, max,
/// count, sum, sum of squares, and counts in TensorFlow's default buckets (so memory stays bounded
/// however many values are added).
///
/// The buckets are TensorFlow's defaults (tensorflow/core/lib/histogram/histogram.cc): limits ±1e-12 · 1.1ⁿ
/// up to ±1e20, 0 and ±`Double.greatestFiniteMagnitude`; bucket `i` counts values in
/// `[limits[i-1], limits[i])`. Counts live in a dense array (one entry per limit, about 12 KB) made at
/// the first value; only non-empty buckets are written.
public struct ValueHistogram: Sendable, Hashable {
    public private(set) var count = 0
    public private(set) var min = Double.infinity
    public private(set) var max = -Double.infinity
    public private(set) var sum = 0.0
    public private(set) var sumSquares = 0.0
    /// Value count per bucket index into ``bucketLimits``: dense, so that `add` (once per env step in
    /// `LogStatsWrapper`) is an array increment rather than a hash; empty until the first value.
    private var bucketCounts: [Int] = []

    public init() {}

    /// TensorFlow's default bucket limits, ascending.
    public static let bucketLimits: [Double] = {
        var positive: [Double] = []
        var limit = 1.0e-12
        while limit < 1.0e20 {
            positive.append(limit)
            limit *= 1.1
        }
        positive.append(Double.greatestFiniteMagnitude)
        return positive.reversed().map { -$0 } + [0] + positive
    }()

    /// Adds one value (NaN is skipped: it has no bucket).
    public mutating func add(_ value: Double) {
        guard !value.isNaN else { return }
        count += 1
        min = Swift.min(min, value)
        max = Swift.max(max, value)
        sum += value
        sumSquares += value * value
        if bucketCounts.isEmpty { bucketCounts = Array(repeating: 0, count: Self.bucketLimits.count) }
        bucketCounts[Self.bucketIndex(of: value)] += 1
    }

    /// Adds another histogram's values (e.g. another environment's).
    public mutating func merge(_ other: ValueHistogram) {
        guard other.count > 0 else { return }
        count += other.count
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        sum += other.sum
        sumSquares += other.sumSquares
        if bucketCounts.isEmpty {
            bucketCounts = other.bucketCounts
        } else {
            for index in other.bucketCounts.indices { bucketCounts[index] += other.bucketCounts[index] }
        }
    }

    /// The buckets to write, as TensorFlow encodes them: every non-empty bucket with its upper limit, and
    /// before it one empty bucket ending where it starts when empty buckets were skipped, so each bucket's
    /// lower edge stays the previous limit.
    public var encodedBuckets: (limits: [Double], counts: [Double]) {
        var limits: [Double] = []
        var counts: [Double] = []
        var previous = -1
        for index in bucketCounts.indices where bucketCounts[index] > 0 {
            if index - 1 > previous {
                limits.append(Self.bucketLimits[index - 1])
                counts.append(0)
            }
            limits.append(Self.bucketLimits[index])
            counts.append(Double(bucketCounts[index]))
            previous = index
        }
        return (limits, counts)
    }

    /// The first bucket whose limit is above `value` (the last bucket holds everything beyond).
    public static func bucketIndex(of value: Double) -> Int {
        var (low, high) = (0, bucketLimits.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if bucketLimits[middle] > value { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
