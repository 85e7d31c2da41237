import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeTrain

/// Evolution Strategies learns CartPole (release, `MAZE_LEARNING_TESTS=1`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct ESLearningTests {
    /// CartPole-v1 with Maze's `es.yaml` and `vector_obs` ([32, 32] tanh) except for a table of 10^6 floats (instead
    /// of 10^8, which takes 400 MB and seconds to generate); the bar is a mean deterministic evaluation of 500 (the
    /// maximum) over `n_eval_rollouts` = 10 episodes. Measured: 500 after 14 epochs, 13,744 env steps, 1.1 s (2 cores
    /// under a load of ~15).
    @Test func esLearningCartPole() throws {
        var settings = ESSettings()
        settings.sharedNoiseTableSize = 1_000_000
        var options = ESRunner.Options()
        options.seed = 1
        options.targetReturn = 500
        options.maxEnvSteps = 1_000_000
        options.log = { print("[learning] \($0)") }
        let registries = Registries.withMazeEnvs
        let clock = ContinuousClock()
        let start = clock.now
        let runner = try ESRunner(
            makeEnv: { try registries.makeEnv("CartPole-v1") }, settings: settings,
            recipe: .flattenConcat(hiddenUnits: [32, 32], nonLinearity: .tanh), options: options)
        let summary = try runner.train()
        print(
            "[learning] CartPole-v1 ES: best \(summary.bestReturn ?? .nan) after \(summary.epochs) epochs, "
                + "\(summary.envSteps) env steps, target reached at "
                + "\(summary.envStepsToTarget.map(String.init) ?? "never"), \(clock.now - start)")
        #expect(summary.envStepsToTarget != nil)
        #expect((summary.bestReturn ?? 0) >= 500)
    }
}
