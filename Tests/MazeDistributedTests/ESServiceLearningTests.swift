import Foundation
import MazeConfig
import MazeDistributed
import MazeService
import MazeTestSupport
import MazeTrain
import MazeWire
import MazeZMQ
import Testing

/// Distributed Evolution Strategies (release, `MAZE_LEARNING_TESTS=1`): `maze learner` with two `maze actor`
/// workers solves CartPole-v1 (a mean deterministic evaluation of 500) in less wall time than ES in one process
/// (`runner=dev`) with the same settings.
///
///     MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release --filter ESServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct ESServiceLearningTests {
    /// Maze's `es.yaml` and `vector_obs` ([32, 32] tanh) on CartPole-v1, with a table of 10^6 floats (instead of
    /// 10^8: 400 MB and seconds to generate in every process) and 50 antithetic pairs per update.
    static let overrides = [
        "env=gym_env", "env.name=CartPole-v1", "algorithm=es", "model=vector_obs",
        "algorithm.n_rollouts_per_update=100", "runner.shared_noise_table_size=1000000", "seeding.env_base_seed=1",
    ]
    static let target = 500.0

    /// Three runs each way (the service's pairs depend on which worker takes which credit, so its epochs vary);
    /// the medians of the wall times are compared.
    @Test func esLearningWithTwoActorWorkersIsFasterThanOneProcess() throws {
        let clock = ContinuousClock()
        let loadBefore = Self.loadAverage()
        let runs = 3

        // One process: `runner=dev` (ESRunner), timed from building the runner (noise table, model) to the target.
        let dev = try ShippedExperiment.compose(Self.overrides + ["runner=dev"])
        let settings = try ESSettings(algorithm: dev.root.section("algorithm"), runner: dev.root.section("runner"))
        let components = MazeComponents.builtIn
        let envs = try EnvConfiguration(config: dev.root, registries: components.registries)
        var options = ESRunner.Options()
        options.seed = 1
        options.targetReturn = Self.target
        options.maxEnvSteps = 5_000_000
        options.log = { _ in }
        var oneProcess: [Double] = []
        for _ in 0..<runs {
            let start = clock.now
            let runner = try ESRunner(
                makeEnv: envs.makeEnv, settings: settings,
                recipe: components.perception().policyRecipe(model: dev.root.section("model")), options: options)
            let summary = try runner.train()
            oneProcess.append((clock.now - start).inSeconds)
            #expect(summary.envStepsToTarget != nil)
            print(
                "[learning] CartPole-v1 ES, one process: best \(summary.bestReturn ?? .nan) after \(summary.epochs) "
                    + "epochs, \(summary.envStepsToTarget.map(String.init) ?? "never") env steps to the target, "
                    + String(format: "%.2f s", oneProcess.last ?? 0))
        }

        // The service: `maze learner` and `maze actor --workers 2` (running before the experiments are submitted, as
        // a service is), each experiment timed from `Submit` to the first status with an evaluation of 500.
        let cluster = try TestCluster(workers: 2)
        let client = try ControlClient(
            endpoints: ServiceEndpoints(base: cluster.base), security: .insecure, timeout: .seconds(10),
            in: ZMQContext())
        let composed = try ShippedExperiment.compose(Self.overrides)
        var service: [Double] = []
        for _ in 0..<runs {
            let start = clock.now
            let id = try client.submit(Submit(configYAML: composed.yaml, overrides: Self.overrides, algorithm: "es"))
            var status: ExperimentStatus?
            let deadline = clock.now + .seconds(120)
            while clock.now < deadline {
                status = try client.status().first { $0.experimentID == id }
                guard let current = status, current.state == .queued || current.state == .running else { break }
                if (current.bestReturn ?? 0) >= Self.target { break }
                Thread.sleep(forTimeInterval: 0.02)
            }
            service.append((clock.now - start).inSeconds)
            let reached = try #require(status)
            #expect(reached.state == .running, "\(reached.failure ?? "")")
            #expect((reached.bestReturn ?? 0) >= Self.target)
            _ = try client.cancel(id)
            let log = try String(
                contentsOf: cluster.directory.appendingPathComponent("outputs/\(id)/train.log"), encoding: .utf8)
            let envSteps = Self.envSteps(throughUpdate: Int(reached.epoch), in: log)
            print(
                "[learning] CartPole-v1 ES, maze learner + 2 actor workers: best \(reached.bestReturn ?? .nan) at "
                    + "epoch \(reached.epoch), \(envSteps.map(String.init) ?? "?") env steps (perturbed episodes), "
                    + String(format: "%.2f s; ", service.last ?? 0)
                    + "stale or rejected result batches: \(reached.rejectedBatches)")
            // The learner moves on to the next experiment once this one is cancelled.
            Thread.sleep(forTimeInterval: 0.2)
        }
        let (medianOne, medianService) = (Self.median(oneProcess), Self.median(service))
        print(
            "[learning] median wall time one process / service = "
                + String(
                    format: "%.2f / %.2f s = %.2f (load average %.1f before, %.1f after)", medianOne, medianService,
                    medianOne / medianService, loadBefore, Self.loadAverage()))
        #expect(medianService < medianOne)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
    }

    /// The running total of perturbed env steps in the learner's `ES update N: … (T in total)` line for `update`.
    static func envSteps(throughUpdate update: Int, in log: String) -> Int? {
        let prefix = "ES update \(update): "
        guard let line = log.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }),
            let open = line.range(of: "("), let end = line.range(of: " in total)")
        else { return nil }
        return Int(line[open.upperBound..<end.lowerBound])
    }

    /// The one-minute load average.
    static func loadAverage() -> Double {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)).flatMap {
            $0.split(separator: " ").first.flatMap { Double($0) }
        } ?? .nan
    }
}
