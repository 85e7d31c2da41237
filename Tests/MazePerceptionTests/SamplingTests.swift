import Foundation
import MazeCore
import MazeTensor
import Testing

@testable import MazePerception

/// Samples from a seeded generator are reproducible and follow the distributions.
@Suite struct SamplingTests {
    static let draws = 4_000

    /// Mean of `draws` samples of element `column` of the first row.
    static func sampleMean(_ distribution: any ActionDistribution, column: Int = 0, seed: UInt64 = 7) throws -> Double {
        var random = MazeRandom(seed: seed)
        var total = 0.0
        for _ in 0..<draws { total += Double(try distribution.sample(using: &random).scalars[column]) }
        return total / Double(draws)
    }

    @Test func sameSeedSameSamples() throws {
        let fixtures = try DistributionFixture.load()
        for fixture in fixtures {
            let (distribution, _) = try fixture.distribution(on: Tape())
            var first = MazeRandom(seed: 42)
            var second = MazeRandom(seed: 42)
            #expect(try distribution.sample(using: &first) == distribution.sample(using: &second), "\(fixture.name)")
        }
    }

    @Test func betaSamplesHaveTheBetaMean() throws {
        let tape = Tape()
        // α = 1 + softplus(1) ≈ 2.313, β = 1 + softplus(-0.5) ≈ 1.474 on [0, 3].
        let distribution = try BetaDistribution(
            parameters: tape.constant(Tensor(shape: [1, 2], scalars: [1, -0.5])), bounds: BoxBounds(low: [0], high: [3])
        )
        let alpha = 1 + log1p(exp(1.0))
        let beta = 1 + log1p(exp(-0.5))
        #expect(abs(try Self.sampleMean(distribution) - 3 * alpha / (alpha + beta)) < 0.05)
        #expect(abs(Double(try distribution.mode().scalars[0]) - 3 * (alpha - 1) / (alpha + beta - 2)) < 1e-5)
    }

    @Test func gaussianSamplesHaveTheGaussianMoments() throws {
        let tape = Tape()
        let distribution = try DiagonalGaussianDistribution(
            parameters: tape.constant(Tensor(shape: [1, 2], scalars: [1.5, log(0.5)])), count: 1)
        var random = MazeRandom(seed: 3)
        let samples = try (0..<Self.draws).map { _ in Double(try distribution.sample(using: &random).scalars[0]) }
        let mean = samples.reduce(0, +) / Double(Self.draws)
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(Self.draws)
        #expect(abs(mean - 1.5) < 0.03)
        #expect(abs(variance.squareRoot() - 0.5) < 0.03)
    }

    @Test func bernoulliSamplesHaveTheLogisticFrequency() throws {
        let tape = Tape()
        let distribution = try BernoulliDistribution(logits: tape.constant(Tensor(shape: [1, 2], scalars: [1, -2])))
        #expect(abs(try Self.sampleMean(distribution, column: 0) - 1 / (1 + exp(-1))) < 0.03)
        #expect(abs(try Self.sampleMean(distribution, column: 1) - 1 / (1 + exp(2))) < 0.03)
        #expect(try distribution.mode().scalars == [1, 0])
    }

    @Test func dictDistributionLaysOutKeysInSpaceOrder() throws {
        let tape = Tape()
        let move = try CategoricalDistribution(
            logits: tape.constant(Tensor(shape: [2, 3], scalars: [0, 5, 0, 5, 0, 0])))
        let use = try BernoulliDistribution(logits: tape.constant(Tensor(shape: [2, 2], scalars: [4, -4, -4, 4])))
        let distribution = try DictDistribution([("move", move), ("use", use)])
        #expect(distribution.actionWidth == 3)
        #expect(distribution.columns(of: "use") == 1..<3)
        #expect(try distribution.mode().scalars == [1, 1, 0, 0, 0, 1])
        let actions = try Tensor(shape: [2, 3], scalars: [1, 1, 0, 0, 0, 1])
        let total = try distribution.logProb(actions).value.scalars
        let parts = try zip(
            move.logProb(Tensor(shape: [2, 1], scalars: [1, 0])).value.scalars,
            use.logProb(Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])).value.scalars
        ).map { $0 + $1 }
        #expect(total == parts)
        #expect(throws: PerceptionError.self) {
            try distribution.logProb(Tensor(shape: [2, 2], scalars: [0, 0, 0, 0]))
        }
    }
}
