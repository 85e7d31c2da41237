import Foundation
import Testing

@testable import MazeCore

@Suite struct NormalizationTests {
    @Test func givenStatisticsNormalizeOnBothPathsAndClip() throws {
        func normalizedWalk() throws -> ObservationNormalizationWrapper {
            let env = try ObservationNormalizationWrapper(
                makeWalkEnv(bound: 100),
                configuration: [
                    "default_strategy": "maze.normalization_strategies.RangeZeroOneObservationNormalizationStrategy",
                    "default_strategy_config": ["clip_range": [0, 1], "axis": nil],
                    "default_statistics": ["min": -100, "max": 100],
                    "exclude": ["steps"],
                ])
            env.seed(5)
            return env
        }
        let raw = try makeWalkEnv(bound: 100)
        raw.seed(5)
        let position = try raw.reset().require("position").float(at: 0)
        let observation = try normalizedWalk().reset()
        #expect(try observation.require("position").float(at: 0) == (position + 100) / 200)
        #expect(try observation.require("steps") == .scalar(0))
        var buffer = [Float](repeating: 0, count: 2)
        try buffer.withUnsafeMutableBufferPointer { try normalizedWalk().reset(observationInto: $0) }
        #expect(buffer == [(position + 100) / 200, 0])

        let clipped = try normalizedWalk()
        clipped.statistics?.entries["position"]?.scale = [1]
        #expect(
            try (0..<20).map { _ in try clipped.step(["move": .scalar(2)]).observation.require("position").float(at: 0)
            }
            .allSatisfy { (0...1).contains($0) })
        #expect(clipped.observationSpace["position"] == .box(try BoxSpace(low: 0, high: 1, shape: [1])))
    }

    /// Maze's shipped configs write numpy's `axis: 0`; `[0]` is the same, anything else is a clear error.
    @Test func integerAxisZeroMeansPerElementLikeTheList() throws {
        func config(axis: ConfigNode) throws -> NormalizationConfig {
            try NormalizationConfig(
                strategy: nil, strategyConfig: ["axis": axis], statistics: nil)
        }
        #expect(try config(axis: 0).perElement)
        #expect(try config(axis: [0]).perElement)
        #expect(try config(axis: nil).perElement == false)
        #expect(throws: ConfigError.self) { try config(axis: 2) }
    }

    @Test func estimatedStatisticsMatchTheSampledObservations() throws {
        let env = try ObservationNormalizationWrapper(
            makeWalkEnv(bound: 4), defaultConfig: NormalizationConfig(strategy: .meanZeroStdOne), exclude: ["steps"])
        #expect(env.statistics == nil)
        try env.estimateStatistics(samples: 200, seed: 3)
        let statistics = try #require(env.statistics?.entries["position"])
        #expect(env.statistics?.entries["steps"] == nil)
        // replay the same sampling to compute the expected mean and standard deviation independently
        let replay = try makeWalkEnv(bound: 4)
        let policy = RandomPolicy(actionSpaces: replay.actionSpaces, seed: 3)
        replay.seed(3)
        var observation = try replay.reset()
        var values: [Double] = []
        for _ in 0..<200 {
            values.append(Double(try observation.require("position").float(at: 0)))
            let result = try replay.step(
                policy.computeAction(observation: observation, actorID: .single, deterministic: false, env: nil))
            observation = result.done ? try replay.reset() : result.observation
        }
        let mean = values.reduce(0, +) / 200
        let std = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 200).squareRoot()
        #expect(abs(Double(statistics.shift[0]) - mean) < 1e-5)
        #expect(abs(Double(statistics.scale[0]) - std) < 1e-5)
    }

    @Test func statisticsSurviveASaveLoadRoundTrip() throws {
        let env = try ObservationNormalizationWrapper(
            makeWalkEnv(bound: 4), defaultConfig: NormalizationConfig(strategy: .rangeZeroOne, perElement: true))
        try env.estimateStatistics(samples: 50)
        let saved = try #require(env.statistics)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-core-stats-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try saved.save(to: url)
        let loaded = try NormalizationStatistics.load(from: url)
        #expect(loaded == saved)

        let restored = try ObservationNormalizationWrapper(makeWalkEnv(bound: 4))
        restored.statistics = loaded
        env.seed(9)
        restored.seed(9)
        #expect(try env.reset() == restored.reset())
        #expect(throws: MazeError.self) {
            try NormalizationStatistics.load(from: url.appendingPathExtension("missing"))
        }
        // statistics of the wrong size (saved for another env) fail with a typed error on use
        restored.statistics?.entries["position"]?.shift = [0, 0, 0]
        #expect(throws: MazeError.self) { try restored.reset() }
    }

    @Test func unknownStrategyIsNamedWithASuggestion() {
        #expect(
            throws: MazeError.unknownName(
                kind: "normalization strategy", name: "RangeZeroOneNormalization",
                suggestion: "RangeZeroOneObservationNormalizationStrategy")
        ) {
            try NormalizationStrategy(mazeName: "RangeZeroOneNormalization")
        }
    }
}
