import Testing

@testable import MazeTrain

/// Small hand-checked properties of GAE and V-trace that the fixtures do not spell out.
@Suite struct AdvantageTests {
    @Test func terminationDropsTheBootstrapButTruncationKeepsIt() throws {
        // One env, one step, reward 1, V(x) = 0, next value 10.
        func advantage(terminated: Bool, truncated: Bool) throws -> Float {
            let inputs = try BootstrapInputs(
                stepCount: 1, envCount: 1, rewards: [1], values: [0], nextValues: [10],
                terminated: [terminated], truncated: [truncated])
            return GeneralizedAdvantageEstimation.estimate(inputs, gamma: 0.5, lambda: 1).advantages[0]
        }
        #expect(try advantage(terminated: true, truncated: false) == 1)
        #expect(try advantage(terminated: false, truncated: true) == 6)
    }

    @Test func vtraceOnPolicyWithoutClippingEqualsLambdaOneReturns() throws {
        let inputs = try BootstrapInputs(
            stepCount: 3, envCount: 1, rewards: [1, 2, 3], values: [0.5, 0.25, -1], nextValues: [0.25, -1, 4],
            terminated: [false, false, false], truncated: [false, false, false])
        let (vs, _) = try VTrace.targets(inputs, logRhos: [0, 0, 0], gamma: 0.9)
        let returns = GeneralizedAdvantageEstimation.estimate(inputs, gamma: 0.9, lambda: 1).returns
        #expect(Fixture.maxDifference(vs, returns) < 1e-6)
    }

    @Test func mismatchedLengthsAreRejectedWithTheirName() {
        #expect(throws: TrainError.shapeMismatch("values has 1 elements, [2, 1] needs 2")) {
            try BootstrapInputs(
                stepCount: 2, envCount: 1, rewards: [0, 0], values: [0], nextValues: [0, 0],
                terminated: [false, false], truncated: [false, false])
        }
    }
}
