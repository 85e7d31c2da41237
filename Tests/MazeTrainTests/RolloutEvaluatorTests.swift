import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeTrain

/// Evaluation episodes played side by side (`runner.eval_concurrency`) score a model exactly as one env playing them
/// in turn: the same seeded episodes, the same returns, the same episode statistics.
@Suite struct RolloutEvaluatorTests {
    private static func evaluator(envs count: Int, episodes: Int) throws -> RolloutEvaluator {
        try RolloutEvaluator.forTraining(
            makeEnv: { try Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]) },
            settings: EvaluatorSettings(deterministic: true, nEpisodes: episodes), trainingSeed: 7, envCount: count,
            warn: { _ in })
    }

    @Test func episodesPlayedSideBySideScoreAsPlayedInTurn() throws {
        let inTurn = try Self.evaluator(envs: 1, episodes: 5)
        let model = try ActorCriticModel(recipe: .flattenConcat(hiddenUnits: [8]), env: inTurn.envs[0], seed: 3)
        let reference = try inTurn.evaluate(model)
        #expect(reference.meanReturn > 0)
        for count in [2, 3, 5, 8] {
            let sideBySide = try Self.evaluator(envs: count, episodes: 5)
            #expect(sideBySide.envs.count == min(count, 5))
            let result = try sideBySide.evaluate(model)
            #expect(result.meanReturn == reference.meanReturn, "\(count) envs")
            #expect(result.stats.entries == reference.stats.entries, "\(count) envs")
            // A second evaluation starts from the same episodes again.
            #expect(try sideBySide.evaluate(model).meanReturn == reference.meanReturn)
        }
    }

    @Test func inactiveEnvsAreNeitherSteppedNorReset() throws {
        let envs: [any StructuredEnv] = try (0..<3).map { _ in try Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]) }
        let batch = try StructuredEnvBatch(envs: envs)
        try batch.reset(seed: 1)
        let model = try ActorCriticModel(recipe: .flattenConcat(hiddenUnits: [8]), env: envs[0], seed: 3)
        var random = MazeRandom(seed: 2)
        let before = batch.current
        let decision = try batch.runCycle(
            model: model, deterministic: true, random: &random, active: [true, false, true])
        #expect(batch.current[1] == before[1])
        #expect(batch.current[0] != before[0])
        #expect(decision.rewards == [1, 0, 1])
        #expect(decision.playedSubSteps == [1, 0, 1])
        #expect(throws: TrainError.self) {
            try batch.runCycle(model: model, deterministic: true, random: &random, active: [true])
        }
    }
}
