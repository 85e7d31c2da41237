import Foundation
import MazeCore
import MazePerception
import Synchronization
import Testing

@testable import MazeTrain

/// The dev runner end to end on CartPole with tiny settings: console output, checkpoint of the best
/// model, and resuming a PPO checkpoint into A2C.
@Suite struct DevRunnerTests {
    /// Collects the runner's console lines.
    final class Console: Sendable {
        let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    /// A cutting problem small enough for debug-build trainings.
    static let smallCutting: ConfigSection = [
        "max_pieces_in_inventory": .int(6), "raw_piece_size": .list([.int(10), .int(10)]),
        "static_demand": .list([.int(3), .int(2)]),
    ]

    /// Runner options that log into `console`.
    static func options(loggingTo console: Console) -> DevRunner<ActorCriticModel>.Options {
        var options = DevRunner<ActorCriticModel>.Options()
        options.log = { line in console.lines.withLock { $0.append(line) } }
        return options
    }

    static func tiny<Settings>(_ settings: inout Settings, _ common: WritableKeyPath<Settings, ActorCriticSettings>) {
        settings[keyPath: common].nEpochs = 2
        settings[keyPath: common].epochLength = 2
        settings[keyPath: common].nRolloutSteps = 16
        settings[keyPath: common].rolloutEvaluator.nEpisodes = 2
    }

    static func runner(_ algorithm: any ActorCriticAlgorithm, output: URL, console: Console) throws -> DevRunner<
        ActorCriticModel
    > {
        var options = DevRunner<ActorCriticModel>.Options()
        options.outputDirectory = output
        options.seed = 7
        options.configYAML = "algorithm:\n  n_epochs: 2\n"
        options.log = { line in console.lines.withLock { $0.append(line) } }
        return try DevRunner.make(
            env: "CartPole-v1", algorithm: algorithm, recipe: .flattenConcat(hiddenUnits: [16]), envCount: 2,
            options: options)
    }

    @Test func ppoEpochsPrintTheTableAndCheckpointTheBestModel() throws {
        let output = CheckpointTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        var settings = PPOSettings()
        Self.tiny(&settings, \.common)
        settings.batchSize = 16
        let console = Console()
        let runner = try Self.runner(PPO(settings), output: output, console: console)
        let summary = try runner.train()
        #expect(summary.epochs == 2)
        #expect(summary.envSteps == 2 * 2 * 16 * 2)
        let text = console.text
        #expect(text.contains(StatsTable.header))
        #expect(text.contains("Time required for epoch: "))
        #expect(text.contains("-> new overall best model "))
        for name in [
            "policy_loss", "critic_value_loss", "policy_entropy", "policy_grad_norm", "learning_rate", "time_epoch",
        ] {
            #expect(text.contains(name))
        }
        #expect(text.contains("eval"))
        let saved = try Checkpoint.load(from: output)
        #expect(saved.configYAML == "algorithm:\n  n_epochs: 2\n")
        #expect(saved.optimizer?.step ?? 0 > 0)
        #expect(saved.weights.names == runner.model.parameters.names)
    }

    @Test func ppoCheckpointResumesIntoA2C() throws {
        let output = CheckpointTests.temporaryDirectory()
        let a2cOutput = CheckpointTests.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: a2cOutput)
        }
        var ppoSettings = PPOSettings()
        Self.tiny(&ppoSettings, \.common)
        let ppo = try Self.runner(PPO(ppoSettings), output: output, console: Console())
        _ = try ppo.train()
        let checkpoint = try Checkpoint.load(from: output)

        var a2cSettings = A2CSettings()
        Self.tiny(&a2cSettings, \.common)
        let a2c = try Self.runner(A2C(a2cSettings), output: a2cOutput, console: Console())
        #expect(a2c.model.parameters != checkpoint.weights)
        try a2c.resume(inputDirectory: "")
        #expect(a2c.model.parameters != checkpoint.weights)
        try a2c.resume(inputDirectory: output.path)
        #expect(a2c.model.parameters == checkpoint.weights)
        #expect(a2c.optimizer.state == checkpoint.optimizer)
        let summary = try a2c.train()
        #expect(summary.epochs == 2)
    }

    @Test func structuredCuttingTrainsThroughItsSubStepCycle() throws {
        var settings = PPOSettings()
        Self.tiny(&settings, \.common)
        settings.common.nEpochs = 1
        settings.common.rolloutEvaluator.nEpisodes = 1
        settings.batchSize = 32
        var recipe = ModelRecipe.flattenConcat(hiddenUnits: [8])
        recipe.actionMasks = ["inventory_mask": "piece_idx", "cutting_mask": "cut_rotation"]
        let console = Console()
        let options = Self.options(loggingTo: console)
        let runner = try DevRunner.make(
            makeEnv: {
                try TimeLimitWrapper(
                    Registries.withMazeEnvs.makeEnv("cutting_2d_struct_masked", Self.smallCutting), maxEpisodeSteps: 20)
            },
            algorithm: PPO(settings), recipe: recipe, envCount: 2, options: options)
        let summary = try runner.train()
        // Two sub-steps per decision: 2 updates × 16 decisions × 2 envs × 2 sub-steps.
        #expect(summary.envSteps == 128)
        #expect(console.text.contains("mean/raw_piece_usage.."))
        #expect(
            console.text.contains(
                "eval                  DiscreteActionEvents  action                substep_1/cut_rotation"))
    }

    @Test func evaluationOfAnEnvWithoutTimeLimitIsBoundedWithAWarning() throws {
        var settings = PPOSettings()
        Self.tiny(&settings, \.common)
        settings.common.nEpochs = 1
        settings.common.epochLength = 1
        settings.common.rolloutEvaluator.nEpisodes = 1
        settings.batchSize = 16
        let console = Console()
        let options = Self.options(loggingTo: console)
        let runner = try DevRunner.make(
            env: "cutting_2d", arguments: Self.smallCutting, algorithm: PPO(settings),
            recipe: .flattenConcat(hiddenUnits: [8]), envCount: 1,
            options: options)
        let summary = try runner.train()
        #expect(summary.epochs == 1)
        #expect(console.text.contains("the env has no TimeLimitWrapper"))
        #expect(console.text.contains("stop after \(RolloutEvaluator.unlimitedEpisodeBound) steps"))
    }

    /// Maze's `time_rollout` and `time_update` are the mean time of one rollout and one update, so an
    /// epoch takes at least `epoch_length` times their sum.
    @Test func rolloutAndUpdateTimesAreMeansPerUpdate() throws {
        var settings = A2CSettings()
        Self.tiny(&settings, \.common)
        settings.common.nEpochs = 1
        settings.common.epochLength = 4
        settings.common.rolloutEvaluator.nEpisodes = 1
        let times = Mutex<[String: Double]>([:])
        var options = DevRunner<ActorCriticModel>.Options()
        options.log = { _ in }
        options.onEpoch = { _, stats in
            times.withLock { times in
                for entry in stats.entries where entry.key.event.hasPrefix("time_") {
                    times[entry.key.event] = entry.value.scalar
                }
            }
        }
        let runner = try DevRunner.make(
            env: "CartPole-v1", algorithm: A2C(settings), recipe: .flattenConcat(hiddenUnits: [8]), envCount: 2,
            options: options)
        _ = try runner.train()
        let recorded = times.withLock { $0 }
        let epoch = try #require(recorded["time_epoch"])
        let rollout = try #require(recorded["time_rollout"])
        let update = try #require(recorded["time_update"])
        #expect(rollout > 0 && update > 0)
        #expect(4 * (rollout + update) <= epoch)
    }

    @Test func everyEpochReportsItsStartBeforeItsUpdates() throws {
        var settings = A2CSettings()
        Self.tiny(&settings, \.common)
        let calls = Mutex<[Int]>([])
        var options = DevRunner<ActorCriticModel>.Options()
        options.log = { _ in }
        options.onUpdate = { completed, _ in calls.withLock { $0.append(completed) } }
        let runner = try DevRunner.make(
            env: "CartPole-v1", algorithm: A2C(settings), recipe: .flattenConcat(hiddenUnits: [8]), envCount: 2,
            options: options)
        _ = try runner.train()
        #expect(calls.withLock { $0 } == [0, 1, 2, 0, 1, 2])
    }

    @Test func normalizationStatisticsAreEstimatedSavedAndRestored() throws {
        var settings = A2CSettings()
        Self.tiny(&settings, \.common)
        settings.common.nEpochs = 1
        var options = DevRunner<ActorCriticModel>.Options()
        options.normalizationSamples = 64
        options.log = { _ in }
        func runner() throws -> DevRunner<ActorCriticModel> {
            try DevRunner.make(
                makeEnv: { ObservationNormalizationWrapper(try Registries.withMazeEnvs.makeEnv("CartPole-v1")) },
                algorithm: A2C(settings), recipe: .flattenConcat(hiddenUnits: [8]), envCount: 2, options: options)
        }
        let trained = try runner()
        _ = try trained.train()
        let statistics = try #require(trained.checkpoint().normalization)
        #expect(statistics.entries["observation"] != nil)

        let resumed = try runner()
        #expect(resumed.checkpoint().normalization == nil)
        try resumed.resume(from: trained.checkpoint())
        #expect(resumed.checkpoint().normalization == statistics)
    }
}
