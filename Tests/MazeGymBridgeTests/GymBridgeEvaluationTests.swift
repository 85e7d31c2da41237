import MazeCore
import MazeGymBridge
import MazePerception
import MazeTrain
import Testing

/// Evaluation episodes of a bridged env played side by side (`runner.eval_concurrency`), stepped with one message
/// per server, score a model as one env playing them in turn does: the seeds reach Gymnasium the same way.
@Suite(.serialized) struct GymBridgeEvaluationTests {
    @Test func bridgedEpisodesSideBySideScoreAsInTurn() throws {
        let settings = EvaluatorSettings(deterministic: true, nEpisodes: 6)
        let inTurnHost = try BridgeTestSupport.host(id: "CartPole-v1")
        let inTurn = try RolloutEvaluator.forTraining(
            makeEnv: inTurnHost.makeEnv, settings: settings, trainingSeed: 3, envCount: 1, warn: { _ in })
        let model = try ActorCriticModel(recipe: .flattenConcat(hiddenUnits: [8]), env: inTurn.envs[0], seed: 4)
        let reference = try inTurn.evaluate(model).meanReturn

        let sideBySideHost = try BridgeTestSupport.host(id: "CartPole-v1", servers: 2)
        let sideBySide = try RolloutEvaluator.forTraining(
            makeEnv: sideBySideHost.makeEnv, settings: settings, trainingSeed: 3, envCount: 4, warn: { _ in })
        #expect(sideBySide.envs.count == 4)
        #expect(try sideBySide.evaluate(model).meanReturn == reference)
        #expect(reference > 0)
    }
}
