import MazeCore
import Testing

@Suite struct FlatActionPathTests {
    /// The benchmark's stack over the walk env: TimeLimit → LogStats → ObservationNormalization, with
    /// clipped statistics for `position` and none for `steps`.
    private func stack() throws -> (stats: LogStatsWrapper, outer: ObservationNormalizationWrapper) {
        let stats = LogStatsWrapper(
            try TimeLimitWrapper(makeWalkEnv(bound: 4), maxEpisodeSteps: 5), loggingPrefix: "train")
        let outer = ObservationNormalizationWrapper(stats)
        outer.statistics = NormalizationStatistics(entries: [
            "position": EntryNormalization(strategy: .meanZeroStdOne, shift: [1], scale: [2], clipLow: -1, clipHigh: 1)
        ])
        outer.seed(9)
        return (stats, outer)
    }

    private func move(at step: Int) -> Int { [2, 2, 0, 1, 2, 0, 0][step % 7] }

    /// Flat rows through every wrapper give the observations, outcomes and statistics of the dictionary path.
    @Test func flatRowsMatchTheDictionaryPathThroughTheWrappers() throws {
        let (dictionaryStats, dictionaryEnv) = try stack()
        var expectedRows: [[Float]] = []
        var expectedOutcomes: [StepOutcome] = []
        var observation = try dictionaryEnv.reset()
        for step in 0..<40 {
            let result = try dictionaryEnv.step(["move": .scalar(move(at: step))])
            expectedRows.append(try dictionaryEnv.observationSpace.flatten(result.observation))
            expectedOutcomes.append(result.outcome)
            observation = result.done ? try dictionaryEnv.reset() : result.observation
        }
        #expect(observation.count == 2)

        let (flatStats, flatEnv) = try stack()
        var row = [Float](repeating: 0, count: 2)
        try row.withUnsafeMutableBufferPointer { try flatEnv.reset(observationInto: $0) }
        for step in 0..<40 {
            let action = [Float(move(at: step))]
            let outcome = try row.withUnsafeMutableBufferPointer { buffer in
                try action.withUnsafeBufferPointer { try flatEnv.step(flatAction: $0, observationInto: buffer) }
            }
            #expect(row == expectedRows[step])
            #expect(outcome == expectedOutcomes[step])
            if outcome.done { try row.withUnsafeMutableBufferPointer { try flatEnv.reset(observationInto: $0) } }
        }
        #expect(expectedRows.flatMap { $0 }.contains(1), "the clip range is reached")
        let statistics = flatStats.reduceEpoch()
        #expect(statistics == dictionaryStats.reduceEpoch())
        #expect(statistics.value(topic: "WalkEvents", event: "moved", name: "step_max") != nil)
    }

    /// Rows of the wrong width, or integer entries that do not convert, are typed errors, not traps.
    @Test func malformedFlatRowsAreRejected() throws {
        let env = try TimeLimitWrapper(makeWalkEnv(), maxEpisodeSteps: 3)
        var row = [Float](repeating: 0, count: 2)
        try row.withUnsafeMutableBufferPointer { try env.reset(observationInto: $0) }
        for action: [Float] in [[1, 1], [.nan], [.infinity], [1e30]] {
            #expect(throws: MazeError.self) {
                try row.withUnsafeMutableBufferPointer { buffer in
                    try action.withUnsafeBufferPointer { try env.step(flatAction: $0, observationInto: buffer) }
                }
            }
        }
        let valid: [Float] = [2]
        let outcome = try row.withUnsafeMutableBufferPointer { buffer in
            try valid.withUnsafeBufferPointer { try env.step(flatAction: $0, observationInto: buffer) }
        }
        #expect(outcome.reward == 1)
    }
}
