/// The statistics of one finished episode, already reduced to episode level.
public struct EpisodeSummary: Sendable, Hashable {
    /// The sum of the step rewards.
    public var totalReward: Double
    /// The number of steps.
    public var stepCount: Int
    /// Episode-level outputs of each event type seen, in order of first occurrence.
    public var eventOutputs: [EventOutputs]
    /// The environment's KPIs.
    public var kpis: [String: Double]

    /// The episode outputs of one event type.
    public struct EventOutputs: Sendable, Hashable {
        public var descriptor: EventDescriptor
        public var outputs: [String: Double]
    }
}

/// Accumulates one episode's rewards and per-step event values, then reduces them to an
/// ``EpisodeSummary`` as each event type's ``EventStatistics`` define.
///
/// Rewards are counted per step; events are handed over per step that had any, which log statistics
/// do once at the end of the episode (most steps of most envs have none).
struct EpisodeRecorder {
    private(set) var totalReward = 0.0
    private(set) var stepCount = 0
    private var descriptors: [EventDescriptor] = []
    private var stepValues: [[Double]] = []

    mutating func recordStep(reward: Double) {
        totalReward += reward
        stepCount += 1
    }

    /// Adds the step values of one step's `events` (the events of one step, in the order reported).
    mutating func recordEvents(ofStep events: [Event]) {
        var seen: [EventDescriptor] = []
        for event in events where !seen.contains(event.descriptor) {
            seen.append(event.descriptor)
            let occurrences = events.filter { $0.descriptor == event.descriptor }
            guard let value = Self.stepValue(event.descriptor.statistics.step, occurrences) else { continue }
            if let index = descriptors.firstIndex(of: event.descriptor) {
                stepValues[index].append(value)
            } else {
                descriptors.append(event.descriptor)
                stepValues.append([value])
            }
        }
    }

    private static func stepValue(_ aggregation: EventStatistics.StepAggregation, _ events: [Event]) -> Double? {
        switch aggregation {
        case .count: Double(events.count)
        case .value(let attribute): events.last?.attributes[attribute]
        case .reduce(let reducer, let attribute): reducer.reduce(events.compactMap { $0.attributes[attribute] })
        }
    }

    func summary(kpis: [String: Double]) -> EpisodeSummary {
        let outputs = zip(descriptors, stepValues).map { descriptor, values in
            EpisodeSummary.EventOutputs(
                descriptor: descriptor,
                outputs: Dictionary(
                    descriptor.statistics.episode.compactMap { reduction in
                        reduction.reducer.reduce(values).map { (reduction.output, $0) }
                    }, uniquingKeysWith: { _, last in last }))
        }
        return EpisodeSummary(totalReward: totalReward, stepCount: stepCount, eventOutputs: outputs, kpis: kpis)
    }
}
