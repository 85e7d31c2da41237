import MazeCore
import Testing

@Suite struct StatisticsTests {
    @Test func reducersMatchTheirDefinitions() {
        let values = [4.0, 1, 3, 2]
        #expect(Reducer.mean.reduce(values) == 2.5)
        #expect(Reducer.median.reduce(values) == 2.5)
        #expect(Reducer.median.reduce([3, 1, 2]) == 2)
        #expect(Reducer.std.reduce(values) == (1.25 as Double).squareRoot())
        #expect(Reducer.min.reduce(values) == 1)
        #expect(Reducer.max.reduce(values) == 4)
        #expect(Reducer.count.reduce(values) == 4)
        #expect(Reducer.sum.reduce(values) == 10)
        #expect(Reducer.mean.reduce([]) == nil)
        #expect(Reducer.sum.reduce([]) == 0)
    }

    /// Runs two walk episodes with a fixed action pattern through LogStats.
    private func walkEpochs() throws -> (LogStatsWrapper, [Double], [Int]) {
        let env = LogStatsWrapper(
            try TimeLimitWrapper(makeWalkEnv(bound: 100), maxEpisodeSteps: 4), loggingPrefix: "train")
        var positions: [Double] = []
        var finals: [Int] = []
        for episode in 0..<2 {
            env.seed(UInt64(episode))
            var observation = try env.reset()
            var done = false
            var step = 0
            while !done {
                let move = step % 2 == 0 ? 2 : 1  // right, stay, right, stay
                let result = try env.step(["move": .scalar(move)])
                observation = result.observation
                positions.append(Double(try observation.require("position").float(at: 0)))
                done = result.done
                step += 1
            }
            finals.append(try observation.require("position").int(at: 0))
        }
        return (env, positions, finals)
    }

    @Test func logStatsAggregatesRewardsEventsActionsAndKPIs() throws {
        let (env, positions, finals) = try walkEpochs()
        let stats = env.reduceEpoch()
        func value(_ topic: String, _ event: String, _ name: String) -> StatValue? {
            stats.value(topic: topic, event: event, name: name)
        }
        #expect(value("BaseEnvEvents", "reward", "mean") == .number(2))
        #expect(value("BaseEnvEvents", "reward", "episode_count") == .number(2))
        #expect(value("BaseEnvEvents", "reward", "total_step_count") == .number(8))
        #expect(value("BaseEnvEvents", "reward", "median_step_count") == .number(4))
        #expect(value("DiscreteActionEvents", "action", "substep_0/move") == .list(count: 8, mean: 1.5))
        #expect(value("WalkEvents", "stayed", "mean_episode_total") == .number(2))
        let episodeMaxima = [positions[0..<4].max() ?? 0, positions[4..<8].max() ?? 0]
        #expect(value("WalkEvents", "moved", "step_max") == .number(episodeMaxima.max() ?? 0))
        let expectedMean = (positions[0..<4].reduce(0, +) / 4 + positions[4..<8].reduce(0, +) / 4) / 2
        #expect(value("WalkEvents", "moved", "step_mean") == .number(expectedMean))
        #expect(value("BaseEnvEvents", "kpi", "mean/final_position") == .number(Double(finals[0] + finals[1]) / 2))
        #expect(stats.entries.allSatisfy { $0.key.prefix == "train" })
        // the moves' distribution, for TensorBoard: four 2s and four 1s
        let moves = try #require(stats.histograms.first { $0.key.name == "substep_0/move" }?.values)
        #expect((moves.count, moves.min, moves.max, moves.sum, moves.sumSquares) == (8, 1, 2, 12, 20))
        #expect(moves.encodedBuckets.counts.reduce(0, +) == 8)
        // the next epoch starts empty but keeps counting episodes
        #expect(env.reduceEpoch().entries.isEmpty)
    }

    @Test func tableUsesMazesFixedWidthLayout() {
        var stats = LogStats()
        stats.append(StatKey(prefix: "main", topic: "BaseEnvEvents", event: "reward", name: "mean"), .number(-29))
        stats.append(
            StatKey(prefix: "main", topic: "BaseEnvEvents", event: "kpi", name: "mean/raw_piece_usage_per_step"),
            .number(0))
        stats.append(
            StatKey(prefix: "main", topic: "DiscreteActionEvents", event: "action", name: "substep_0/order"),
            .list(count: 15, mean: 0.5))
        let lines = StatsTable.format(step: 1, stats: stats).split(separator: "\n").map(String.init)
        #expect(
            lines[0] == " step|path" + String(repeating: " ", count: 84) + "|" + String(repeating: " ", count: 15)
                + "value")
        #expect(lines[1] == "=====|" + String(repeating: "=", count: 88) + "|" + String(repeating: "=", count: 20))
        #expect(
            lines[2]
                == "    1|main                  BaseEnvEvents         reward                mean                  |             -29.000"
        )
        #expect(
            lines[3]
                == "    1|main                  BaseEnvEvents         kpi                   mean/raw_piece_usage..|               0.000"
        )
        #expect(
            lines[4]
                == "    1|main                  DiscreteActionEvents  action                substep_0/order       |     [len:15, μ:0.5]"
        )
        #expect(lines.allSatisfy { $0.count == 5 + 1 + 88 + 1 + 20 })
    }

    @Test func mergedEpochsCombineEnvironments() throws {
        let (first, _, _) = try walkEpochs()
        let (second, _, _) = try walkEpochs()
        var merged = first.popEpochStatistics()
        merged.merge(second.popEpochStatistics())
        let stats = merged.reduce()
        #expect(stats.value(topic: "BaseEnvEvents", event: "reward", name: "episode_count") == .number(4))
        #expect(
            stats.value(topic: "DiscreteActionEvents", event: "action", name: "substep_0/move")
                == .list(count: 16, mean: 1.5))
        #expect(stats.histograms.first?.values.count == 16)
    }

    @Test func histogramBucketsAreTensorFlowsDefaults() {
        var histogram = ValueHistogram()
        for value in [-0.5, 0, 1, 1, 3.7, .nan] { histogram.add(value) }
        #expect((histogram.count, histogram.min, histogram.max) == (5, -0.5, 3.7))
        let (limits, counts) = histogram.encodedBuckets
        #expect(counts.reduce(0, +) == 5)
        #expect(limits == limits.sorted())
        // each value lies in its bucket: [previous limit, limit)
        for value in [-0.5, 0, 1, 3.7] {
            let index = ValueHistogram.bucketIndex(of: value)
            #expect(ValueHistogram.bucketLimits[index - 1] <= value && value < ValueHistogram.bucketLimits[index])
        }
        #expect(ValueHistogram.bucketLimits.count == 2 * 775 + 1)
    }
}
