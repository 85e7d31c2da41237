import ArgumentParser
import Foundation
import MazeConfig
import MazeReporting

/// `maze bench es`: Evolution Strategies on CartPole-v1 (`+experiment=cartpole_es`, seed 1) in one process
/// (`runner=dev`) and through the service (`runner=local`: a learner and one actor worker per core), as child
/// `maze run` processes with the same settings, alternating, `--repeats` times each:
/// - the wall time from starting `maze run` to the first evaluation of 500, one process over the service (the
///   speed-up distribution buys; target ≥ 1);
/// - the perturbed env steps per second of the epochs after the first, the service over one process;
/// - wall, user and system CPU seconds of each whole run (the service's include its actor processes).
///
/// The service's pairs depend on which worker takes which credit, so its epochs to 500 vary from run to run: the
/// figures are medians.
struct ESBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "es",
        abstract: "Evolution Strategies on CartPole-v1: one process (runner=dev) against the service (runner=local).",
        discussion: """
            Runs `maze run -cn conf_train +experiment=cartpole_es seeding.env_base_seed=1 algorithm.n_epochs=N` with \
            `runner=dev` and with `runner=local`, as child processes of the `maze` next to maze-bench (build both \
            with -c release), and reads each run's statistics log.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "Training epochs of each run (algorithm.n_epochs); each run must evaluate 500 within them.")
    var epochs = 16

    func validate() throws {
        guard epochs >= 2 else { throw ValidationError("--epochs must be at least 2 (rates skip the first epoch).") }
    }

    /// The mean deterministic evaluation that counts as solved: CartPole-v1's maximum return.
    static let target = 500.0

    func run() throws {
        let maze = try MazeExecutable.path()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-bench-es-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let command = [
            "run", "-cn", "conf_train", "+experiment=cartpole_es", "seeding.env_base_seed=1",
            "algorithm.n_epochs=\(epochs)",
        ]
        var figures: [String: [Figures]] = [:]
        for repeat_ in 1...options.repeats {
            for runner in ["dev", "local"] {
                progress("es: runner=\(runner), run \(repeat_) of \(options.repeats)")
                let run = try ChildRun.run(
                    maze, command + ["runner=\(runner)"],
                    in: directory.appendingPathComponent("\(runner)-\(repeat_)"))
                figures[runner, default: []].append(try Figures(run, runner: runner))
            }
        }
        let (dev, local) = (figures["dev"] ?? [], figures["local"] ?? [])
        var report = BenchmarkReport(
            title: "es: CartPole-v1, +experiment=cartpole_es, one process vs the service, \(epochs) epochs")
        for (key, name, runs) in [
            ("es_dev", "one process (runner=dev)", dev), ("es_local", "service (runner=local)", local),
        ] {
            report.add(
                "\(key)_seconds_to_target", median(runs.map(\.secondsToTarget)), unit: "s",
                label: "\(name): wall time to an evaluation of 500")
            report.add(
                "\(key)_epochs_to_target", median(runs.map(\.epochsToTarget)), unit: "epochs",
                label: "\(name): epochs to an evaluation of 500")
            report.add(
                "\(key)_env_steps_per_s", median(runs.map(\.envStepsPerSecond)), unit: "steps/s",
                label: "\(name): perturbed env steps/s after the first epoch")
            report.add(
                "\(key)_wall_s", median(runs.map(\.run.wallSeconds)), unit: "s", label: "\(name): wall time of the run")
            report.add("\(key)_user_s", median(runs.map(\.run.userSeconds)), unit: "CPU-s", label: "\(name): user CPU")
            report.add(
                "\(key)_sys_s", median(runs.map(\.run.systemSeconds)), unit: "CPU-s", label: "\(name): system CPU")
        }
        report.addRatio(
            "es_time_to_target_one_process_over_service", median(dev.map(\.secondsToTarget)),
            over: median(local.map(\.secondsToTarget)), label: "time to 500: one process / service", target: 1)
        report.addRatio(
            "es_env_steps_per_s_service_over_one_process", median(local.map(\.envStepsPerSecond)),
            over: median(dev.map(\.envStepsPerSecond)), label: "env steps/s: service / one process")
        print(report.render(json: options.json))
    }

    /// One run's figures, from its statistics log.
    struct Figures {
        let secondsToTarget: Double
        let epochsToTarget: Double
        let envStepsPerSecond: Double
        /// The run's wall and CPU seconds.
        let run: ChildRun

        init(_ run: ChildRun, runner: String) throws {
            let log = try ScalarLog(contentsOf: run.statsFolder.appendingPathComponent("stats/stats.jsonl"))
            guard let solved = log.records.firstIndex(where: { ($0.values[ESBench.evaluation] ?? 0) >= ESBench.target })
            else {
                throw BenchError.workloadFailed(
                    "runner=\(runner) did not evaluate \(ESBench.target) within \(log.records.count) epochs "
                        + "(raise --epochs)")
            }
            secondsToTarget = log.records[solved].wallTime - run.startedAt
            epochsToTarget = Double(solved + 1)
            // Each update evaluates `n_rollouts_per_update` perturbed episodes (dev) or exactly as many (the service's
            // batches of one pair); their mean length is logged under one of two keys.
            let config = try ConfigNode(
                yaml: String(contentsOf: run.statsFolder.appendingPathComponent("config.yaml"), encoding: .utf8))
            guard case .int(let episodes) = config.node(at: ["algorithm", "n_rollouts_per_update"]) else {
                throw BenchError.workloadFailed("runner=\(runner) wrote no algorithm.n_rollouts_per_update")
            }
            let later = log.records.dropFirst()
            guard let first = log.records.first, let last = later.last, last.wallTime > first.wallTime else {
                throw BenchError.workloadFailed("runner=\(runner) logged fewer than 2 epochs")
            }
            let envSteps = later.reduce(0) { total, record in
                total + Double(episodes) * (ESBench.meanEpisodeLength.lazy.compactMap { record.values[$0] }.first ?? 0)
            }
            envStepsPerSecond = envSteps / (last.wallTime - first.wallTime)
            self.run = run
        }
    }

    static let evaluation = "eval/BaseEnvEvents/reward/mean"
    /// The mean length of the perturbed episodes: `runner=dev`'s key, the service's key.
    static let meanEpisodeLength = [
        "train/BaseEnvEvents/reward/mean_step_count", "train/BaseEnvEvents/episode_length/mean",
    ]
}
