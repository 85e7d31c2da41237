/// Collects episode statistics (rewards, step counts, actions, the env's events and KPIs) for Maze's
/// step/episode/epoch aggregation; read them with ``popEpochStatistics()``.
///
/// A step only adds the reward and the action values to running totals; the env's events are reduced
/// once per episode, when it ends.
package final class LogStatsWrapper: Wrapper {
    package let inner: any StructuredEnv
    /// The first path cell of the statistics (e.g. `train`, `eval`).
    package let loggingPrefix: String
    /// The env's event log, fetched once: asking through the wrapper chain on every step costs a call per layer.
    private let eventLog: EventContext
    /// What every step updates, in one cell (see ``StepStateCell`` for why not stored properties).
    private let tally: StepStateCell<Tally>
    private let singleStepKey: Bool
    private var epoch = EpochStatistics()

    private struct Tally {
        var episode = EpisodeRecorder()
        /// The event log's step count when the current episode started (its events from there on are ours).
        var episodeFirstEventStep = 0
        var actionLogs: [ActionLog]
    }

    package init(_ env: any StructuredEnv, loggingPrefix: String = "") {
        inner = env
        self.loggingPrefix = loggingPrefix
        eventLog = env.events
        let actionLogs = env.actionSpaces.sorted { $0.key < $1.key }.map { ActionLog(stepKey: $0.key, space: $0.value) }
        singleStepKey = actionLogs.count == 1
        tally = StepStateCell(Tally(actionLogs: actionLogs))
    }

    package func reset() throws -> Observation {
        finishEpisode()
        let observation = try inner.reset()
        tally.value.episodeFirstEventStep = eventLog.stepCount
        return observation
    }

    package func step(_ action: Action) throws -> StepResult {
        let index = actionLogIndex()
        let result = try inner.step(action)
        if let index { tally.value.actionLogs[index].record(action) }
        record(result.outcome)
        return result
    }

    package func reset(observationInto buffer: UnsafeMutableBufferPointer<Float>) throws {
        finishEpisode()
        try inner.reset(observationInto: buffer)
        tally.value.episodeFirstEventStep = eventLog.stepCount
    }

    package func step(_ action: Action, observationInto buffer: UnsafeMutableBufferPointer<Float>) throws
        -> StepOutcome
    {
        let index = actionLogIndex()
        let outcome = try inner.step(action, observationInto: buffer)
        if let index { tally.value.actionLogs[index].record(action) }
        record(outcome)
        return outcome
    }

    package func step(
        flatAction: UnsafeBufferPointer<Float>, observationInto buffer: UnsafeMutableBufferPointer<Float>
    ) throws -> StepOutcome {
        let index = actionLogIndex()
        let outcome = try inner.step(flatAction: flatAction, observationInto: buffer)
        if let index { tally.value.actionLogs[index].record(flatAction) }
        record(outcome)
        return outcome
    }

    /// The action log of the actor about to act (single-step envs need no actor lookup on the hot path).
    private func actionLogIndex() -> Int? {
        if singleStepKey { return 0 }
        let stepKey = inner.actorID.stepKey
        return tally.value.actionLogs.firstIndex { $0.stepKey == stepKey }
    }

    private func record(_ outcome: StepOutcome) {
        tally.value.episode.recordStep(reward: outcome.reward)
        if outcome.done { finishEpisode() }
    }

    private func finishEpisode() {
        guard tally.value.episode.stepCount > 0 else { return }
        for stepEvents in eventLog.eventfulSteps(from: tally.value.episodeFirstEventStep) {
            tally.value.episode.recordEvents(ofStep: stepEvents)
        }
        let kpis = inner.calculateKPIs()
        epoch.append(tally.value.episode.summary(kpis: kpis))
        tally.value.episode = EpisodeRecorder()
        tally.value.episodeFirstEventStep = eventLog.stepCount
    }

    /// The statistics collected since the last call; the next epoch starts empty.
    package func popEpochStatistics() -> EpochStatistics {
        for index in tally.value.actionLogs.indices {
            for (key, totals) in tally.value.actionLogs[index].drain() { epoch.addActions(key, totals) }
        }
        let finished = epoch
        epoch.clearEpoch()
        return finished
    }

    /// This env's epoch statistics reduced to a table (see ``StatsTable``), starting the next epoch.
    package func reduceEpoch() -> LogStats {
        popEpochStatistics().reduce(prefix: loggingPrefix)
    }
}

/// Running totals of the actions of one step key, with statistic names and flat layout resolved once.
private struct ActionLog {
    let stepKey: StepKey
    private let names: [String]
    private let keys: [EpochStatistics.ActionKey]
    /// Where each entry sits in a flat action row, and whether it holds integers (floored, as unflattening does).
    private let flatLayout: [(offset: Int, count: Int, integral: Bool)]
    private var totals: [EpochStatistics.ActionTotals]

    init(stepKey: StepKey, space: DictSpace) {
        self.stepKey = stepKey
        names = space.keys
        keys = space.map { name, subspace in
            let topic = if case .discrete = subspace { "DiscreteActionEvents" } else { "ContinuousActionEvents" }
            return EpochStatistics.ActionKey(topic: topic, name: "substep_\(stepKey)/\(name)")
        }
        flatLayout = zip(space.flatOffsets, space.spaces).map { ($0, $1.elementCount, $1.dtype == .int64) }
        totals = Array(repeating: EpochStatistics.ActionTotals(), count: keys.count)
    }

    /// Adds each entry of `action` (a multi-element entry counts with the mean of its elements).
    mutating func record(_ action: Action) {
        let (actionKeys, actionValues) = (action.keys, action.values)
        for index in totals.indices {
            // actions built from the space have its key order; look others up by name
            let positional = index < actionKeys.count && actionKeys[index] == names[index]
            guard let value = positional ? actionValues[index] : action[names[index]] else { continue }
            var sum = 0.0
            for element in 0..<value.count { sum += Double(value.float(at: element)) }
            add(sum: sum, count: value.count, at: index)
        }
    }

    /// Adds each entry of a flat action row, read as ``DictSpace/unflatten(_:)`` would split it.
    mutating func record(_ row: UnsafeBufferPointer<Float>) {
        for (index, entry) in flatLayout.enumerated() where entry.offset + entry.count <= row.count {
            var sum = 0.0
            for element in row[entry.offset..<entry.offset + entry.count] {
                sum += Double(entry.integral ? element.rounded(.down) : element)
            }
            add(sum: sum, count: entry.count, at: index)
        }
    }

    private mutating func add(sum: Double, count: Int, at index: Int) {
        let value = count == 0 ? 0 : sum / Double(count)
        totals[index].count += 1
        totals[index].sum += value
        totals[index].histogram.add(value)
    }

    mutating func drain() -> [(EpochStatistics.ActionKey, EpochStatistics.ActionTotals)] {
        defer { totals = Array(repeating: EpochStatistics.ActionTotals(), count: keys.count) }
        return Array(zip(keys, totals))
    }
}
