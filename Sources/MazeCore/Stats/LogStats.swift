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

/// The reduced statistics of one epoch, in output order.
public struct LogStats: Sendable, Hashable {
    public private(set) var entries: [Entry]

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

    /// The value at `topic/event/name` (any prefix).
    public func value(topic: String, event: String, name: String) -> StatValue? {
        entries.first { $0.key.topic == topic && $0.key.event == event && $0.key.name == name }?.value
    }
}
