import Testing

@testable import MazeCore

@Suite struct RewardWrapperTests {
    private let right: Action = ["move": .scalar(2)]

    @Test func scalingAndClippingApplyInStackingOrder() throws {
        // clip(scale(env)): 1 * 10 clipped to 1; scale(clip(env)): min(1, 1) * 10
        let clippedAfterScaling = try RewardClippingWrapper(
            RewardScalingWrapper(makeWalkEnv(bound: 100), scale: 10), min: -1, max: 1)
        let scaledAfterClipping = RewardScalingWrapper(
            try RewardClippingWrapper(makeWalkEnv(bound: 100), min: -1, max: 1), scale: 10)
        _ = try clippedAfterScaling.reset()
        _ = try scaledAfterClipping.reset()
        #expect(try clippedAfterScaling.step(right).reward == 1)
        #expect(try scaledAfterClipping.step(right).reward == 10)
    }

    @Test func configuredStackIsBuiltInnermostFirst() throws {
        let env = try Registries.builtIn.wrap(
            makeWalkEnv(bound: 100),
            with: [("RewardScalingWrapper", ["scale": 10]), ("RewardClippingWrapper", ["min_val": -2, "max_val": 2])])
        #expect(env is RewardClippingWrapper)
        #expect(env.findWrapper(RewardScalingWrapper.self)?.scale == 10)
        _ = try env.reset()
        #expect(try env.step(right).reward == 2)
        var buffer = [Float](repeating: 0, count: 2)
        let outcome = try buffer.withUnsafeMutableBufferPointer { try env.step(right, observationInto: $0) }
        #expect(outcome.reward == 2)
    }

    @Test func returnNormalizationDividesByTheReturnsStandardDeviation() throws {
        let env = try ReturnNormalizationRewardWrapper(makeWalkEnv(bound: 100), discountFactor: 0.5, epsilon: 1e-8)
        _ = try env.reset()
        var returns: [Double] = []
        var discounted = 0.0
        for _ in 0..<4 {
            discounted = discounted * 0.5 + 1
            returns.append(discounted)
            let mean = returns.reduce(0, +) / Double(returns.count)
            let variance = returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count)
            let reward = try env.step(right).reward
            #expect(abs(reward - 1 / (variance + 1e-8).squareRoot()) < 1e-6 * max(1, reward))
        }
    }

    @Test func invalidReturnNormalizationConfigIsRejected() throws {
        #expect(throws: MazeError.self) { try ReturnNormalizationRewardWrapper(makeWalkEnv(), discountFactor: 1.5) }
        #expect(throws: MazeError.self) { try RewardClippingWrapper(makeWalkEnv(), min: 1, max: -1) }
    }
}
