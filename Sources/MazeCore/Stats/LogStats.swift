/// The path of one statistic in the console table: run prefix (train/eval), event class, event
/// method and output name.
public struct StatKey: Sendable, Hashable, CustomStringConvertible {
    public var prefix: String
    public var topic: String
    public var event: String
    public var name: String

    public init(prefix: String = "", topic: String, event: String, name: String) {
        self.prefix = prefix
        self.topic = topic
        self.event = event
        self.name = name
    }

    public var description: String { [prefix, topic, event, name].filter { !$0.isEmpty }.joined(separator: "/") }
}

/// One reduced statistic: a number, or a list of values summarised by its length and mean (printed
/// as `[len:N, μ:X]`; only the summary is kept so long epochs need no memory per step).
public enum StatValue: Sendable, Hashable {
    case number(Double)
    case list(count: Int, mean: Double)

    /// The number, or the mean of the list.
    public var scalar: Double {
        switch self {
        case .number(let value): value
        case .list(_, let mean): mean
        }
    }
}

/// The reduced statistics of one epoch, in output order, and the distributions behind some of them
/// (written as TensorBoard histograms; the console table shows only the entries).
public struct LogStats: Sendable, Hashable {
    public private(set) var entries: [Entry]
    /// Value distributions (e.g. of each action), in output order.
    public private(set) var histograms: [Histogram] = []

    /// The distribution of one statistic's values.
    public struct Histogram: Sendable, Hashable {
        public var key: StatKey
        public var values: ValueHistogram
    }

    /// One statistic.
    public struct Entry: Sendable, Hashable {
        public var key: StatKey
        public var value: StatValue
    }

    public init() { entries = [] }

    /// Appends a statistic.
    public mutating func append(_ key: StatKey, _ value: StatValue) {
        entries.append(Entry(key: key, value: value))
    }

    /// Appends a distribution.
    public mutating func append(_ key: StatKey, histogram: ValueHistogram) {
        histograms.append(Histogram(key: key, values: histogram))
    }

    /// Appends `other`'s statistics and distributions after these (e.g. the evaluation's after training's).
    public mutating func append(contentsOf other: LogStats) {
        entries += other.entries
        histograms += other.histograms
    }

    /// The value at `topic/event/name` (any prefix).
    public func value(topic: String, event: String, name: String) -> StatValue? {
        entries.first { $0.key.topic == topic && $0.key.event == event && $0.key.name == name }?.value
    }
}
