import Foundation
import MazeCore
import MazeEnvs
import MazePerception
import MazeTensor
import MazeTrajectory
import Testing

@testable import MazeTrain

/// Behavioural cloning's pieces in a debug build: Maze's settings, the dataset keys and their errors, demonstrations
/// read from trajectory files as decision rows split by episode, and the cloning step itself.
@Suite struct BehaviouralCloningTests {
    /// A fresh folder, removed by the caller.
    static func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("maze-bc-\(UUID().uuidString)")
    }

    /// Records `episodes` episodes of the CartPole heuristic (at most `steps` steps each) as trajectory files in
    /// `folder/trajectory_data`.
    static func recordHeuristic(into folder: URL, episodes: Int, steps: Int) throws {
        let env = try Registries.withMazeEnvs.makeEnv("CartPole-v1", ["seed": 5])
        let policy = try Registries.withMazeEnvs.makePolicy("cartpole_heuristic", for: env)
        try record(policy, in: env, into: folder, episodes: episodes, steps: steps)
    }

    /// Records `episodes` deterministic episodes of `policy` in `env` (episode `i` seeded with `i`, at most `steps`
    /// steps each) as trajectory files in `folder/trajectory_data`, as `record_trajectory` does.
    static func record(
        _ policy: any Policy, in env: any StructuredEnv, into folder: URL, episodes: Int, steps: Int = .max
    ) throws {
        let writer = MsgPackTrajectoryWriter(outputDirectory: folder)
        for episode in 0..<episodes {
            var record = TrajectoryRecord(episodeIndex: episode, envSeed: UInt64(episode), agentSeed: 0)
            env.seed(UInt64(episode))
            var observation = try env.reset()
            for _ in 0..<steps {
                let actorID = env.actorID
                let action = try policy.computeAction(
                    observation: observation, actorID: actorID, deterministic: true, env: env)
                let result = try env.step(action)
                record.steps.append(
                    TrajectoryStep(
                        actorID: actorID, observation: observation, action: action, reward: result.reward,
                        terminated: result.terminated, truncated: result.truncated, info: result.info))
                if result.done { break }
                observation = result.observation
            }
            try writer.write(record)
        }
    }

    /// `section` at the key path `key` of a config root.
    static func at(_ key: String, _ section: ConfigSection) throws -> ConfigSection {
        let root: ConfigSection = [key: section.node]
        return try root.section(key)
    }

    /// A `runner` section with `dataset`.
    static func runner(_ dataset: ConfigSection) throws -> ConfigSection {
        try at("runner", ["dataset": dataset.node])
    }

    static func cartPoleCycle() throws -> SubStepCycle {
        try SubStepCycle(Registries.withMazeEnvs.makeEnv("CartPole-v1", [:]))
    }

    @Test func settingsReadMazeDefaultsAndRefuseWhatCannotBeHonoured() throws {
        let defaults = try BCSettings([:])
        #expect(defaults == BCSettings())
        #expect(defaults.nEpochs == 1000 && defaults.batchSize == 100 && defaults.lr == 0.001)
        #expect(defaults.validationPercentage == 20 && defaults.nEvalEpisodes == 8 && defaults.entropyCoef == 0)
        let set = try BCSettings([
            "optimizer": ["_target_": "torch.optim.Adam", "lr": .double(0.01)], "batch_size": 32,
        ])
        #expect(set.lr == 0.01 && set.batchSize == 32)
        let refused: [(ConfigSection, String)] = [
            (["optimizer": ["_target_": "torch.optim.SGD"]], "algorithm.optimizer._target_"),
            (["eval_every_k_iterations": 500], "algorithm.eval_every_k_iterations"),
            (["n_eval_episodes": 0], "algorithm.n_eval_episodes"),
            (["validation_percentage": 100], "algorithm.validation_percentage"),
            (["device": "cuda"], "algorithm.device"),
        ]
        for (section, key) in refused {
            let error = #expect(throws: (any Error).self) {
                try BCSettings(Self.at("algorithm", section))
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains(key), "\(section)")
        }
    }

    @Test func datasetErrorsNameTheKey() throws {
        let runner = Self.runner
        let missing = try DemonstrationDatasetSettings(runner: runner(["input_data": "/no/such/trajectory_data"]))
        #expect(missing.workers == 1)
        #expect(throws: TrainError.self) { try missing.files() }
        do { _ = try missing.files() } catch {
            #expect("\(error)".contains("runner.dataset.input_data") && "\(error)".contains("/no/such/trajectory_data"))
        }
        let empty = Self.temporaryDirectory()
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: TrainError.self) {
            try DemonstrationDatasetSettings(runner: runner(["input_data": .string(empty.path)])).files()
        }
        #expect(throws: (any Error).self) {
            try DemonstrationDatasetSettings(
                runner: runner([
                    "input_data": "x",
                    "trajectory_processor": ["_target_": "DeadEndClippingTrajectoryProcessor"],
                ]))
        }
        #expect(throws: (any Error).self) {
            try DemonstrationDatasetSettings(runner: runner(["input_data": "x", "dir_or_file": "y"]))
        }
        #expect(throws: TrainError.self) { try DemonstrationDatasetSettings(runner: [:]) }
        let inMain = try DemonstrationDatasetSettings(
            runner: runner(["input_data": .list(["a", "b"]), "n_workers": 4, "deserialize_in_main_thread": true]))
        #expect(inMain.inputData == ["a", "b"] && inMain.workers == 1)
    }

    @Test func demonstrationsAreDecisionRowsSplitByEpisode() throws {
        let folder = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.recordHeuristic(into: folder, episodes: 5, steps: 20)
        let settings = try DemonstrationDatasetSettings(
            runner: Self.runner(["input_data": .string(folder.path)]))
        let files = try settings.files()
        #expect(files.count == 5, "a run folder means its trajectory_data")
        let cycle = try Self.cartPoleCycle()
        let demonstrations = try Demonstrations(files: files, cycle: cycle, workers: 3, key: settings.keyPath)
        #expect(demonstrations.count == 100 && demonstrations.episodes.count == 5)
        #expect(demonstrations.observationWidth == 4 && demonstrations.actionWidth == 1)
        let first = try MsgPackTrajectoryReader.read(contentsOf: files[0])
        let firstRow = try cycle.observationSpaces[0].flatten(first.steps[0].observation)
        #expect(Array(demonstrations.episodes[0].observations[0..<4]) == firstRow)
        let (training, validation) = demonstrations.split(validationPercentage: 20, seed: 1)
        #expect(validation.count == 20 && training.count == 80, "whole episodes of 20 decisions")
        let again = demonstrations.split(validationPercentage: 20, seed: 1)
        #expect(again.validation.observations == validation.observations)
        #expect(demonstrations.split(validationPercentage: 0, seed: 1).validation.count == 0)
        let mostlyHeldOut = demonstrations.split(validationPercentage: 99, seed: 1)
        #expect(mostlyHeldOut.training.count == 20, "training keeps one episode")
    }

    @Test func aFileFromAnotherEnvNamesTheFileAndKey() throws {
        let folder = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let writer = MsgPackTrajectoryWriter(outputDirectory: folder)
        var record = TrajectoryRecord(episodeIndex: 0, envSeed: 0, agentSeed: 0)
        record.steps.append(
            TrajectoryStep(
                actorID: ActorID(stepKey: 0, agentID: 0),
                observation: ["observation": .init(floats: [0, 0, 0, 0], shape: [4])],
                action: ["action": .scalar(7)], reward: 1, terminated: false, truncated: false, info: [:]))
        try writer.write(record)
        let file = writer.fileURL(episodeIndex: 0)
        do {
            _ = try Demonstrations(files: [file], cycle: Self.cartPoleCycle(), key: "runner.dataset.input_data")
            Issue.record("an action outside the space was accepted")
        } catch {
            #expect("\(error)".contains("runner.dataset.input_data") && "\(error)".contains(file.path))
        }
    }

    @Test func cloningLowersTheNegativeLogLikelihoodAndLeavesTheCritic() throws {
        let folder = Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.recordHeuristic(into: folder, episodes: 2, steps: 50)
        let cycle = try Self.cartPoleCycle()
        let files = try DemonstrationDatasetSettings(inputData: [folder.path]).files()
        let demonstrations = try Demonstrations(files: files, cycle: cycle, key: "input_data")
        let (training, validation) = demonstrations.split(validationPercentage: 0, seed: 0)
        var settings = BCSettings()
        settings.batchSize = 100
        settings.lr = 0.01
        let algorithm = BehaviouralCloning(settings, trainingRows: training.count)
        #expect(algorithm.common.epochLength == 1)
        var source = try DemonstrationBatches(
            training: training, validation: validation, batchSize: settings.batchSize, cycle: cycle)
        var model = try ActorCriticModel(
            observationSpace: cycle.observationSpaces[0], actionSpace: cycle.actionSpaces[0],
            recipe: .flattenConcat(hiddenUnits: [16]), seed: 2)
        let critic = model.parameters.names.filter(model.isCriticParameter).map { model.parameters[$0] }
        var optimizer = algorithm.makeOptimizer()
        var random = MazeRandom(seed: 0)
        var losses: [Double] = []
        for _ in 0..<30 {
            #expect(try source.collect(with: model, random: &random) == 0, "no env steps")
            var statistics = LearnerStatistics()
            try algorithm.update(
                source.buffer, model: &model, optimizer: &optimizer, random: &random, trainPolicy: true,
                statistics: &statistics)
            losses.append(try #require(statistics.mean(.policyLoss)))
        }
        #expect(losses.last! < losses.first! * 0.8, "\(losses)")
        #expect(model.parameters.names.filter(model.isCriticParameter).map { model.parameters[$0] } == critic)
        let stats = try source.epochStatistics(model: model)
        let accuracy = stats.value(topic: BehaviouralCloning.topic, event: "discrete_accuracy", name: "0/action")
        #expect((accuracy?.scalar ?? 0) > 0.6)
    }
}
