import Foundation
import MazeConfig
import MazeCore
import MazePerception
import Testing

@testable import MazeDistributed
@testable import MazeEnvs
@testable import MazeTrain

/// Masked structured Cutting2D (two sub-steps per decision, per-sub-step tensors on the wire) trained with PPO
/// through the service, in release: once by `maze run … runner=local` (in-process learner, up to two actor processes)
/// and once by a `maze learner` with `maze actor --workers 2`. Both must reach the dev runner's learning test target
/// for this env (`LearningTests.ppoCutsAtLeastAsWellAsTheGreedyHeuristic`): an evaluation return at least the
/// greedy best-fit heuristic's, and a best model that selects no invalid piece.
/// Seeds are fixed, but the order in which two actor processes' batches reach the learner is not, so runs differ:
/// measured on a loaded 2-core machine, the learner with actors reached the target after 14 and after 63 epochs
/// (9 s, 27 s). `runner=local` first reached it at epochs 2, 12, 19, 25, 55 and 71 in six runs by hand (two builds)
/// and after more than 100 in one CI run, so it has 250 epochs (about 0.4 s each), where 40 and 100 were once too few.
///
///     MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release --filter StructuredServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct StructuredServiceLearningTests {
    /// The dev learning test's PPO and network (lr 1e-3, γ 0.99, λ 0.95, 32-decision rollouts of 8 envs, minibatches of
    /// 128, 10 passes, no entropy bonus, gradient norm 0.5, 64×64), the env with its 200-step time limit and fixed seeds.
    static let overrides = [
        "env=cutting_2d_struct_masked", "wrappers=cutting_2d", "algorithm=ppo",
        "model.policy.networks.0.hidden_units=[64,64]", "model.critic.networks.0.hidden_units=[64,64]",
        "algorithm.n_rollout_steps=32", "algorithm.epoch_length=4", "algorithm.batch_size=128",
        "algorithm.n_optimization_epochs=10", "algorithm.lr=0.001", "algorithm.gamma=0.99", "algorithm.gae_lambda=0.95",
        "algorithm.entropy_coef=0", "algorithm.max_grad_norm=0.5", "algorithm.rollout_evaluator.n_episodes=1",
        "+algorithm.actors_batch_size=4", "seeding.env_base_seed=1", "seeding.agent_base_seed=1",
    ]

    /// The composed experiment, for the greedy target and the evaluation of the trained model.
    static func experiment() throws -> ExperimentConfig {
        try ShippedExperiment.experiment(overrides).0
    }

    /// The greedy best-fit heuristic's return over one episode of the env as the dev learning test builds it (the
    /// experiment's wrappers only flatten the inventory, which the heuristic reads by name): the target.
    static func greedyReturn() throws -> Double {
        let arguments: ConfigSection = [
            "max_pieces_in_inventory": .int(200), "raw_piece_size": .list([.int(100), .int(100)]),
            "static_demand": .list([.int(30), .int(15)]),
        ]
        let env = try TimeLimitWrapper(
            Registries.withMazeEnvs.makeEnv("cutting_2d_struct_masked", arguments), maxEpisodeSteps: 200)
        let policy = Cutting2DGreedyPolicy()
        var (observation, total) = (try env.reset(), 0.0)
        while true {
            let action = try policy.computeAction(
                observation: observation, actorID: env.actorID, deterministic: true, env: env)
            let result = try env.step(action)
            total += result.reward
            if result.done { return total }
            observation = result.observation
        }
    }

    /// The invalid piece selections and raw pieces per step of the best model saved under `outputs`, evaluated
    /// deterministically over one episode as the dev learning test does.
    static func evaluateBestModel(under outputs: URL, _ config: ExperimentConfig) throws -> (
        invalid: Double, rawPieces: Double
    ) {
        let files =
            FileManager.default.enumerator(at: outputs, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
            ?? []
        let best = try #require(
            files.first { $0.lastPathComponent == Checkpoint.weightsFile && $0.path.contains("/best/") })
        let checkpoint = try Checkpoint.load(from: best.deletingLastPathComponent())
        let env = LogStatsWrapper(try config.makeEnv(), loggingPrefix: "eval")
        var model = try ActorCriticModel(recipe: config.modelRecipe(), env: env, seed: 0)
        model.parameters = checkpoint.weights
        let evaluator = try RolloutEvaluator(
            envs: [env], settings: EvaluatorSettings(deterministic: true, nEpisodes: 1), seed: 9)
        let stats = try evaluator.evaluate(model).stats
        let invalid = stats.entries.filter { $0.key.event == "invalid_piece_selected" }.map(\.value.scalar).reduce(0, +)
        let rawPieces = try #require(
            stats.value(topic: "BaseEnvEvents", event: "kpi", name: "mean/raw_piece_usage_per_step")
        ).scalar
        return (invalid, rawPieces)
    }

    @Test func ppoWithTheLocalRunnerCutsAsWellAsTheGreedyHeuristic() throws {
        let config = try Self.experiment()
        let target = try Self.greedyReturn()
        let outputs = FileManager.default.temporaryDirectory.appendingPathComponent(
            "maze-struct-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outputs) }
        let start = Date()
        let run = try TestCluster.maze(
            ["run", "-cn", "conf_train"] + Self.overrides + [
                "runner=local", "runner.concurrency=2", "algorithm.n_epochs=250", "algorithm.patience=0",
                "log_base_dir=\(outputs.path)",
            ], seconds: 600)
        #expect(run.succeeded, "\(run.errorOutput)")
        let summary = try #require(
            run.output.split(separator: "\n").last { $0.hasPrefix("Experiment ") && $0.contains(" done after ") })
        let best = try #require(summary.split(separator: " ").last.flatMap { Double($0) })
        let evaluation = try Self.evaluateBestModel(under: outputs, config)
        print(
            "[learning] cutting_2d_struct_masked PPO runner=local: \(summary) (greedy \(target); 2,048 env steps an epoch), "
                + "\(evaluation.rawPieces) raw pieces/step, \(evaluation.invalid) invalid selections, "
                + String(format: "%.0f s", Date().timeIntervalSince(start)))
        #expect(best >= target)
        #expect(evaluation.invalid == 0)
    }

    @Test func ppoThroughALearnerWithTwoActorsCutsAsWellAsTheGreedyHeuristic() throws {
        let config = try Self.experiment()
        let target = try Self.greedyReturn()
        let cluster = try TestCluster(workers: 2)
        let start = Date()
        let submitted = try cluster.submit(Self.overrides + ["algorithm.n_epochs=0", "algorithm.patience=0"])
        #expect(submitted.succeeded, "\(submitted.errorOutput)")
        let id = submitted.output.trimmingCharacters(in: .whitespacesAndNewlines)
        var (best, epoch) = (-Double.infinity, UInt64(0))
        let deadline = Date().addingTimeInterval(600)
        while Date() < deadline, best < target {
            Thread.sleep(forTimeInterval: 2)
            let status = try #require(try cluster.status(id))
            #expect(status.state == "running")
            if status.state != "running" { break }
            (best, epoch) = (status.best ?? best, status.epoch)
        }
        let seconds = Date().timeIntervalSince(start)
        let cancelled = try TestCluster.maze(["cancel", id, "--learner", cluster.base, "--insecure"])
        #expect(cancelled.succeeded, "\(cancelled.errorOutput)")
        let evaluation = try Self.evaluateBestModel(
            under: cluster.directory.appendingPathComponent("outputs/\(id)"), config)
        print(
            "[learning] cutting_2d_struct_masked PPO learner + 2 actors: best \(best) (greedy \(target)) after \(epoch) "
                + "epochs (\(epoch * 4 * 8 * 32 * 2) env steps), \(evaluation.rawPieces) raw pieces/step, "
                + "\(evaluation.invalid) invalid selections, " + String(format: "%.0f s", seconds))
        #expect(best >= target)
        #expect(evaluation.invalid == 0)
    }
}
