import MazeConfig
import Testing

@testable import MazeTrain

/// `algorithm: es` reads Maze's `es.yaml` keys and refuses what it would not honour, by key.
@Suite struct ESSettingsTests {
    static func settings(_ algorithm: ConfigNode, runner: ConfigNode = [:]) throws -> ESSettings {
        let root = ConfigSection(root: ["algorithm": algorithm, "runner": runner])
        return try ESSettings(algorithm: root.section("algorithm"), runner: root.section("runner"))
    }

    static func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return ""
        } catch { return "\(error)" }
    }

    @Test func absentKeysKeepMazesDefaults() throws {
        #expect(try Self.settings([:]) == ESSettings())
        let defaults = ESSettings()
        #expect(defaults.nRolloutsPerUpdate == 10 && defaults.nTimestepsPerUpdate == 0 && defaults.maxSteps == 0)
        #expect(defaults.stepSize == 0.01 && defaults.l2Penalty == 0.005 && defaults.noiseStddev == 0.02)
        #expect(defaults.nEvalRollouts == 10 && defaults.sharedNoiseTableSize == 100_000_000)
        #expect(defaults.common.epochLength == 1 && defaults.common.rolloutEvaluator.deterministic)
    }

    @Test func keysTakeEffect() throws {
        let settings = try Self.settings(
            [
                "n_rollouts_per_update": 4, "n_timesteps_per_update": 300, "n_epochs": 7, "max_steps": 200,
                "optimizer": ["_target_": "maze.train.trainers.es.optimizers.adam.Adam", "step_size": 0.05],
                "l2_penalty": 0, "noise_stddev": 0.1, "policy_wrapper": .null, "patience": 3,
            ], runner: ["n_eval_rollouts": 3, "shared_noise_table_size": 5000])
        #expect(settings.nRolloutsPerUpdate == 4 && settings.nTimestepsPerUpdate == 300 && settings.maxSteps == 200)
        #expect(settings.stepSize == 0.05 && settings.l2Penalty == 0 && settings.noiseStddev == 0.1)
        #expect(settings.common.nEpochs == 7 && settings.common.patience == 3)
        #expect(settings.common.rolloutEvaluator.nEpisodes == 3 && settings.sharedNoiseTableSize == 5000)
        #expect(
            EvolutionStrategies(settings, noise: SharedNoiseTable(values: [])).makeOptimizer().learningRate
                .rate(atStep: 0) == 0.05)
    }

    @Test func settingsItWouldIgnoreAreRefusedByKey() {
        #expect(Self.message { _ = try Self.settings(["lr": 0.1]) }.contains("algorithm.lr"))
        #expect(Self.message { _ = try Self.settings(["noise_stdev": 0.1]) }.contains("algorithm.noise_stddev"))
        #expect(
            Self.message { _ = try Self.settings(["policy_wrapper": ["_target_": "MyWrapper"]]) }
                .contains("algorithm.policy_wrapper"))
        #expect(
            Self.message { _ = try Self.settings(["optimizer": ["_target_": "SGD", "step_size": 0.1]]) }
                .contains("algorithm.optimizer._target_"))
        #expect(
            Self.message { _ = try Self.settings(["optimizer": ["step_size": 0.1, "momentum": 0.9]]) }
                .contains("algorithm.optimizer.momentum"))
        #expect(
            Self.message { _ = try Self.settings(["n_rollouts_per_update": 0, "n_timesteps_per_update": 0]) }
                .contains("algorithm.n_rollouts_per_update"))
        #expect(
            Self.message { _ = try Self.settings([:], runner: ["shared_noise_table_size": 1_099_511_627_776]) }
                .contains("runner.shared_noise_table_size"))
    }
}
