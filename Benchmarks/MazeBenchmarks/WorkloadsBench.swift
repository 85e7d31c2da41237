import ArgumentParser
import CBLAS
import Foundation
import MazeConfig
import MazeDistributed
import MazeReporting
import MazeRun
import MazeTensor

/// `maze bench workloads`: Maze's default workloads (CartPole-v1, 256×256 tanh MLPs for policy and critic) trained
/// by child `maze run` processes, each figure next to its physical limit measured in the same run:
/// - PPO, `runner=dev`: the update's GFLOP/s (forward and backward of both networks, counted from the saved
///   weights' shapes, over the run's own `time_update`) as a ratio of `cblas_sgemm` on the same products with the
///   same BLAS threads;
/// - IMPALA, `runner=local`: trained samples/s as a ratio of the networks' own forward+backward rate on the
///   learner's batch with the cores the actors leave; the samples trained on over those received from the actors
///   (the learner's own counters);
/// - for both, wall time with the user and system CPU seconds of the run and its actors.
struct WorkloadsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workloads",
        abstract: "PPO (runner=dev) and IMPALA (runner=local) on Maze's defaults against sgemm and forward+backward.",
        discussion: """
            Runs `maze run -cn conf_train env=gym_env env.name=CartPole-v1 algorithm=ppo runner=dev \
            algorithm.n_epochs=3`, then the same with `algorithm=impala runner=local`, as child processes of the \
            `maze` next to maze-bench (build both with -c release), and measures the baselines in this process.
            """)

    @OptionGroup var options: BenchOptions

    @Option(help: "Training epochs of each run (algorithm.n_epochs).")
    var epochs = 3

    func validate() throws {
        guard epochs >= 2 else { throw ValidationError("--epochs must be at least 2 (epoch times are differences).") }
    }

    func run() throws {
        // The BLAS threads of the `maze` children (one unless the environment chooses), so the baselines
        // measured here run with the same threads as the runs they are compared with.
        BLASThreads.applyProcessDefault()
        let maze = try MazeExecutable.path()
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-bench-workloads-\(ProcessInfo.processInfo.processIdentifier)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let common = [
            "run", "-cn", "conf_train", "env=gym_env", "env.name=CartPole-v1", "algorithm.n_epochs=\(epochs)",
        ]
        var report = BenchmarkReport(title: "workloads: Maze defaults on CartPole-v1, \(epochs) epochs")

        progress("workloads: PPO, runner=dev")
        let ppo = try ChildRun.run(
            maze, common + ["algorithm=ppo", "runner=dev"], in: directory.appendingPathComponent("ppo"))
        try addPPOFigures(ppo, to: &report)
        progress("workloads: IMPALA, runner=local")
        let impala = try ChildRun.run(
            maze, common + ["algorithm=impala", "runner=local"], in: directory.appendingPathComponent("impala"))
        try addIMPALAFigures(impala, to: &report)
        for (key, name, run) in [("ppo_dev", "PPO runner=dev", ppo), ("impala_local", "IMPALA runner=local", impala)] {
            report.add("\(key)_wall_s", run.wallSeconds, unit: "s", label: "\(name): wall time")
            report.add("\(key)_user_s", run.userSeconds, unit: "CPU-s", label: "\(name): user CPU")
            report.add("\(key)_sys_s", run.systemSeconds, unit: "CPU-s", label: "\(name): system CPU")
            report.addRatio(
                "\(key)_sys_over_user", run.systemSeconds, over: run.userSeconds, label: "\(name): sys / user")
        }
        print(report.render(json: options.json))
    }

    /// The PPO update's GFLOP/s over `cblas_sgemm` replaying its products at the minibatch size.
    private func addPPOFigures(_ run: ChildRun, to report: inout BenchmarkReport) throws {
        let settings = try RunSettings(folder: run.statsFolder)
        let networks = try DenseNetworks(contentsOf: run.statsFolder.appendingPathComponent(Self.weightsFile))
        let samplesPerUpdate = try settings.int("algorithm", "n_rollout_steps") * settings.int("runner", "concurrency")
        let flopsPerUpdate = Double(
            try settings.int("algorithm", "n_optimization_epochs") * samplesPerUpdate * networks.trainingFlopsPerSample)
        let updateSeconds = try median(Self.laterEpochs(settings.log.series(Self.timeUpdate), what: Self.timeUpdate))
        let minibatch = try settings.int("algorithm", "batch_size")
        let threads = Int(openblas_get_num_threads())
        let replays = networks.chains.values.map { GemmReplay(sizes: $0, batch: minibatch) }
        let sgemm =
            medianRate(seconds: options.seconds, repeats: options.repeats) {
                for replay in replays {
                    replay.forward()
                    replay.backward()
                }
                return replays.reduce(0) { $0 + $1.trainingFlops }
            } / 1e9
        let update = flopsPerUpdate / updateSeconds / 1e9
        report.add("ppo_update_s", updateSeconds, unit: "s", label: "PPO time_update, median of epochs 2…")
        report.add("ppo_update_gflops", update, unit: "GFLOP/s", label: "PPO update, fwd+bwd of both networks")
        report.add(
            "ppo_sgemm_gflops", sgemm, unit: "GFLOP/s",
            label: "sgemm, the same products at batch \(minibatch), \(threads) thread(s) (baseline)")
        report.addRatio("ppo_update_over_sgemm", update, over: sgemm, label: "PPO update / sgemm", target: 0.6)
    }

    /// IMPALA's trained samples/s over the networks' forward+backward rate, and the share of the actors' samples
    /// the learner trained on.
    private func addIMPALAFigures(_ run: ChildRun, to report: inout BenchmarkReport) throws {
        let settings = try RunSettings(folder: run.statsFolder)
        let batch =
            try settings.int("algorithm", "actors_batch_size") * settings.int("algorithm", "n_rollout_steps")
            * LocalRunPlan.envsPerActor
        let samplesPerEpoch = Double(try settings.int("algorithm", "epoch_length") * batch)
        // Epoch times are differences of the epochs' log times: every epoch but the first.
        let epochEnds = settings.log.records.map(\.wallTime)
        let trained = samplesPerEpoch / median(zip(epochEnds, epochEnds.dropFirst()).map { $1 - $0 })
        let actors = Self.actorEnvStepsPerSecond(run.output)

        let cores = ProcessInfo.processInfo.activeProcessorCount
        let actorCount = Self.actorCount(run.output) ?? LocalRunPlan.actorCPUs(of: cores)
        // One core per actor process; the learner has the rest (its own, `LocalRunPlan.learnerCPUs`, at least).
        let threads = max(LocalRunPlan.learnerCPUs, cores - actorCount)
        let limit = try forwardBackwardRate(yaml: settings.yaml, batch: batch, threads: threads)

        report.add(
            "impala_trained_samples_per_s", trained, unit: "samples/s", label: "IMPALA, samples trained per second")
        report.add(
            "impala_forward_backward_samples_per_s", limit, unit: "samples/s",
            label: "fwd+bwd of both networks, batch \(batch), \(threads) thread(s) (baseline)")
        report.addRatio(
            "impala_trained_over_forward_backward", trained, over: limit, label: "IMPALA trained / fwd+bwd",
            target: 0.7)
        report.add(
            "impala_actor_env_steps_per_s", actors, unit: "steps/s", label: "\(actorCount) actors' env steps/s")
        let work = try Self.learnerWork(run.output)
        report.add(
            "impala_samples_received", Double(work.received), unit: "samples",
            label: "samples the learner received from the actors")
        report.add("impala_samples_trained", Double(work.trained), unit: "samples", label: "samples trained on")
        report.addRatio(
            "impala_trained_over_received", Double(work.trained), over: Double(work.received),
            label: "actor work trained on (learner counters)", target: 0.95)
    }

    /// Samples per second of a forward and backward pass of the config's networks on `batch` rows, on `threads`
    /// BLAS threads (restored afterwards).
    private func forwardBackwardRate(yaml: String, batch: Int, threads: Int) throws -> Double {
        let model = try ClusterWorkload.model(of: ExperimentConfig(yaml: yaml, algorithm: "impala"))
        let policy = try model.policy()
        let observations = try ClusterWorkload.randomRows(batch, width: policy.observationWidth, seed: 4) {
            Float($0.nextUniform(-0.05, 0.05))
        }
        let actions = try ClusterWorkload.randomRows(batch, width: policy.actionWidth, seed: 5) {
            Float($0.nextInt(below: 2))
        }
        let tape = Tape()
        let previous = openblas_get_num_threads()
        openblas_set_num_threads(Int32(threads))
        defer { openblas_set_num_threads(previous) }
        return try medianRate(seconds: options.seconds, repeats: options.repeats) {
            try ClusterWorkload.forwardBackward(model, observations: observations, actions: actions, on: tape)
            return batch
        }
    }

    static let weightsFile = "checkpoints/last/state_dict.safetensors"
    static let timeUpdate = "train/MultiStepActorCriticEvents/time_update"

    /// The values of the epochs after the first (which includes start-up), or all if there is only one.
    static func laterEpochs(_ series: [(step: Int, value: Double)], what: String) throws -> [Double] {
        guard !series.isEmpty else { throw BenchError.workloadFailed("the run logged no \(what)") }
        return series.count > 1 ? series.dropFirst().map(\.value) : series.map(\.value)
    }

    /// The median of the env steps/s that `runner=local`'s progress lines report after the first epoch.
    static func actorEnvStepsPerSecond(_ output: String) -> Double {
        median(
            output.split(separator: "\n").compactMap { line -> Double? in
                guard line.contains(" running: epoch "), !line.contains(" running: epoch 0,"),
                    let range = line.range(of: #"[0-9.]+(?= env steps/s)"#, options: .regularExpression)
                else { return nil }
                return Double(line[range])
            })
    }

    /// The samples the learner trained on and received, from the line `runner=local` prints at the end
    /// (`LocalRunner.workLine`).
    static func learnerWork(_ output: String) throws -> (trained: Int, received: Int) {
        let pattern = #"Learner: trained on ([0-9]+) of ([0-9]+) samples received"#
        guard let match = output.firstMatch(of: try Regex(pattern)), match.count == 3,
            let trained = match[1].substring.flatMap({ Int($0) }),
            let received = match[2].substring.flatMap({ Int($0) })
        else { throw BenchError.workloadFailed("the local run printed no learner work line") }
        return (trained, received)
    }

    /// The actor processes `runner=local` says it started.
    static func actorCount(_ output: String) -> Int? {
        let pattern = #"[0-9]+(?= actor process)"#
        guard let range = output.range(of: pattern, options: .regularExpression) else { return nil }
        return Int(output[range])
    }
}

/// A finished run's composed `config.yaml` and its statistics log.
private struct RunSettings {
    let yaml: String
    let config: ConfigNode
    let log: ScalarLog

    init(folder: URL) throws {
        yaml = try String(contentsOf: folder.appendingPathComponent("config.yaml"), encoding: .utf8)
        config = try ConfigNode(yaml: yaml)
        log = try ScalarLog(contentsOf: folder.appendingPathComponent("stats/stats.jsonl"))
    }

    /// The integer at `path` of the config.
    func int(_ path: String...) throws -> Int {
        guard case .int(let value) = config.node(at: path) else {
            throw BenchError.workloadFailed("the run's config has no integer \(path.joined(separator: "."))")
        }
        return value
    }
}
