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
        (
            "tutorial_cutting_2d_struct_masked", "tutorial_cutting_2d", "tutorial_cutting_2d_struct_masked",
            "cutting_2d_struct_masked"
        ),
    ])
    func tutorialTrainingNamesCompose(env: String, wrappers: String, model: String, registered: String) throws {
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train",
            overrides: ["env=\(env)", "wrappers=\(wrappers)", "model=\(model)", "algorithm=ppo", "runner=dev"])
        #expect(try EnvConfiguration(config: composed.root).envName == registered)
        let setup = try TrainingSetup(composed)
        let made = try setup.makeEnv()
        #expect(made.findWrapper(TimeLimitWrapper.self)?.maxEpisodeSteps == 200)
        #expect(setup.recipe.policyTrunks == ModelRecipe.flattenConcat().policyTrunks)
    }

    @Test func theGreedyPolicyRollsOutTheFlatTutorialEnv() throws {
        let console = ConsoleLines()
        let composed = try RunTestSupport.composer.compose(overrides: [
            "env=tutorial_cutting_2d_flat", "policy=tutorial_cutting_2d_greedy_policy", "runner=sequential",
            "runner.n_episodes=1",
            "runner.record_event_logs=false",
        ])
        let result = try RolloutSetup(composed, console: console.output).run()
        #expect(result.episodes.first?.stepCount == RolloutEvaluator.unlimitedEpisodeBound)
        #expect(console.text.contains("the env has no TimeLimitWrapper and runner.max_episode_steps is 0"))
    }

    /// `maze run -cn conf_train env=cutting_2d_flat runner=dev algorithm.n_epochs=1 algorithm.epoch_length=1`
    /// finishes (on a small problem): the env has no time limit, so evaluations stop after the bound.
    @Test func trainingAnEnvWithoutTimeLimitFinishes() throws {
        let outputs = RunTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: outputs) }
        let console = ConsoleLines()
        let overrides = [
            "env=cutting_2d_flat", "runner=dev", "algorithm.n_epochs=1", "algorithm.epoch_length=1",
            "algorithm.n_rollout_steps=8",
            "algorithm.batch_size=8", "algorithm.rollout_evaluator.n_episodes=1", "runner.concurrency=1",
            "env.max_pieces_in_inventory=6", "env.raw_piece_size=[10,10]", "env.static_demand=[3,2]",
            "log_base_dir=\(outputs.path)",
        ]
        let results = try RunLauncher(
            composer: RunTestSupport.composer, rootConfig: "conf_train", overrides: overrides,
            commandLine: ["maze", "run"],
            output: console.output
        ).run()
        let outcome = try TrainingRunTests.training(try #require(results.first))
        #expect(outcome.summary.epochs == 1)
        #expect(console.text.contains("the env has no TimeLimitWrapper"))
        #expect(console.text.contains("Evaluation of the best model"))
    }
}
