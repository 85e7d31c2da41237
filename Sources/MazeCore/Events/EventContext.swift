/// Records the events an environment reports, grouped by step, for the current episode.
///
/// An environment owns one context and calls ``record(_:attributes:)`` while it steps; ``MazeEnv``
/// closes each step with ``finishStep()`` and clears the log at reset. Wrappers (log statistics, event
/// logs, KPIs) read the finished steps. The log is bounded by the episode length.
public final class EventContext {
    private var pending: [Event] = []
    /// The events of each finished step of the current episode, oldest first.
    public private(set) var steps: [[Event]] = []

    public init() {}

    /// Reports one event in the current step.
    public func record(_ descriptor: EventDescriptor, attributes: [String: Double] = [:]) {
        pending.append(Event(descriptor, attributes: attributes))
    }

    /// Closes the current step: its events become the last entry of ``steps``.
    public func finishStep() {
        steps.append(pending)
        pending.removeAll(keepingCapacity: true)
    }

    /// Starts a new episode's log (events reported during reset count toward the first step).
    public func beginEpisode() {
        steps.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
    }

    /// The events of the last finished step.
    public var lastStep: [Event] { steps.last ?? [] }

    /// Every event of `descriptor` in the current episode (Maze's `query_events`).
    public func query(_ descriptor: EventDescriptor) -> [Event] {
        steps.flatMap { $0.filter { $0.descriptor == descriptor } }
    }
}
