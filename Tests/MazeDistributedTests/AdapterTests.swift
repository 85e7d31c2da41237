import Foundation
import MazeConfig
import MazeDistributed
import MazeReporting
import MazeService
import MazeTensor
import MazeWire
import Testing

@Suite("Acting and learning adapters")
struct AdapterTests {
    /// A small CartPole experiment composed from the shipped conf/, as `maze submit` composes it.
    private static func experiment(_ algorithm: String, _ extra: [String] = []) throws -> (ExperimentConfig, String) {
        try ShippedExperiment.experiment(
            [
                "env=gym_env", "model=vector_obs", "critic=template_state", "algorithm=\(algorithm)",
                "algorithm.n_rollout_steps=6", "algorithm.epoch_length=1", "algorithm.rollout_evaluator.n_episodes=1",
            ] + extra)
    }

    private static func collect(
        _ policy: inout ActorCriticActingPolicy, experiment: String, versions: [UInt64]
    ) throws -> [TrajectoryBatch] {
        try versions.enumerated().map { index, version in
            try policy.collect(
                RolloutIdentity(experimentID: experiment, actorID: "actor-\(index)", policyVersion: version))
        }
    }

    @Test func actingBatchesFeedTheImpalaLearner() throws {
        let (config, yaml) = try Self.experiment("impala", ["algorithm.actors_batch_size=2"])
        #expect(config.algorithmName == "impala")
        var learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        #expect(learner.batchesPerUpdate == 2)
        #expect(learner.stalenessPolicy == .boundedLag(1 + 8 / 2))
        var policy = try ActorCriticActingPolicy(config: config, envCount: 3, seed: 1)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))

        let batches = try Self.collect(&policy, experiment: "e", versions: [0, 0])
        let observations = try #require(batches[0].observations["observation"])
        #expect(observations.shape == [7, 3, 4])
        #expect(batches[0].actions["action"]?.shape == [6, 3, 1])
        #expect(batches[0].behaviourLogits?["action"]?.shape == [6, 3, 2])
        #expect(try batches[0].behaviourLogProbs.values(as: Float.self).allSatisfy { $0 <= 0 })
        #expect(try batches[0].rewards.values(as: Float.self).allSatisfy { $0 == 1 })

        let before = learner.weights
        try learner.update(with: batches)
        #expect(learner.weights.keys == before.keys)
        #expect(learner.weights != before)
        #expect(learner.progress.epoch == 1)
        try learner.finishEvaluations()
        #expect(learner.progress.bestReturn != nil)
    }

    @Test func finishedEpisodesCarryTheirFinalObservation() throws {
        let (config, yaml) = try Self.experiment("impala", ["algorithm.n_rollout_steps=60"])
        let learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 6)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let batch = try Self.collect(&policy, experiment: "e", versions: [0])[0]
        let observations = try #require(batch.observations["observation"]).values(as: Float.self)
        let finals = try #require(batch.observations["final_observation"]).values(as: Float.self)
        let ended = zip(try batch.terminated.bools(), try batch.truncated.bools()).map { $0 || $1 }
        #expect(ended.contains(true))
        #expect(batch.episodes.count == ended.filter { $0 }.count)
        for (index, done) in ended.enumerated() {
            // Step t's row `index` ends up in row t+1 of the [T+1, B, 4] tensors.
            let row = (index + 2) * 4..<(index + 3) * 4
            if done {
                #expect(finals[row] != observations[row])
                #expect(finals[row].contains { $0 != 0 })
            } else {
                #expect(finals[row].allSatisfy { $0 == 0 })
            }
        }
    }

    @Test func ppoTrainsOnTheCurrentVersionOnly() throws {
        // PPO with an added `actors_batch_size` (an IMPALA key) is still PPO.
        let (config, yaml) = try Self.experiment("ppo", ["+algorithm.actors_batch_size=2"])
        #expect(config.algorithmName == "ppo")
        var learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        #expect(learner.stalenessPolicy == .currentVersionOnly)
        #expect(learner.batchesPerUpdate == 2)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 2)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 0, weights: learner.weights))
        let before = learner.weights
        try learner.update(with: Self.collect(&policy, experiment: "e", versions: [0, 0]))
        #expect(learner.weights != before)
    }

    @Test func weightsRoundTripByNameAndMismatchesAreRefused() throws {
        let (config, yaml) = try Self.experiment("impala")
        let learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil, seed: 5)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 1, seed: 3)
        try policy.apply(PolicyUpdate(experimentID: "e", version: 3, weights: learner.weights))

        var renamed = learner.weights
        let name = try #require(renamed.keys.sorted().first)
        renamed[name] = try WireTensor(shape: [1], values: [Float(0)])
        #expect(throws: AdapterError.self) {
            try policy.apply(PolicyUpdate(experimentID: "e", version: 4, weights: renamed))
        }
        renamed[name] = nil
        #expect(throws: AdapterError.self) {
            try policy.apply(PolicyUpdate(experimentID: "e", version: 4, weights: renamed))
        }
    }

    @Test func checkpointResumesVersionEpochAndWeights() throws {
        let (config, yaml) = try Self.experiment("impala", ["algorithm.actors_batch_size=1"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-adapter-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        var learner = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: directory)
        var policy = try ActorCriticActingPolicy(config: config, envCount: 2, seed: 4)
        try learner.update(with: Self.collect(&policy, experiment: "e", versions: [0]))
        try learner.finishEvaluations()  // the epoch's evaluation is applied, so the checkpoint holds epoch 1
        let folder = RunFolder(root: directory)
        try learner.checkpoint(version: 7, to: folder.lastCheckpointDirectory)
        for file in [
            folder.configFile, folder.commandFile, folder.csvFile, folder.reportFile,
            directory.appendingPathComponent("train.log"),
        ] {
            #expect(FileManager.default.fileExists(atPath: file.path), "\(file.lastPathComponent)")
        }
        #expect(
            FileManager.default.fileExists(
                atPath: folder.bestCheckpointDirectory.appendingPathComponent("state_dict.safetensors").path))
        let (checkpointedWeights, checkpointedProgress) = (learner.weights, learner.progress)
        // An epoch after the checkpoint, lost when the learner is killed: it is trained and logged again after resuming.
        try learner.update(with: Self.collect(&policy, experiment: "e", versions: [1]))
        try learner.finishEvaluations()
        #expect(try ScalarLog(contentsOf: folder.jsonlFile).records.map(\.step) == [1, 2])

        var restarted = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: directory, seed: 9)
        #expect(restarted.weights != checkpointedWeights)
        #expect(try restarted.resume(from: folder.lastCheckpointDirectory) == 7)
        #expect(restarted.weights == checkpointedWeights)
        #expect(restarted.progress == checkpointedProgress)
        // The resumed experiment continues its statistics logs from its checkpoint's epoch, once each.
        try restarted.update(with: Self.collect(&policy, experiment: "e", versions: [7]))
        try restarted.finishEvaluations()
        #expect(try ScalarLog(contentsOf: folder.jsonlFile).records.map(\.step) == [1, 2])
        let csvLines = try String(contentsOf: folder.csvFile, encoding: .utf8).split(separator: "\n")
        #expect(csvLines.count == 3)
        #expect(csvLines.dropFirst().map { $0.prefix(2) } == ["1,", "2,"])
        var fresh = try ActorCriticLearner(config: config, configYAML: yaml, outputDirectory: nil)
        #expect(try fresh.resume(from: directory.appendingPathComponent("nothing-here")) == nil)
    }
}
