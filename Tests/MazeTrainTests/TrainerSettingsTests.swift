import Foundation
import MazeConfig
import MazeTestSupport
import Testing

@testable import MazeTrain

/// The algorithm settings read Maze's keys, their defaults equal the shipped YAML files, and bad values
/// fail with the full key in the message.
@Suite struct TrainerSettingsTests {
    static func shipped(_ name: String) throws -> ConfigSection {
        let url = PythonInterop.repositoryRoot.appendingPathComponent("conf/algorithm/\(name).yaml")
        return ConfigSection(root: try ConfigNode(yaml: String(contentsOf: url, encoding: .utf8)))
    }

    @Test func shippedYAMLEqualsBuiltInDefaults() throws {
        #expect(try A2CSettings(Self.shipped("a2c")) == A2CSettings())
        #expect(try PPOSettings(Self.shipped("ppo")) == PPOSettings())
        #expect(try IMPALASettings(Self.shipped("impala")) == IMPALASettings())
    }

    @Test func defaultsAreMazes() {
        let ppo = PPOSettings()
        #expect(ppo.common.lr == 2.5e-4 && ppo.batchSize == 100 && ppo.nOptimizationEpochs == 4 && ppo.clipRange == 0.2)
        let impala = IMPALASettings()
        #expect(
            impala.common.entropyCoef == 0.01 && impala.common.lr == 5e-4
                && impala.vtraceThresholds == VTrace.Thresholds())
        #expect(A2CSettings().common.rolloutEvaluator == EvaluatorSettings(deterministic: true, nEpisodes: 8))
    }

    @Test func devicesOtherThanTheCPUAreRefusedByKey() throws {
        func ppo(device: String) throws -> PPOSettings {
            try PPOSettings(
                ConfigSection(root: ConfigNode(yaml: "algorithm:\n  device: \(device)\n")).section("algorithm"))
        }
        #expect(try ppo(device: "cpu") == PPOSettings())
        for device in ["cuda", "banana"] {
            #expect(throws: TrainError.self) { try ppo(device: device) }
            do { _ = try ppo(device: device) } catch {
                #expect("\(error)".contains("algorithm.device") && "\(error)".contains("supported: cpu"))
            }
        }
    }

    @Test func overridesAndDisabledThresholdsAreRead() throws {
        let section = try ConfigSection(
            root: ConfigNode(
                yaml: """
                    algorithm:
                      lr: 0.001
                      vtrace_clip_rho_threshold: ~
                      rollout_evaluator: {deterministic: false, n_episodes: 3}
                    """)
        ).section("algorithm")
        let settings = try IMPALASettings(section)
        #expect(settings.common.lr == 0.001)
        #expect(settings.vtraceClipRhoThreshold == nil && settings.vtraceClipPgRhoThreshold == 1)
        #expect(settings.common.rolloutEvaluator == EvaluatorSettings(deterministic: false, nEpisodes: 3))
    }

    @Test func badValuesNameTheKey() throws {
        let section = try ConfigSection(root: ConfigNode(yaml: "algorithm: {clip_range: 3}")).section("algorithm")
        #expect(
            throws: ConfigError.invalidValue(path: "algorithm.clip_range", problem: "must lie in 0.0...1.0, got 3.0")
        ) {
            try PPOSettings(section)
        }
        let typed = try ConfigSection(root: ConfigNode(yaml: "algorithm: {batch_size: many}")).section("algorithm")
        #expect(throws: ConfigError.typeMismatch(path: "algorithm.batch_size", expected: "an integer", got: "\"many\""))
        {
            try PPOSettings(typed)
        }
    }
}

/// The algorithm and runner settings come out of a training config composed from the shipped `conf/`.
@Suite struct ComposedTrainingConfigTests {
    static func compose(_ overrides: [String]) throws -> ComposedConfig {
        let conf = PythonInterop.repositoryRoot.appendingPathComponent("conf")
        return try ConfigComposer(searchPath: ConfigSearchPath(shippedDirectory: conf)).compose(
            rootConfig: "conf_train", overrides: overrides)
    }

    @Test func composedAlgorithmsAndDevRunner() throws {
        let ppoConfig = try Self.compose(["runner=dev", "algorithm=ppo"])
        let ppo = try #require(try AlgorithmFactory.make(ppoConfig) as? PPO)
        #expect(ppo.settings == PPOSettings())
        #expect(
            try DevRunnerSettings(ppoConfig.root.section("runner"))
                == DevRunnerSettings(concurrency: 2, normalizationSamples: 1000))
        let impalaRunner = try DevRunnerSettings(
            Self.compose(["runner=dev", "algorithm=impala"]).root.section("runner"))
        #expect(impalaRunner.evaluationEnvCount == 1)  // impala-dev.yaml's eval_concurrency
        let side = try DevRunnerSettings(
            Self.compose(["runner=dev", "runner.eval_concurrency=3"]).root.section("runner"))
        #expect(side.evaluationEnvCount == 3)
        #expect(DevRunnerSettings().evaluationEnvCount == ProcessInfo.processInfo.activeProcessorCount)
        #expect(throws: (any Error).self) {
            try DevRunnerSettings(Self.compose(["runner=dev", "runner.eval_concurrency=-1"]).root.section("runner"))
        }
        let impala = try AlgorithmFactory.make(Self.compose(["runner=dev", "algorithm=impala", "algorithm.lr=0.001"]))
        #expect(impala.common.lr == 0.001)
        #expect(throws: TrainError.self) {
            try AlgorithmFactory.make("sacc", section: ppoConfig.root.section("algorithm"))
        }
    }
}
