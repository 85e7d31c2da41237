import Foundation
import MazeCore
import MazeTensor
import Testing

@testable import MazeTrain

/// ES's noise-table sampling, centered-rank fitness shaping, gradient estimate and Adam step against the numpy
/// re-derivation in tools/gen_es_fixtures.py (Fixtures/es.json).
@Suite struct EvolutionStrategiesFixtureTests {
    struct File: Decodable {
        struct Update: Decodable {
            let theta: [Float]
            let noiseIndices: [Int]
            let positiveReturns: [Double]
            let negativeReturns: [Double]
            let perturbedPositive: [[Float]]
            let perturbedNegative: [[Float]]
            let centeredRanks: [Float]
            let gradient: [Float]
            let direction: [Float]
            let updatedTheta: [Float]
        }
        let noiseTable: [Float]
        let noiseStddev: Float
        let l2Penalty: Float
        let stepSize: Float
        let updates: [Update]
    }

    /// A policy of one parameter vector and a critic parameter ES must leave alone.
    struct VectorPolicy: ActorCritic {
        var parameters: ParameterStore
        func isCriticParameter(_ name: String) -> Bool { name.hasPrefix("critic") }
        func evaluateDecisions(observations: Tensor, actions: Tensor, parameters: BoundParameters) throws
            -> ActionEvaluation
        { throw TrainError.unsupported("not an acting model") }
        func act(subStep: Int, observations: Tensor, deterministic: Bool, random: inout MazeRandom) throws
            -> (actions: [Float], logProbs: [Float])
        { throw TrainError.unsupported("not an acting model") }
        func stateValues(observations: Tensor, tape: Tape) throws -> [Float] { [] }
    }

    static let file = Fixture.load(File.self, named: "es.json")

    static func algorithm(_ file: File) -> EvolutionStrategies {
        var settings = ESSettings()
        settings.noiseStddev = file.noiseStddev
        settings.l2Penalty = file.l2Penalty
        settings.stepSize = file.stepSize
        return EvolutionStrategies(settings, noise: SharedNoiseTable(values: file.noiseTable))
    }

    static func results(_ update: File.Update) -> [EvolutionStrategies.PairResult] {
        zip(update.noiseIndices, zip(update.positiveReturns, update.negativeReturns)).map {
            .init(noiseIndex: $0, positive: $1.0, negative: $1.1)
        }
    }

    @Test func perturbationsShapingAndGradientMatchNumpy() throws {
        let file = try #require(Self.file)
        let es = Self.algorithm(file)
        for update in file.updates {
            let returns = zip(update.positiveReturns, update.negativeReturns).flatMap { [$0, $1] }
            #expect(Set(returns).count < returns.count, "the fixture has ties")
            for (pair, index) in update.noiseIndices.enumerated() {
                let positive = es.perturbed(update.theta, noiseIndex: index, sign: 1)
                let negative = es.perturbed(update.theta, noiseIndex: index, sign: -1)
                #expect(Fixture.maxDifference(positive, update.perturbedPositive[pair]) <= 1e-6)
                #expect(Fixture.maxDifference(negative, update.perturbedNegative[pair]) <= 1e-6)
            }
            #expect(Fixture.maxDifference(EvolutionStrategies.centeredRanks(returns), update.centeredRanks) <= 1e-6)
            let gradient = es.gradientEstimate(Self.results(update), dimension: update.theta.count)
            #expect(Fixture.maxDifference(gradient, update.gradient) <= 1e-6)
            let direction = es.descentDirection(gradient: update.gradient, theta: update.theta)
            #expect(Fixture.maxDifference(direction, update.direction) <= 1e-6)
        }
    }

    @Test func successiveUpdatesMatchNumpysAdamAndLeaveTheCriticAlone() throws {
        let file = try #require(Self.file)
        let es = Self.algorithm(file)
        let first = try #require(file.updates.first)
        let critic = Tensor([1, 2, 3])
        var model = VectorPolicy(parameters: ParameterStore(["policy.theta": Tensor(first.theta), "critic.w": critic]))
        var optimizer = es.makeOptimizer()
        var statistics = LearnerStatistics()
        for update in file.updates {
            #expect(
                Fixture.maxDifference(try model.parameters.tensor(named: "policy.theta").scalars, update.theta) <= 1e-5)
            try es.update(&model, optimizer: &optimizer, results: Self.results(update), statistics: &statistics)
            let theta = try model.parameters.tensor(named: "policy.theta").scalars
            #expect(Fixture.maxDifference(theta, update.updatedTheta) <= 1e-5)
        }
        #expect(model.parameters["critic.w"] == critic)
        #expect(optimizer.state.step == file.updates.count)
    }

    @Test func noiseIndicesLeaveRoomForTheWholePerturbation() throws {
        let table = SharedNoiseTable(count: 50, seed: 1)
        var random = MazeRandom(seed: 2)
        let indices = try (0..<2_000).map { _ in try table.sampleIndex(dimension: 8, random: &random) }
        #expect(indices.allSatisfy { (0...42).contains($0) })
        #expect(Set(indices) == Set(0...42))
        #expect(try table.sampleIndex(dimension: 50, random: &random) == 0)
        #expect(throws: TrainError.self) { try table.sampleIndex(dimension: 51, random: &random) }
        #expect(SharedNoiseTable(count: 50, seed: 1).values == table.values)
        #expect(SharedNoiseTable(count: 50, seed: 9).values != table.values)
    }

    @Test func centeredRanksSpanMinusHalfToHalf() {
        #expect(EvolutionStrategies.centeredRanks([3, 1, 2]) == [0.5, -0.5, 0])
        #expect(EvolutionStrategies.centeredRanks([5]) == [0])
        #expect(EvolutionStrategies.centeredRanks([1, 1]) == [-0.5, 0.5])
    }
}
