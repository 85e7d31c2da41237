/// Records the events an environment reports, grouped by step, for the current episode.
///
/// An environment owns one context and calls ``record(_:attributes:)`` while it steps; ``MazeEnv``
/// closes each step with ``finishStep()`` and clears the log at reset. Wrappers (log statistics, event
/// logs, KPIs) read the finished steps. Only steps with events are stored, so an environment that
/// reports none pays a counter increment per step.
public final class EventContext {
    private var pending: [Event] = []
    /// The finished steps that had events, with their index in the episode.
    private var eventfulSteps: [(index: Int, events: [Event])] = []
    /// The number of finished steps in the current episode.
    public private(set) var stepCount = 0

    public init() {}

    /// Reports one event in the current step.
    public func record(_ descriptor: EventDescriptor, attributes: [String: Double] = [:]) {
        pending.append(Event(descriptor, attributes: attributes))
    }

    /// Closes the current step: its events become the last entry of ``steps``.
    public func finishStep() {
        if !pending.isEmpty {
            eventfulSteps.append((stepCount, pending))
            pending = []
        }
        stepCount += 1
    }

    /// Starts a new episode's log (events reported during reset count toward the first step).
    public func beginEpisode() {
        eventfulSteps.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
        stepCount = 0
    }

    /// The events of each finished step of the current episode, oldest first.
    public var steps: [[Event]] {
        var result = [[Event]](repeating: [], count: stepCount)
        for (index, events) in eventfulSteps { result[index] = events }
        return result
    }

    /// The events of each finished step from step `first` on that had any, oldest first: what log
    /// statistics reduce once per episode instead of looking at every step.
    func eventfulSteps(from first: Int) -> [[Event]] {
        eventfulSteps.filter { $0.index >= first }.map(\.events)
    }

    /// The events of the last finished step.
    public var lastStep: [Event] {
        guard let last = eventfulSteps.last, last.index == stepCount - 1 else { return [] }
        return last.events
    }

    /// Every event of `descriptor` in the current episode (Maze's `query_events`).
    public func query(_ descriptor: EventDescriptor) -> [Event] {
        eventfulSteps.flatMap { $0.events.filter { $0.descriptor == descriptor } }
    }
}
