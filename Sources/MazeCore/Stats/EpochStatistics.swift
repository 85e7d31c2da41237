/// The finished episodes (and action values and their distributions) of one epoch, mergeable across environments and reduced
/// to ``LogStats`` at the epoch's end.
package struct EpochStatistics: Sendable, Hashable {
    /// The epoch's finished episodes.
    package private(set) var episodes: [EpisodeSummary] = []
    /// Episodes finished since the statistics began, including earlier epochs.
    package private(set) var totalEpisodeCount = 0
    /// Count and sum of the action values taken in the epoch, per action statistic.
    package private(set) var actions: [ActionKey: ActionTotals] = [:]

    /// An action statistic: `DiscreteActionEvents` or `ContinuousActionEvents`, `substep_<key>/<name>`.
    package struct ActionKey: Sendable, Hashable, Comparable {
        package var topic: String
        package var name: String
        package static func < (lhs: ActionKey, rhs: ActionKey) -> Bool { (lhs.topic, lhs.name) < (rhs.topic, rhs.name) }
    }

    /// Running count and sum of one action's values, and their distribution.
    package struct ActionTotals: Sendable, Hashable {
        package var count = 0
        package var sum = 0.0
        package var histogram = ValueHistogram()
    }

    package init() {}

    mutating func append(_ episode: EpisodeSummary) {
        episodes.append(episode)
        totalEpisodeCount += 1
    }

    mutating func addActions(_ key: ActionKey, _ totals: ActionTotals) {
        actions[key, default: ActionTotals()].count += totals.count
        actions[key, default: ActionTotals()].sum += totals.sum
        actions[key, default: ActionTotals()].histogram.merge(totals.histogram)
    }

    /// Adds another environment's epoch (same epoch, different env).
    package mutating func merge(_ other: EpochStatistics) {
        episodes += other.episodes
        totalEpisodeCount += other.totalEpisodeCount
        for (key, totals) in other.actions { addActions(key, totals) }
    }

    /// Starts the next epoch (episode count kept).
    package mutating func clearEpoch() {
        episodes.removeAll()
        actions.removeAll()
    }

    /// The epoch's statistics in Maze's order: actions, reward/step counts, events, KPIs.
    package func reduce(prefix: String = "") -> LogStats {
        var stats = LogStats()
        for key in actions.keys.sorted() {
            guard let totals = actions[key], totals.count > 0 else { continue }
            let statKey = StatKey(prefix: prefix, topic: key.topic, event: "action", name: key.name)
            stats.append(statKey, .list(count: totals.count, mean: totals.sum / Double(totals.count)))
            stats.append(statKey, histogram: totals.histogram)
        }
        guard !episodes.isEmpty else { return stats }
        appendRewardStats(to: &stats, prefix: prefix)
        appendEventStats(to: &stats, prefix: prefix)
        appendKPIStats(to: &stats, prefix: prefix)
        return stats
    }

    private func appendRewardStats(to stats: inout LogStats, prefix: String) {
        let steps = episodes.map { Double($0.stepCount) }
        let rewards = episodes.map(\.totalReward)
        let rewardStats: [(String, Double?)] = [
            ("median_step_count", Reducer.median.reduce(steps)), ("mean_step_count", Reducer.mean.reduce(steps)),
            ("total_step_count", Reducer.sum.reduce(steps)), ("total_episode_count", Double(totalEpisodeCount)),
            ("episode_count", Double(episodes.count)), ("std", Reducer.std.reduce(rewards)),
            ("mean", Reducer.mean.reduce(rewards)), ("min", Reducer.min.reduce(rewards)),
            ("max", Reducer.max.reduce(rewards)),
        ]
        for case (let name, let value?) in rewardStats {
            stats.append(StatKey(prefix: prefix, topic: "BaseEnvEvents", event: "reward", name: name), .number(value))
        }
    }

    private func appendEventStats(to stats: inout LogStats, prefix: String) {
        var descriptors: [EventDescriptor] = []
        for episode in episodes {
            for outputs in episode.eventOutputs where !descriptors.contains(outputs.descriptor) {
                descriptors.append(outputs.descriptor)
            }
        }
        for descriptor in descriptors {
            let perEpisode = episodes.compactMap { $0.eventOutputs.first { $0.descriptor == descriptor }?.outputs }
            for reduction in descriptor.statistics.epoch {
                let inputs = perEpisode.compactMap { outputs in
                    reduction.input.map { outputs[$0] } ?? outputs.values.first
                }
                guard let value = reduction.reducer.reduce(inputs) else { continue }
                stats.append(
                    StatKey(prefix: prefix, topic: descriptor.topic, event: descriptor.name, name: reduction.output),
                    .number(value))
            }
        }
    }

    private func appendKPIStats(to stats: inout LogStats, prefix: String) {
        let names = Set(episodes.flatMap { $0.kpis.keys }).sorted()
        for name in names {
            let values = episodes.compactMap { $0.kpis[name] }
            for reducer in [Reducer.max, .min, .std, .mean] {
                guard let value = reducer.reduce(values) else { continue }
                stats.append(
                    StatKey(prefix: prefix, topic: "BaseEnvEvents", event: "kpi", name: "\(reducer.rawValue)/\(name)"),
                    .number(value))
            }
        }
    }
}
