import Testing

@testable import MazeCore

@Suite struct EpisodeWrapperTests {
    private let stay: Action = ["move": .scalar(1)]

    @Test func timeLimitTruncatesOnBothPaths() throws {
        let env = try TimeLimitWrapper(makeWalkEnv(bound: 100), maxEpisodeSteps: 3)
        _ = try env.reset()
        #expect(try !env.step(stay).done)
        #expect(try !env.step(stay).done)
        let last = try env.step(stay)
        #expect(last.truncated && !last.terminated)
        #expect(last.info["TimeLimit.truncated"] == "true")

        var buffer = [Float](repeating: 0, count: 2)
        try buffer.withUnsafeMutableBufferPointer { try env.reset(observationInto: $0) }
        let outcomes = try (0..<3).map { _ in
            try buffer.withUnsafeMutableBufferPointer { try env.step(stay, observationInto: $0) }
        }
        #expect(outcomes.map(\.truncated) == [false, false, true])
        #expect(throws: MazeError.self) { try TimeLimitWrapper(makeWalkEnv(), maxEpisodeSteps: 0) }
    }

    /// Gymnasium's TimeLimit: the step that reaches the limit is truncated even when it also terminates.
    @Test func timeLimitTruncatesATerminatingLastStepToo() throws {
        let right: Action = ["move": .scalar(2)]
        let probe = try makeWalkEnv(bound: 2)
        probe.seed(5)
        // moving right from `start` terminates at position 2, after exactly `2 - start` steps
        let budget = 2 - Int(try probe.reset().require("position").float(at: 0))
        let env = try TimeLimitWrapper(makeWalkEnv(bound: 2), maxEpisodeSteps: budget)

        env.seed(5)
        _ = try env.reset()
        for _ in 1..<budget { #expect(try !env.step(right).done) }
        let last = try env.step(right)
        #expect(last.terminated && last.truncated)
        #expect(last.info["TimeLimit.truncated"] == "true")

        env.seed(5)
        var buffer = [Float](repeating: 0, count: 2)
        try buffer.withUnsafeMutableBufferPointer { try env.reset(observationInto: $0) }
        let flatRight: [Float] = [2]
        let outcomes = try (0..<budget).map { _ in
            try buffer.withUnsafeMutableBufferPointer { observation in
                try flatRight.withUnsafeBufferPointer { try env.step(flatAction: $0, observationInto: observation) }
            }
        }
        #expect(outcomes.map(\.terminated) == Array(repeating: false, count: budget - 1) + [true])
        #expect(outcomes.map(\.truncated) == Array(repeating: false, count: budget - 1) + [true])
    }

    @Test func randomResetSkipsAReproducibleNumberOfSteps() throws {
        func firstObservation(seed: UInt64) throws -> Observation {
            let env = try RandomResetWrapper(makeWalkEnv(bound: 1000), minSkipSteps: 2, maxSkipSteps: 6)
            env.seed(seed)
            return try env.reset()
        }
        let observation = try firstObservation(seed: 11)
        #expect(observation == (try firstObservation(seed: 11)))
        let skipped = try observation.require("steps").int(at: 0)
        #expect((2...6).contains(skipped))
        #expect(throws: MazeError.self) { try RandomResetWrapper(makeWalkEnv(), minSkipSteps: 3, maxSkipSteps: 1) }
    }

    @Test func observationStackKeepsOldestFirstAndPadsWithZeros() throws {
        let env = try ObservationStackWrapper(
            makeWalkEnv(bound: 100), configs: [.init(observation: "position", stackSteps: 3, keepOriginal: true)])
        #expect(env.observationSpace["position-stacked"]?.shape == [3, 1])
        let start = try env.reset().require("position").float(at: 0)
        #expect(
            try env.step(["move": .scalar(2)]).observation.require("position-stacked").floats == [0, start, start + 1])
        let third = try env.step(["move": .scalar(2)]).observation
        #expect(try third.require("position-stacked").floats == [start, start + 1, start + 2])
        #expect(try third.require("position-stacked").shape == [3, 1])
    }

    @Test func deltaStackStoresDifferencesToTheCurrentValue() throws {
        let env = try ObservationStackWrapper(
            makeWalkEnv(bound: 100), configs: [.init(observation: "position", stackSteps: 2, delta: true)])
        _ = try env.reset()
        #expect(env.observationSpace["position"]?.shape == [2, 1])
        let observation = try env.step(["move": .scalar(2)]).observation
        let stacked = try observation.require("position").floats
        #expect(stacked[0] == -1)
    }

    @Test func sortedSpacesOrderKeysAlphabetically() throws {
        let stacked = try ObservationStackWrapper(
            makeWalkEnv(bound: 100), configs: [.init(observation: "position", stackSteps: 2, keepOriginal: true)])
        #expect(stacked.observationSpace.keys == ["position", "steps", "position-stacked"])
        let sorted = SortedSpacesWrapper(stacked)
        #expect(sorted.observationSpace.keys == ["position", "position-stacked", "steps"])
        #expect(try sorted.reset().keys == ["position", "position-stacked", "steps"])
        var buffer = [Float](repeating: 0, count: sorted.observationSpace.flatCount)
        try buffer.withUnsafeMutableBufferPointer { try sorted.reset(observationInto: $0) }
        #expect(buffer[1] == 0 && buffer[3] == 0)
    }
}
