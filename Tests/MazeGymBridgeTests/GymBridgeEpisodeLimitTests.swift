import MazeCore
import MazeGymBridge
import MazeTrain
import Testing

/// Gymnasium's own time limit reaches swift-maze, so evaluations and rollouts of a bridged env are not bounded a
/// second time (at 200 steps, where an env has no limit at all): a bridged CartPole-v1 evaluates up to 500.
@Suite(.serialized) struct GymBridgeEpisodeLimitTests {
    @Test func gymnasiumsTimeLimitIsTheEnvsEpisodeStepLimit() throws {
        let env = try BridgeTestSupport.host(id: "CartPole-v1").makeEnv()
        #expect(env.episodeStepLimit == 500)
        #expect(env.hasEpisodeStepLimit)
        var warnings: [String] = []
        let evaluated = try RolloutEvaluator.boundingEpisodes(of: env, warn: { warnings.append($0) })
        #expect(warnings.isEmpty)
        #expect(evaluated.findWrapper(TimeLimitWrapper.self) == nil)
    }
}
