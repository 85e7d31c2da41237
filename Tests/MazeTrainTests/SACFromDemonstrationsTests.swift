import Foundation
import MazeConfig
import MazeCore
import MazeEnvs
import MazeTrajectory
import Testing

@testable import MazeTrain

/// SACfD: the runner's `initial_demonstration_trajectories` is read as Maze writes it, the transitions of
/// `record_trajectory` files become replay rows with the next step's observation as successor, and training seeds
/// the replay buffer with them instead of taking random steps.
@Suite struct SACFromDemonstrationsTests {
    /// Records `episodes` random-policy episodes of `env` (at most 40 steps) into a fresh folder's `trajectory_data`.
    static func record(_ env: String, episodes: Int) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("maze-sacfd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let settings = RolloutSettings(
            nEpisodes: episodes, maxEpisodeSteps: 40, deterministic: false, recordTrajectory: true,
            outputDirectory: directory, trajectoryWriter: MsgPackTrajectoryWriter(outputDirectory: directory))
        _ = try RolloutRunner(settings: settings, registries: .withMazeEnvs)
            .runWith(env: .named(env, [:]), agent: .named("random_policy"))
        return directory.appendingPathComponent("trajectory_data")
    }

    static func runnerSection(_ yaml: String) throws -> ConfigSection {
        try ConfigSection(root: ConfigNode(yaml: "runner: \(yaml)")).section("runner")
    }

    @Test func mazeDatasetKeysAreReadAndOthersRefusedByKey() throws {
        let maze = try SACRunnerSettings(
            Self.runnerSection(
                "{initial_demonstration_trajectories: {_target_: maze.core.trajectory_recording.datasets."
                    + "in_memory_dataset.InMemoryDataset, input_data: [a, b], n_workers: 2, "
                    + "deserialize_in_main_thread: false, trajectory_processor: {_target_: "
                    + "IdentityWithNextObservationTrajectoryProcessor}}}"))
        #expect(maze.demonstrations == .init(inputData: ["a", "b"], workers: 2))
        #expect(
            try SACRunnerSettings(Self.runnerSection("{initial_demonstration_trajectories: ~}")).demonstrations == nil)
        for (yaml, key) in [
            ("{concurrency: 2}", "runner.concurrency"),
            (
                "{initial_demonstration_trajectories: {input_data: x, n_worker: 2}}",
                "runner.initial_demonstration_trajectories.n_worker"
            ),
            (
                "{initial_demonstration_trajectories: {input_data: x, trajectory_processor: {_target_: Identity}}}",
                "runner.initial_demonstration_trajectories.trajectory_processor._target_"
            ),
            (
                "{initial_demonstration_trajectories: {input_data: x, deserialize_in_main_thread: true}}",
                "runner.initial_demonstration_trajectories.deserialize_in_main_thread"
            ),
        ] {
            do {
                _ = try SACRunnerSettings(Self.runnerSection(yaml))
                Issue.record("'\(yaml)' was accepted")
            } catch {
                #expect("\(error)".hasPrefix(key), "\(error)")
            }
        }
    }

    /// Pendulum's random episodes end by the time limit (their last step has no recorded successor and is left
    /// out), CartPole's mostly by termination (kept, the target ignores its successor).
    @Test(arguments: ["Pendulum-v1", "CartPole-v1"])
    func transitionsPairEachStepWithTheNextObservation(env: String) throws {
        let folder = try Self.record(env, episodes: 3)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let space = try Registries.withMazeEnvs.makeEnv(env)
        let rollout = try DemonstrationTransitions.load(
            .init(inputData: [folder.path], workers: 2), observationSpace: space.observationSpace,
            actionSpace: space.actionSpace)
        let width = rollout.observationWidth
        var row = 0
        for file in try DemonstrationTransitions.episodeFiles([folder.path]) {
            let steps = try MsgPackTrajectoryReader.read(contentsOf: file).steps
            let observations = try steps.map { try space.observationSpace.flatten($0.observation) }
            for (index, step) in steps.enumerated() {
                let isLast = index == steps.count - 1
                if isLast && !step.terminated { break }
                #expect(Array(rollout.observations[row * width..<(row + 1) * width]) == observations[index])
                let successor = observations[isLast ? index : index + 1]
                #expect(Array(rollout.successorObservations[row * width..<(row + 1) * width]) == successor)
                #expect(rollout.rewards[row] == Float(step.reward) && rollout.terminated[row] == step.terminated)
                #expect(try space.actionSpace.flatten(step.action) == Array(rollout.actions[row..<row + 1]))
                row += 1
            }
        }
        #expect(row == rollout.count && row > 0)
    }

    @Test func trainingStartsFromTheDemonstrationsWithoutRandomSteps() throws {
        let folder = try Self.record("Pendulum-v1", episodes: 2)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        var settings = SACSettings()
        settings.batchSize = 32
        settings.common.epochLength = 10
        settings.common.nEpochs = 1
        settings.common.rolloutEvaluator.nEpisodes = 1
        let sac = SoftActorCritic(settings)
        var options = DevRunner<SoftActorCriticModel>.Options()
        options.seed = 5
        options.log = { _ in }
        let registries = Registries.withMazeEnvs
        let runner = try DevRunner.make(
            makeEnv: { try registries.makeEnv("Pendulum-v1") }, algorithm: sac,
            recipe: SoftActorCriticTests.stateAction,
            runner: SACRunnerSettings(demonstrations: .init(inputData: [folder.path])), options: options)
        // Two 40-step episodes cut by the time limit: 39 transitions each.
        #expect(sac.demonstrationCount == 78 && sac.replayCount == 78)
        #expect(sac.initialRandomSteps == 0)
        let initial = runner.model
        let summary = try runner.train()
        // No random steps (initial_buffer_size is 10,000): the epoch's 10 rollouts are all the env steps, and the
        // first of them already trained the critics on the demonstrations.
        #expect(summary.envSteps == 10)
        #expect(sac.replayCount == 88)
        #expect(runner.model.parameters["critic.q1.body.0.weight"] != initial.parameters["critic.q1.body.0.weight"])
    }

    @Test func missingOrEmptyInputIsAnErrorNamingTheKey() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("maze-sacfd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        for path in [empty.path, empty.appendingPathComponent("missing").path] {
            #expect(throws: TrainError.self) { try DemonstrationTransitions.episodeFiles([path]) }
            do {
                _ = try DemonstrationTransitions.episodeFiles([path])
            } catch {
                #expect("\(error)".hasPrefix(DemonstrationTransitions.key))
            }
        }
    }
}
