/// The configuration of one entry's normalization before statistics exist (Maze's `strategy`,
/// `strategy_config` and `statistics` keys).
public struct NormalizationConfig: Sendable, Hashable {
    public var strategy: NormalizationStrategy
    /// `false`: one statistic over all elements (Maze `axis: ~`); `true`: per element (`axis: [0]`).
    public var perElement: Bool
    public var clipLow: Float?
    public var clipHigh: Float?
    /// Given statistics (mean and std, or min and max), or `nil` to estimate them by sampling.
    public var statistics: GivenStatistics?

    /// Statistics from the configuration: `first` is mean or min, `second` std or max.
    public struct GivenStatistics: Sendable, Hashable {
        public var first: [Float]
        public var second: [Float]
        public init(first: [Float], second: [Float]) {
            self.first = first
            self.second = second
        }
    }

    public init(
        strategy: NormalizationStrategy = .meanZeroStdOne, perElement: Bool = false, clipLow: Float? = nil,
        clipHigh: Float? = nil, statistics: GivenStatistics? = nil
    ) {
        self.strategy = strategy
        self.perElement = perElement
        self.clipLow = clipLow
        self.clipHigh = clipHigh
        self.statistics = statistics
    }

    /// The normalization from given statistics: mean/std, or min/max turned into shift and range.
    func normalization(_ given: GivenStatistics) -> EntryNormalization {
        let scale = strategy == .rangeZeroOne ? zip(given.first, given.second).map { $1 - $0 } : given.second
        return EntryNormalization(
            strategy: strategy, shift: given.first, scale: scale, clipLow: clipLow, clipHigh: clipHigh)
    }

    /// Statistics estimated from sampled `rows` of one entry (each `elementCount` values).
    func estimate(from rows: [[Float]], elementCount: Int) -> EntryNormalization {
        let columns: [[Double]] =
            perElement
            ? (0..<elementCount).map { column in rows.map { Double($0[column]) } }
            : [rows.flatMap { $0.map(Double.init) }]
        let (firstReducer, secondReducer): (Reducer, Reducer) =
            strategy == .meanZeroStdOne ? (.mean, .std) : (.min, .max)
        return normalization(
            GivenStatistics(
                first: columns.map { Float(firstReducer.reduce($0) ?? 0) },
                second: columns.map { Float(secondReducer.reduce($0) ?? 1) }))
    }
}
