import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import Testing

@testable import MazeTrain

/// SAC learns continuous control (release, `MAZE_LEARNING_TESTS=1`).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct SACLearningTests {
    /// Pendulum-v1: Maze's `sac.yaml` but 1,000 random initial steps (instead of 10,000), batches of 256,
    /// [64, 64] ReLU critics and policy, an evaluation every 1,000 updates; the bar is a mean
    /// deterministic return ≥ −200 within 20,000 env steps.
    @Test func sacLearningPendulum() throws {
        var settings = SACSettings()
        settings.initialBufferSize = 1000
        settings.batchSize = 256
        settings.common.epochLength = 1000
        settings.common.patience = 0
        var recipe = ModelRecipe.flattenConcat(hiddenUnits: [64, 64], nonLinearity: .relu)
        recipe.criticKind = .stateAction
        var options = DevRunner<SoftActorCriticModel>.Options()
        options.seed = 1
        options.targetReturn = -200
        options.maxEnvSteps = 20_000
        options.log = { print("[learning] \($0)") }
        let registries = Registries.withMazeEnvs
        let runner = try DevRunner.make(
            makeEnv: { try registries.makeEnv("Pendulum-v1") }, settings: settings, recipe: recipe, options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try runner.train()
        print(
            "[learning] Pendulum-v1 SAC: best \(summary.bestReturn ?? .nan) after \(summary.envSteps) env steps, target reached at "
                + "\(summary.envStepsToTarget.map(String.init) ?? "never"), \(clock.now - start)")
        #expect(summary.envStepsToTarget.map { $0 <= 20_000 } == true)
    }
}
