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
        let stepsToTarget = try Self.train("Pendulum-v1", settings: settings, target: -200, maxEnvSteps: 20_000)
        #expect(stepsToTarget.map { $0 <= 20_000 } == true)
    }

    /// MountainCarContinuous-v0, an exploration problem: its only reward besides the force's cost is +100 at the
    /// goal, which uniformly random actions drawn afresh every step almost never reach, so SAC learns to stand
    /// still. Here the 10,000 initial random actions are held for 20 steps each
    /// (`initial_sampling_policy.action_repeat`), which reaches the goal in most of those episodes; otherwise Maze's
    /// `sac.yaml` with batches of 256, [64, 64] ReLU critics and policy and an evaluation every 2,000 updates. The
    /// bar is a mean deterministic return ≥ 90 (Gymnasium's "solved") within 40,000 env steps.
    @Test func sacLearningMountainCarContinuous() throws {
        var settings = SACSettings()
        settings.initialSamplingActionRepeat = 20
        settings.batchSize = 256
        settings.common.epochLength = 2000
        let stepsToTarget = try Self.train(
            "MountainCarContinuous-v0", settings: settings, target: 90, maxEnvSteps: 40_000)
        #expect(stepsToTarget.map { $0 <= 40_000 } == true)
    }

    /// Trains SAC with `settings` (no patience) and [64, 64] ReLU state-action networks on `env`, seed 1, until an
    /// evaluation's mean deterministic return reaches `target` or `maxEnvSteps` are taken; prints the figures and
    /// returns the env steps at which the target was reached.
    static func train(_ env: String, settings: SACSettings, target: Double, maxEnvSteps: Int) throws -> Int? {
        var settings = settings
        settings.common.patience = 0
        var recipe = ModelRecipe.flattenConcat(hiddenUnits: [64, 64], nonLinearity: .relu)
        recipe.criticKind = .stateAction
        var options = DevRunner<SoftActorCriticModel>.Options()
        options.seed = 1
        options.targetReturn = target
        options.maxEnvSteps = maxEnvSteps
        options.log = { print("[learning] \($0)") }
        let registries = Registries.withMazeEnvs
        let runner = try DevRunner.make(
            makeEnv: { try registries.makeEnv(env) }, settings: settings, recipe: recipe, options: options)
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try runner.train()
        print(
            "[learning] \(env) SAC: best \(summary.bestReturn ?? .nan) after \(summary.envSteps) env steps, target "
                + "reached at \(summary.envStepsToTarget.map(String.init) ?? "never"), \(clock.now - start)")
        return summary.envStepsToTarget
    }
}
