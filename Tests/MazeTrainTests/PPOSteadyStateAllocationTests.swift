import MazeCore
import MazeEnvs
import MazePerception
import MazeTensor
import MazeTestSupport
import Testing

@testable import MazeTrain

/// A PPO minibatch step allocates nothing once the session's tape has seen the rollout's shapes, a smaller last
/// minibatch included: the minibatch's rows are gathered into the tape's pool, the parameters are bound and their
/// gradients taken without building a dictionary, and a categorical head's log-probabilities are picked by row,
/// without an index tensor or a `DictDistribution` of existentials.
///
/// Counted as the difference between two sessions that differ only in `n_optimization_epochs`, so that what an
/// update allocates once (GAE's advantages and returns, the statistics) cancels out (`ThreadAllocations`, release
/// builds on glibc only).
@Suite struct PPOSteadyStateAllocationTests {
    @Test(.enabled(if: ThreadAllocations.areCounted, "counted in optimized builds on glibc only"))
    func aMinibatchStepAllocatesNothing() throws {
        let (fewer, more) = (2, 5)
        let minibatchesPerEpoch = 3  // 64 rows in minibatches of 24, 24 and 16
        let difference =
            try Self.allocationsOfThirdUpdate(epochs: more) - Self.allocationsOfThirdUpdate(epochs: fewer)
        let perStep = Double(difference) / Double((more - fewer) * minibatchesPerEpoch)
        #expect(perStep == 0, "heap allocations per minibatch step: \(perStep)")
    }

    /// Heap allocations of this thread during the third update of a fresh session on one rollout.
    private static func allocationsOfThirdUpdate(epochs: Int) throws -> Int {
        var settings = PPOSettings()
        settings.batchSize = 24
        settings.nOptimizationEpochs = epochs
        let envs = try (0..<4).map { _ in try Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]) }
        let evaluator = try RolloutEvaluator(envs: [envs[0]], settings: settings.common.rolloutEvaluator, seed: 3)
        let model = try ActorCriticModel(recipe: .flattenConcat(hiddenUnits: [16, 16]), env: envs[0], seed: 3)
        var options = TrainingSession<ActorCriticModel>.Options()
        options.log = { _ in }
        let session = TrainingSession(algorithm: PPO(settings), model: model, evaluator: evaluator, options: options)
        var collector = try VectorRolloutCollector(env: SequentialVectorEnv(envs: envs), stepCount: 16)
        try collector.reset(seed: 3)
        var random = MazeRandom(seed: 3)
        _ = try collector.collect(with: model, random: &random)
        let rollout = collector.buffer
        for _ in 0..<2 { try session.update(rollout) }
        return Int(try ThreadAllocations.count { try session.update(rollout) }.calls)
    }
}
