import Foundation
import Testing

@testable import MazeTrain

/// SAC's critic target (continuous and discrete) and temperature loss against
/// `tools/gen_sac_fixtures.py`, a numpy re-derivation of the papers' formulas.
@Suite struct SoftBellmanFixtureTests {
    struct Continuous: Decodable {
        let name: String
        let alpha: Float
        let gamma: Float
        let rewards: [Float]
        let terminated: [Bool]
        let targetQ1: [Float]
        let targetQ2: [Float]
        let nextLogProbs: [Float]
        let targets: [Float]
    }

    struct Discrete: Decodable {
        let name: String
        let alpha: Float
        let gamma: Float
        let actionCount: Int
        let rewards: [Float]
        let terminated: [Bool]
        let targetQ1: [Float]
        let targetQ2: [Float]
        let nextLogProbabilities: [Float]
        let targets: [Float]
    }

    struct Temperature: Decodable {
        let name: String
        let logAlpha: Float
        let continuousDimensions: Int
        let categories: [Int]
        let multiplier: Float
        let logProbs: [Float]
        let targetEntropy: Float
        let loss: Float
        let gradient: Float
    }

    struct File: Decodable {
        let continuous: [Continuous]
        let discrete: [Discrete]
        let temperature: [Temperature]
    }

    static let file = Fixture.load(File.self, named: "sac.json")

    @Test func continuousTargetMatchesNumpy() throws {
        let cases = try #require(Self.file?.continuous)
        try #require(cases.count == 2)
        for fixture in cases {
            #expect(fixture.terminated.contains(true) && fixture.terminated.contains(false))
            let targets = try SoftBellman.criticTarget(
                rewards: fixture.rewards, terminated: fixture.terminated, targetQ1: fixture.targetQ1,
                targetQ2: fixture.targetQ2,
                nextLogProbs: fixture.nextLogProbs, alpha: fixture.alpha, gamma: fixture.gamma)
            #expect(Fixture.maxDifference(targets, fixture.targets) <= 1e-5, "\(fixture.name)")
        }
    }

    @Test func discreteTargetMatchesNumpy() throws {
        let cases = try #require(Self.file?.discrete)
        try #require(cases.count == 2)
        for fixture in cases {
            let targets = try SoftBellman.discreteCriticTarget(
                rewards: fixture.rewards, terminated: fixture.terminated, targetQ1: fixture.targetQ1,
                targetQ2: fixture.targetQ2,
                nextLogProbabilities: fixture.nextLogProbabilities, actionCount: fixture.actionCount,
                alpha: fixture.alpha,
                gamma: fixture.gamma)
            #expect(Fixture.maxDifference(targets, fixture.targets) <= 1e-5, "\(fixture.name)")
        }
    }

    @Test func temperatureLossAndTargetEntropyMatchNumpy() throws {
        let cases = try #require(Self.file?.temperature)
        try #require(cases.count == 3)
        for fixture in cases {
            let targetEntropy = SoftBellman.targetEntropy(
                continuousDimensions: fixture.continuousDimensions, discreteCategories: fixture.categories,
                multiplier: fixture.multiplier)
            #expect(abs(targetEntropy - fixture.targetEntropy) <= 1e-5, "\(fixture.name)")
            let (loss, gradient) = SoftBellman.temperatureLoss(
                logAlpha: fixture.logAlpha, logProbs: fixture.logProbs, targetEntropy: targetEntropy)
            #expect(abs(loss - fixture.loss) <= 1e-4, "\(fixture.name)")
            #expect(abs(gradient - fixture.gradient) <= 1e-4, "\(fixture.name)")
        }
    }

    @Test func mismatchedInputsAreRefused() {
        #expect(throws: TrainError.self) {
            try SoftBellman.criticTarget(
                rewards: [1, 2], terminated: [false], targetQ1: [0, 0], targetQ2: [0, 0], nextLogProbs: [0, 0],
                alpha: 0.2,
                gamma: 0.99)
        }
    }
}
