import Foundation
import MazeConfig
import MazeCore
import MazePerception
import MazeTestSupport
import MazeTrain
import MazeWire
import Synchronization
import Testing

@testable import MazeDistributed
@testable import MazeService

/// The learner's experiment as a `TrainingSession`: evaluation off the update path, `input_dir`, the statistics
/// table on the learner's console, and the algorithm named by the experiment.
@Suite("Learner training session")
struct LearnerSessionTests {
    private static func compose(_ overrides: [String]) throws -> String {
        try ShippedExperiment.compose(
            ["env=gym_env", "model=vector_obs", "critic=template_state", "algorithm.n_rollout_steps=6"] + overrides
        ).yaml
    }

    private static func batch(_ config: ExperimentConfig, weights: [String: WireTensor]) throws -> TrajectoryBatch {
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 1)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: weights))
        return try policy.collect(RolloutIdentity(experimentID: "e", actorID: "a", policyVersion: 0))
    }

    /// Polls as the learner service does on every turn of its loop, until the learner no longer waits.
    private static func pollUntilDone(_ learner: inout ActorCriticLearner) throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while learner.isWaiting, ContinuousClock.now < deadline {
            try learner.poll()
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(!learner.isWaiting)
    }

    @Test func theLastEpochWaitsForItsEvaluationWithoutBlockingAndACheckpointMeanwhileCountsEvaluatedEpochs() throws {
        let directory = try TemporaryDirectory()
        let yaml = try Self.compose([
            "algorithm=a2c", "algorithm.epoch_length=1", "algorithm.n_epochs=2",
            "algorithm.rollout_evaluator.n_episodes=400",
        ])
        let config = try ExperimentConfig(yaml: yaml, algorithm: "a2c")
        var learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        let batch = try Self.batch(config, weights: learner.weights)
        try learner.update(with: [batch])  // epoch 1 ends: its evaluation runs beside the next update
        #expect(!learner.isWaiting)
        try learner.update(with: [batch])  // epoch 2, the last, ends: it waits for epoch 1's evaluation, then its own
        #expect(learner.isWaiting && !learner.isFinished)
        // A checkpoint taken meanwhile does not wait: it records the epochs whose evaluations were applied.
        let checkpoint = directory.url.appendingPathComponent("last")
        try learner.checkpoint(version: 2, to: checkpoint)
        var restarted = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        #expect(try restarted.resume(from: checkpoint) == 2)
        #expect(restarted.progress.epoch < 2)
        try Self.pollUntilDone(&learner)
        #expect(learner.isFinished && learner.progress.epoch == 2 && learner.progress.bestReturn != nil)
    }

    @Test func updatesContinueWhileAnEvaluationRunsAndItsResultIsThatOfASynchronousEvaluation() throws {
        let yaml = try Self.compose([
            "algorithm=a2c", "algorithm.epoch_length=2", "algorithm.n_epochs=0",
            "algorithm.rollout_evaluator.n_episodes=100",
        ])
        let config = try ExperimentConfig(yaml: yaml, algorithm: "a2c")
        var learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        let batch = try Self.batch(config, weights: learner.weights)
        try learner.update(with: [batch])
        try learner.update(with: [batch])  // the end of epoch 1: its evaluation starts on the evaluation thread
        #expect(learner.evaluationsInProgress == 1)
        let evaluated = learner.weights
        var updatesDuringEvaluation = 0
        while learner.progress.bestReturn == nil, updatesDuringEvaluation < 100_000 {
            try learner.update(with: [batch])
            if learner.progress.bestReturn == nil { updatesDuringEvaluation += 1 }
        }
        #expect(updatesDuringEvaluation >= 1)
        let concurrent = try #require(learner.progress.bestReturn)

        // The same snapshot scored on this thread by the evaluator the session would use synchronously.
        let env = LogStatsWrapper(
            try RolloutEvaluator.boundingEpisodes(of: config.makeEnv(), warn: { _ in }), loggingPrefix: "eval")
        var model = try ActorCriticModel(
            recipe: config.modelRecipe(), observationSpaces: env.observationSpaces, actionSpaces: env.actionSpaces,
            seed: 0)
        try WeightsCoding.assign(evaluated, to: &model.parameters)
        let evaluator = try RolloutEvaluator(
            envs: [env], settings: config.algorithm().common.rolloutEvaluator,
            seed: RolloutEvaluator.seed(trainingSeed: 0)
        )
        #expect(try evaluator.evaluate(model).meanReturn == concurrent)
    }

    @Test func theStatisticsTableGoesToTheLogAndTheExperimentFolder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-session-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = try Self.compose([
            "algorithm=impala", "algorithm.epoch_length=1", "algorithm.n_epochs=1",
            "algorithm.rollout_evaluator.n_episodes=1",
        ])
        let lines = Mutex<[String]>([])
        let record = ExperimentRecord(
            id: "exp-0001", state: .running, configYAML: yaml, overrides: [], commandLine: ["run"], algorithm: "impala")
        var learner = try ActorCriticLearner(
            record: record, outputsDirectory: directory, log: { line in lines.withLock { $0.append(line) } })
        let config = try ExperimentConfig(yaml: yaml, algorithm: "impala")
        try learner.update(
            with: Array(repeating: Self.batch(config, weights: learner.weights), count: learner.batchesPerUpdate))
        #expect(learner.isWaiting && !learner.isFinished)  // the last epoch's evaluation runs; the service polls
        try Self.pollUntilDone(&learner)
        #expect(learner.isFinished)
        let logged = lines.withLock { $0 }
        #expect(logged.first?.hasPrefix(StatsTable.header) == true)
        #expect(
            logged.contains("-> new overall best model \(String(format: "%.5f", learner.progress.bestReturn ?? .nan))!")
        )
        #expect(logged.contains { $0.hasPrefix("Time required for epoch: ") })
        let folder = directory.appendingPathComponent("exp-0001")
        #expect(
            logged.last
                == "Roll out the best model with: maze run policy=torch_policy input_dir=\(folder.path) runner=sequential"
        )
        let trainLog = try String(contentsOf: directory.appendingPathComponent("exp-0001/train.log"), encoding: .utf8)
        #expect(trainLog == logged.joined(separator: "\n") + "\n")
    }

    @Test func inputDirResumesFromARunFolderAndAMissingOneIsRefusedByKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-session-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = ["algorithm=ppo", "algorithm.epoch_length=1", "algorithm.rollout_evaluator.n_episodes=1"]
        let yaml = try Self.compose(base)
        var first = try ActorCriticLearner(
            config: ExperimentConfig(yaml: yaml, algorithm: "ppo"), configYAML: yaml, outputDirectory: directory)
        let config = try ExperimentConfig(yaml: yaml, algorithm: "ppo")
        try first.update(with: [Self.batch(config, weights: first.weights)])
        try first.finishEvaluations()
        let best = try Checkpoint.load(inputDirectory: directory.path)
        #expect(try WeightsCoding.wireTensors(best.weights) == first.weights)

        let resumedYAML = try Self.compose(base + ["input_dir=\(directory.path)"])
        let resumed = try ActorCriticLearner(
            config: ExperimentConfig(yaml: resumedYAML, algorithm: "ppo"), configYAML: resumedYAML,
            outputDirectory: nil, seed: 3)
        #expect(resumed.weights == first.weights)

        let missingYAML = try Self.compose(base + ["input_dir=\(directory.path)/nothing-here"])
        #expect {
            _ = try ActorCriticLearner(
                config: ExperimentConfig(yaml: missingYAML, algorithm: "ppo"), configYAML: missingYAML,
                outputDirectory: nil)
        } throws: { error in
            (error as? TrainError).map { if case .invalidSetting(key: "input_dir", _) = $0 { true } else { false } }
                ?? false
        }
    }

    @Test func theExperimentNamesItsAlgorithmAndOldRecordsAreRecognisedWithANote() throws {
        // PPO's keys, submitted as A2C: the record's choice wins.
        let yaml = try Self.compose(["algorithm=ppo"])
        let named = try ExperimentConfig(yaml: yaml, algorithm: "a2c")
        #expect(named.algorithmName == "a2c" && named.algorithmNote == nil)
        #expect(try named.algorithm() is A2C)
        let old = try ExperimentConfig(yaml: yaml, algorithm: nil)
        #expect(old.algorithmName == "ppo")
        #expect(old.algorithmNote?.contains("does not name its algorithm") == true)

        // A record written before the field existed still decodes.
        let json = #"{"id":"exp-0001","state":"queued","configYAML":"a: 1","overrides":[],"commandLine":[],"epoch":0}"#
        let record = try JSONDecoder().decode(ExperimentRecord.self, from: Data(json.utf8))
        #expect(record.algorithm == nil)
        var queue = ExperimentQueue()
        let id = queue.submit(Submit(configYAML: "a: 1", algorithm: "impala"))
        #expect(queue.experiments.first { $0.id == id }?.algorithm == "impala")
    }

    @Test func eachAlgorithmDeclaresItsBatchingAndStaleness() throws {
        let impala = try ExperimentConfig(
            yaml: Self.compose(["algorithm=impala", "algorithm.actors_batch_size=3", "algorithm.num_actors=6"]),
            algorithm: "impala")
        #expect(try impala.serviceNeeds() == ServiceNeeds(actorsBatchSize: 3, staleness: .boundedLag(1 + 6 / 3)))
        let ppo = try ExperimentConfig(yaml: Self.compose(["algorithm=ppo"]), algorithm: "ppo")
        #expect(try ppo.serviceNeeds() == ServiceNeeds(actorsBatchSize: 1, staleness: .currentVersion))
        let zero = try ExperimentConfig(
            yaml: Self.compose(["algorithm=a2c", "+algorithm.actors_batch_size=0"]), algorithm: "a2c")
        #expect(
            throws: ConfigError.invalidValue(
                path: "algorithm.actors_batch_size", problem: "must lie in 1...1024, got 0")
        ) {
            try zero.serviceNeeds()
        }
    }
}
