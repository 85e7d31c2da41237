import MazeConfigTree
import MazeCore
import MazePerception
import Testing

@testable import MazeTrain

/// rl-zoo's `lin_<value>` form of PPO's `lr` and `clip_range`: read, refused where it cannot be honoured, and
/// applied by the update.
@Suite struct LinearAnnealingTests {
    @Test func ppoReadsLinearLearningRateAndClipRange() throws {
        let config = try ComposedTrainingConfigTests.compose([
            "runner=dev", "algorithm=ppo", "algorithm.lr=lin_0.001", "algorithm.clip_range=lin_0.2",
            "algorithm.n_epochs=10", "algorithm.epoch_length=5",
        ])
        let ppo = try #require(try AlgorithmFactory.make(config) as? PPO)
        #expect(ppo.common.lr == 0.001)
        #expect(ppo.settings.clipRange == 0.2)
        #expect(ppo.common.lrAnnealing == LinearAnnealing(updates: 50))
        #expect(ppo.settings.clipRangeAnnealing == LinearAnnealing(updates: 50))
        let constantConfig = try ComposedTrainingConfigTests.compose(["algorithm=ppo"])
        let constant = try #require(try AlgorithmFactory.make(constantConfig) as? PPO)
        #expect(constant.common.lrAnnealing == nil && constant.settings.clipRangeAnnealing == nil)
    }

    @Test(arguments: [
        (["algorithm=ppo", "algorithm.lr=lin_0.001", "algorithm.n_epochs=0"], "algorithm.lr"),
        (["algorithm=ppo", "algorithm.clip_range=lin_0.2", "algorithm.n_epochs=0"], "algorithm.clip_range"),
        (["algorithm=a2c", "algorithm.lr=lin_0.001", "algorithm.n_epochs=5"], "PPO only"),
        (["algorithm=ppo", "algorithm.lr=lin_fast", "algorithm.n_epochs=5"], "lin_<number>"),
        (["algorithm=ppo", "algorithm.lr=lin_2", "algorithm.n_epochs=5"], "algorithm.lr"),
    ])
    func refusesWhatItCannotHonour(overrides: [String], naming: String) throws {
        let config = try ComposedTrainingConfigTests.compose(overrides)
        let error = #expect(throws: (any Error).self) { try AlgorithmFactory.make(config) }
        #expect("\(error.map { String(describing: $0) } ?? "")".contains(naming))
    }

    @Test func remainingFallsLinearlyToZero() {
        let annealing = LinearAnnealing(updates: 4)
        #expect((0...5).map(annealing.remaining(atUpdate:)) == [1, 0.75, 0.5, 0.25, 0, 0])
    }

    /// Each update sets the learning rate of its index: 2 passes over 2 minibatches make 4 gradient steps an
    /// update, so after one update of 4 the second runs at 3/4 of the configured rate.
    @Test func ppoUpdateAnnealsTheOptimizersLearningRate() throws {
        let (initialModel, rollout) = try InPlaceUpdateTests.cartPoleModelAndRollout(hiddenUnits: [8])
        var model = initialModel
        var settings = PPOSettings()
        settings.batchSize = 16
        settings.nOptimizationEpochs = 2
        settings.common.lr = 0.01
        settings.common.lrAnnealing = LinearAnnealing(updates: 4)
        let ppo = PPO(settings)
        var optimizer = ppo.makeOptimizer()
        var random = MazeRandom(seed: 2)
        var statistics = LearnerStatistics()
        var rates: [Float] = []
        for _ in 0..<2 {
            try ppo.update(
                rollout, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true,
                statistics: &statistics)
            rates.append(optimizer.learningRate.rate(atStep: optimizer.state.step))
        }
        #expect(optimizer.state.step == 8)
        #expect(rates.count == 2 && rates[0] == 0.01 && abs(rates[1] - 0.0075) < 1e-8)
    }
}
