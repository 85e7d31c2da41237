import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazePerception
import MazeTrain
import Testing

@testable import MazeRun

/// The config names Maze's docs and cutting tutorial use resolve to the shipped components, and the
/// documented commands run.
@Suite struct TutorialConfigNamesTests {
    @Test(arguments: [
        ("tutorial_cutting_2d_basic", "tutorial_cutting_2d_basic", "tutorial_cutting_2d_basic", "cutting_2d"),
        ("tutorial_cutting_2d_events", "tutorial_cutting_2d_events", "tutorial_cutting_2d_events", "cutting_2d"),
        ("tutorial_cutting_2d_flat", "tutorial_cutting_2d", "tutorial_cutting_2d_flat", "cutting_2d"),
        ("tutorial_cutting_2d_struct", "tutorial_cutting_2d", "tutorial_cutting_2d_struct", "cutting_2d_struct"),
        ("tutorial_cutting_2d_struct_masked", "tutorial_cutting_2d", "tutorial_cutting_2d_struct_masked", "cutting_2d_struct_masked"),
    ])
    func tutorialTrainingNamesCompose(env: String, wrappers: String, model: String, registered: String) throws {
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train", overrides: ["env=\(env)", "wrappers=\(wrappers)", "model=\(model)", "algorithm=ppo", "runner=dev"])
        #expect(try EnvConfiguration(config: composed.root).envName == registered)
        let setup = try TrainingSetup(composed)
        let made = try setup.makeEnv()
        #expect(made.findWrapper(TimeLimitWrapper.self)?.maxEpisodeSteps == 200)
        _ = try ActorCriticModel(recipe: setup.recipe, env: made, seed: 0)
    }

    @Test func theGreedyPolicyRollsOutTheFlatTutorialEnv() throws {
        let console = ConsoleLines()
        let composed = try RunTestSupport.composer.compose(overrides: [
            "env=tutorial_cutting_2d_flat", "policy=tutorial_cutting_2d_greedy_policy", "runner=sequential", "runner.n_episodes=1",
            "runner.record_event_logs=false",
        ])
        let result = try RolloutSetup(composed, console: console.output).run()
        #expect(result.episodes.first?.stepCount == RolloutEvaluator.unlimitedEpisodeBound)
        #expect(console.text.contains("the env has no TimeLimitWrapper and runner.max_episode_steps is 0"))
    }
}
