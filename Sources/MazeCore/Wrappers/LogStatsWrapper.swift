/// Collects episode statistics (rewards, step counts, actions, the env's events and KPIs) for Maze's
/// step/episode/epoch aggregation; read them with ``popEpochStatistics()``.
public final class LogStatsWrapper: Wrapper {
    public let inner: any StructuredEnv
    /// The first path cell of the statistics (e.g. `train`, `eval`).
    public let loggingPrefix: String
    private var episode = EpisodeRecorder()
    private var epoch = EpochStatistics()
    private var actionLogs: [ActionLog]

    public init(_ env: any StructuredEnv, loggingPrefix: String = "") {
        inner = env
        self.loggingPrefix = loggingPrefix
        actionLogs = env.actionSpaces.sorted { $0.key < $1.key }.map { ActionLog(stepKey: $0.key, space: $0.value) }
    }

    public func reset() throws -> Observation {
        finishEpisode()
        return try inner.reset()
    }

    public func step(_ action: Action) throws -> StepResult {
        let stepKey = inner.actorID.stepKey
        let result = try inner.step(action)
        record(action, stepKey: stepKey, outcome: result.outcome)
        return result
    }

    public func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        finishEpisode()
        try inner.reset(observationInto: buffer)
    }

    public func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        // single-step envs need no actor lookup on this hot path
        let stepKey = actionLogs.count == 1 ? nil : inner.actorID.stepKey
        let outcome = try inner.step(action, observationInto: buffer)
        record(action, stepKey: stepKey, outcome: outcome)
        return outcome
    }

    private func record(_ action: Action, stepKey: StepKey?, outcome: StepOutcome) {
        if actionLogs.count == 1 {
            actionLogs[0].record(action)
        } else if let index = actionLogs.firstIndex(where: { $0.stepKey == stepKey }) {
            actionLogs[index].record(action)
        }
        episode.recordStep(reward: outcome.reward, events: inner.events.lastStep)
        if outcome.done { finishEpisode() }
    }

    private func finishEpisode() {
        guard episode.stepCount > 0 else { return }
        epoch.append(episode.summary(kpis: inner.calculateKPIs()))
        episode = EpisodeRecorder()
    }

    /// The statistics collected since the last call; the next epoch starts empty.
    public func popEpochStatistics() -> EpochStatistics {
        for index in actionLogs.indices {
            for (key, totals) in actionLogs[index].drain() { epoch.addActions(key, totals) }
        }
        let finished = epoch
        epoch.clearEpoch()
        return finished
    }

    /// This env's epoch statistics reduced to a table (see ``StatsTable``), starting the next epoch.
    public func reduceEpoch() -> LogStats {
        popEpochStatistics().reduce(prefix: loggingPrefix)
    }
}

/// Running totals of the actions of one step key, with statistic names resolved once.
private struct ActionLog {
    let stepKey: StepKey
    private let names: [String]
    private let keys: [EpochStatistics.ActionKey]
    private var totals: [EpochStatistics.ActionTotals]

    init(stepKey: StepKey, space: DictSpace) {
        self.stepKey = stepKey
        names = space.keys
        keys = space.map { name, subspace in
            let topic = if case .discrete = subspace { "DiscreteActionEvents" } else { "ContinuousActionEvents" }
            return EpochStatistics.ActionKey(topic: topic, name: "substep_\(stepKey)/\(name)")
        }
        totals = Array(repeating: EpochStatistics.ActionTotals(), count: keys.count)
    }

    /// Adds each entry of `action` (a multi-element entry counts with the mean of its elements).
    mutating func record(_ action: Action) {
        let (actionKeys, actionValues) = (action.keys, action.values)
        for index in totals.indices {
            // actions built from the space have its key order; look others up by name
            let positional = index < actionKeys.count && actionKeys[index] == names[index]
            guard let value = positional ? actionValues[index] : action[names[index]] else { continue }
            let count = value.count
            var sum = 0.0
            for element in 0..<count { sum += Double(value.float(at: element)) }
            totals[index].count += 1
            totals[index].sum += count == 0 ? 0 : sum / Double(count)
        }
    }

    mutating func drain() -> [(EpochStatistics.ActionKey, EpochStatistics.ActionTotals)] {
        defer { totals = Array(repeating: EpochStatistics.ActionTotals(), count: keys.count) }
        return Array(zip(keys, totals))
    }
}
