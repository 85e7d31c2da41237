import Foundation
import MazePerception
import MazeTestSupport
import MazeTrain
import Testing

@testable import MazeRun

/// Pixels are learned: the shipped `+experiment=minatar_breakout_ppo` (MinAtar Breakout through the Gymnasium
/// bridge, its 10 × 10 grid channels first, PPO with a `VGGConvolutionDenseBlock` shared by policy and critic)
/// reaches a mean evaluation return of 10 within its 200 epochs (2,048,000 env steps), trained in this process
/// exactly as `maze run … runner=dev` composes it.
/// The servers' Python needs `minatar` (`tools/setup.sh --tests` installs it into `.venv`).
///
///     MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 MAZE_PYTHON=$PWD/.venv/bin/python \
///       swift test -c release --filter MinAtarLearning
///
/// Release, seeds 1, on 2 cores shared with three other workers (load average 6–15, the test at `nice 10`): 12.125 at
/// epoch 47 (481,280 env steps) in 413 s, the same evaluation at the same step as `maze run` (docs/PERCEPTION.md,
/// "Pixels: MinAtar").
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"))
struct MinAtarLearningTests {
    @Test func ppoWithAConvolutionalModelLearnsMinAtarBreakout() throws {
        try PythonInterop.requireModules(["minatar", "maze_gym_bridge"])
        let composed = try RunTestSupport.composer.compose(
            rootConfig: "conf_train",
            overrides: [
                "+experiment=minatar_breakout_ppo", "runner=dev", "seeding.env_base_seed=1",
                "seeding.agent_base_seed=1",
            ])
        let setup = try TrainingSetup(composed)
        var options = DevRunner<ActorCriticModel>.Options()
        options.targetReturn = 10
        options.log = { _ in }
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try setup.makeRunner(options: options).train()
        print(
            "[learning] MinAtar Breakout PPO (VGGConvolutionDenseBlock): best evaluation \(summary.bestReturn ?? .nan) "
                + "after \(summary.envSteps) env steps, target 10 reached at "
                + "\(summary.envStepsToTarget.map(String.init) ?? "never"), \(clock.now - start)")
        #expect(summary.envStepsToTarget != nil)
    }
}
