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
    /// 10^8: 400 MB and seconds to generate in every process) and 20 antithetic pairs per update.
    static let overrides = [
        "env=gym_env", "env.name=CartPole-v1", "algorithm=es", "model=vector_obs",
        "algorithm.n_rollouts_per_update=40", "runner.shared_noise_table_size=1000000", "seeding.env_base_seed=1",
    ]
    static let target = 500.0

    static func compose(_ overrides: [String]) throws -> ComposedConfig {
        try ConfigComposer(searchPath: ConfigSearchPath(shippedDirectory: ConfigSearchPath.shippedDirectory()))
            .compose(rootConfig: "conf_train", overrides: overrides)
    }

    @Test func esLearningWithTwoActorWorkersIsFasterThanOneProcess() throws {
        let clock = ContinuousClock()
        let loadBefore = Self.loadAverage()

        // One process: `runner=dev` (ESRunner), timed from building the runner (noise table, model) to the target.
        let dev = try Self.compose(Self.overrides + ["runner=dev"])
        let settings = try ESSettings(algorithm: dev.root.section("algorithm"), runner: dev.root.section("runner"))
        let components = MazeComponents.builtIn
        let envs = try EnvConfiguration(config: dev.root, registries: components.registries)
        var options = ESRunner.Options()
        options.seed = 1
        options.targetReturn = Self.target
        options.maxEnvSteps = 5_000_000
        options.log = { _ in }
        let devStart = clock.now
        let runner = try ESRunner(
            makeEnv: envs.makeEnv, settings: settings,
            recipe: components.perception().policyRecipe(model: dev.root.section("model")), options: options)
        let summary = try runner.train()
        let oneProcess = (clock.now - devStart).inSeconds
        #expect(summary.envStepsToTarget != nil)

        // The service: `maze learner` and `maze actor --workers 2` (running before the experiment is submitted, as
        // a service is), timed from `Submit` to the first status with an evaluation of 500.
        let cluster = try TestCluster(workers: 2)
        let client = try ControlClient(
            endpoints: ServiceEndpoints(base: cluster.base), security: .insecure, timeout: .seconds(10),
            in: ZMQContext())
        let composed = try Self.compose(Self.overrides)
        let serviceStart = clock.now
        let id = try client.submit(Submit(configYAML: composed.yaml, overrides: Self.overrides, algorithm: "es"))
        var status: ExperimentStatus?
        let deadline = clock.now + .seconds(300)
        while clock.now < deadline {
            status = try client.status().first { $0.experimentID == id }
            guard let current = status, current.state == .queued || current.state == .running else { break }
            if (current.bestReturn ?? 0) >= Self.target { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let service = (clock.now - serviceStart).inSeconds
        let reached = try #require(status)
        #expect(reached.state == .running, "\(reached.failure ?? "")")
        #expect((reached.bestReturn ?? 0) >= Self.target)
        _ = try client.cancel(id)
        let loadAfter = Self.loadAverage()

        let log = try String(
            contentsOf: cluster.directory.appendingPathComponent("outputs/\(id)/train.log"), encoding: .utf8)
        let envSteps = Self.envSteps(throughUpdate: Int(reached.epoch), in: log)
        print(
            "[learning] CartPole-v1 ES, one process: best \(summary.bestReturn ?? .nan) after \(summary.epochs) "
                + "epochs, \(summary.envStepsToTarget.map(String.init) ?? "never") env steps to the target, "
                + String(format: "%.2f s", oneProcess))
        print(
            "[learning] CartPole-v1 ES, maze learner + 2 actor workers: best \(reached.bestReturn ?? .nan) at epoch "
                + "\(reached.epoch), \(envSteps.map(String.init) ?? "?") env steps (perturbed episodes), "
                + String(format: "%.2f s; ", service) + "stale or rejected result batches: \(reached.rejectedBatches)")
        print(
            "[learning] wall time one process / service = "
                + String(format: "%.2f (load average %.1f before, %.1f after)", oneProcess / service, loadBefore, loadAfter))
        #expect(service < oneProcess)
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
