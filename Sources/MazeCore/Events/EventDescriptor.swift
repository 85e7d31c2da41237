/// How the values of one event type are turned into statistics at step, episode and epoch level
/// (Maze's `define_step_stats` / `define_episode_stats` / `define_epoch_stats`).
public struct EventStatistics: Sendable, Hashable {
    /// How the events of one step become one step value.
    public enum StepAggregation: Sendable, Hashable {
        /// How often the event occurred in the step (`len`).
        case count
        /// The attribute's value of the step's last event (`None`: one event per step, value passed on).
        case value(attribute: String)
        /// The attribute's values of the step's events, reduced.
        case reduce(Reducer, attribute: String)
    }

    /// One reduction at episode or epoch level: `reducer` over the values named `input`, reported as
    /// `output`.
    public struct Reduction: Sendable, Hashable {
        public var reducer: Reducer
        /// The name of the lower level's output to read (episode level: the step values, `nil`).
        public var input: String?
        public var output: String

        public init(_ reducer: Reducer, input: String? = nil, output: String) {
            self.reducer = reducer
            self.input = input
            self.output = output
        }
    }

    public var step: StepAggregation
    public var episode: [Reduction]
    public var epoch: [Reduction]

    public init(step: StepAggregation, episode: [Reduction], epoch: [Reduction]) {
        self.step = step
        self.episode = episode
        self.epoch = epoch
    }

    /// Counted per step, summed per episode, averaged over the epoch's episodes as
    /// `mean_episode_total` (the tutorial's most common definition).
    public static let meanEpisodeTotal = EventStatistics(
        step: .count, episode: [Reduction(.sum, output: "episode_total")],
        epoch: [Reduction(.mean, input: "episode_total", output: "mean_episode_total")])
}

/// The identity of an event type: its interface ("topic", e.g. `CuttingEvents`), its name (e.g.
/// `invalid_cut`) and how its statistics are aggregated.
public struct EventDescriptor: Sendable, Hashable {
    public let topic: String
    public let name: String
    public let statistics: EventStatistics

    public init(topic: String, name: String, statistics: EventStatistics = .meanEpisodeTotal) {
        self.topic = topic
        self.name = name
        self.statistics = statistics
    }
}

/// One occurrence of an event with its numeric attributes.
public struct Event: Sendable, Hashable {
    public let descriptor: EventDescriptor
    public let attributes: [String: Double]

    public init(_ descriptor: EventDescriptor, attributes: [String: Double] = [:]) {
        self.descriptor = descriptor
        self.attributes = attributes
    }
}
