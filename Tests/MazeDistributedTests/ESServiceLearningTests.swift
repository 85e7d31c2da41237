import Foundation
import MazeDistributed
import MazeService
import MazeTestSupport
import MazeWire
import MazeZMQ
import Testing

/// Distributed Evolution Strategies (release, `MAZE_LEARNING_TESTS=1`): `maze learner` with two `maze actor`
/// workers solves CartPole-v1 (a mean deterministic evaluation of 500) with `+experiment=cartpole_es`, the settings
/// `ESLearningTests` solves it with in one process. Which is faster is measured by `maze bench es` (a timed test
/// on 2 shared cores only measures the neighbours).
///
///     MAZE_LEARNING_TESTS=1 OPENBLAS_NUM_THREADS=1 swift test -c release --filter ESServiceLearning
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MAZE_LEARNING_TESTS"] == "1"), .serialized)
struct ESServiceLearningTests {
    static let overrides = ["+experiment=cartpole_es", "seeding.env_base_seed=1"]
    static let target = 500.0

    /// The service (`maze learner` and `maze actor --workers 2`, running before the experiment is submitted, as a
    /// service is) trains until a status shows an evaluation of 500, within 120 s.
    @Test func twoActorWorkersSolveCartPole() throws {
        let clock = ContinuousClock()
        let cluster = try TestCluster(workers: 2)
        let client = try ControlClient(
            endpoints: ServiceEndpoints(base: cluster.base), security: .insecure, timeout: .seconds(10),
            in: ZMQContext())
        let composed = try ShippedExperiment.compose(Self.overrides)
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
        let seconds = (clock.now - start).inSeconds
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
                + String(format: "%.2f s (load average %.1f); ", seconds, Self.loadAverage())
                + "stale or rejected result batches: \(reached.rejectedBatches)")
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
