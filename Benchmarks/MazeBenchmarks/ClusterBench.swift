import ArgumentParser
import Foundation
import MazeCore
import MazeDistributed
import MazePerception
import MazeService
import MazeTensor
import MazeWire
import MazeZMQ

/// `maze bench cluster`: the actor-learner service on this machine — actor throughput with 1–8 worker
/// processes, one actor against the policy's forward pass, the IMPALA learner against forward+backward, weight
/// broadcast latency, trajectory transfer against C, and batch accounting — every baseline measured in this run.
struct ClusterBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract:
            "Actor workers, IMPALA learner, weight broadcast and trajectory transfer of the service, against baselines.",
        discussion: """
            Starts an in-process learner that only counts batches and 1, 2, 4 and 8 `maze actor --worker` processes \
            of this executable (CartPole-v1, 64×64 MLP), then measures the learner, the broadcast and the transport \
            in this process. Then trains IMPALA (with and without the learner's flow control) and PPO with 8 workers \
            and the real learner, and prints the fraction of the produced batches it trained on. Fails (exit 1) if \
            the learner did not receive exactly the batches the workers reported. With --max-policy-lag, only \
            trains IMPALA with flow control once per given `algorithm.max_policy_lag` and prints those figures.
            """
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "Environments each actor worker steps together (the forward pass's batch size).")
    var envs = 8

    @Option(
        name: .customLong("max-policy-lag"), parsing: .upToNextOption,
        help: "Only measure IMPALA's trained fraction and learner samples/s at each of these max_policy_lag values.")
    var maxPolicyLags: [Int] = []

    private static let workerCounts = [1, 2, 4, 8]
    private static let subscriberCounts = [8, 64]

    func validate() throws {
        guard envs >= 1 else { throw ValidationError("--envs must be at least 1.") }
        guard maxPolicyLags.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--max-policy-lag must be at least 0.")
        }
    }

    func run() throws {
        guard maxPolicyLags.isEmpty else {
            var report = BenchmarkReport(title: "cluster")
            try addPolicyLagFigures(to: &report)
            print(report.render(json: options.json))
            return
        }
        let workload = try ClusterWorkload(envs: envs)
        var report = BenchmarkReport(title: "cluster")
        var accounting = BenchCluster.Accounting()
        try addActorFigures(to: &report, accounting: &accounting, workload: workload)
        try addLearnerFigures(to: &report, workload: workload)
        try addTrainedFractionFigures(to: &report, workload: workload)
        try addBroadcastFigures(to: &report)
        try addTrajectoryTransferFigures(to: &report, workload: workload)
        report.add(
            "batches_reported", Double(accounting.reported), unit: "batches",
            label: "batches the workers reported sending")
        report.add(
            "batches_received", Double(accounting.received), unit: "batches", label: "batches the learner received")
        report.add(
            "batches_lost_or_duplicated", Double(accounting.lost + accounting.duplicated), unit: "batches",
            label: "lost or duplicated (must be 0)")
        print(report.render(json: options.json))
        guard accounting.lost == 0, accounting.duplicated == 0, accounting.received == accounting.reported else {
            throw BenchError.batchesDisagree(received: accounting.received, reported: accounting.reported)
        }
    }

    /// Aggregate env steps/s per worker count, and one worker next to the policy's forward pass at its batch size.
    private func addActorFigures(
        to report: inout BenchmarkReport, accounting: inout BenchCluster.Accounting, workload: ClusterWorkload
    ) throws {
        let weights = try workload.learnerWeights()
        var singleCPU: Double?
        for workers in Self.workerCounts {
            progress("cluster: \(workers) actor worker process(es) × \(envs) envs")
            let rate = try BenchCluster.run(
                workers: workers, envs: envs, configYAML: workload.yaml, weights: weights,
                batchesPerUpdate: ClusterWorkload.batchesPerUpdate
            ) { cluster in
                let rate = try cluster.envStepsPerSecond(
                    seconds: options.seconds, repeats: options.repeats, stepsPerBatch: workload.stepsPerBatch)
                accounting += try cluster.settledAccounting()
                return rate
            }
            if workers == 1 { singleCPU = rate.cpu }
            report.add(
                "actor_env_steps_per_s_\(workers)_workers", rate.wall, unit: "steps/s",
                label: "env steps/s, \(workers) worker(s) × \(envs) envs")
        }

        progress("cluster: policy forward pass at batch \(envs)")
        let model = try workload.model()
        let policy = try model.policy()
        let observations = try ClusterWorkload.randomRows(envs, width: policy.observationWidth, seed: 3) {
            Float($0.nextUniform(-0.05, 0.05))
        }
        let forward = try medianRate(seconds: options.seconds, repeats: options.repeats, clock: .threadCPU) {
            _ = try policy.network(observations, model.parameters)
            return envs
        }
        report.add(
            "actor_env_steps_per_cpu_s", singleCPU ?? .nan, unit: "steps/CPU-s",
            label: "1 worker, env steps per CPU second")
        report.add(
            "policy_forward_samples_per_cpu_s", forward, unit: "samples/CPU-s",
            label: "policy forward only, batch \(envs) (baseline)")
        report.addRatio(
            "actor_over_forward", singleCPU ?? .nan, over: forward, label: "1 worker env steps / forward samples",
            target: 0.5)
    }

    /// IMPALA and PPO trained by the real learner with 8 workers: the fraction of the batches the workers produced
    /// that the learner trained on, and its samples/s, with the learner's flow control and (baseline) without.
    private func addTrainedFractionFigures(to report: inout BenchmarkReport, workload: ClusterWorkload) throws {
        let workers = 8
        let window = options.seconds * Double(options.repeats) * 5
        var figures: [Bool: (trainedFraction: Double, samplesPerSecond: Double)] = [:]
        for flowControl in [false, true] {
            progress("cluster: IMPALA learner with \(workers) workers, flow control \(flowControl ? "on" : "off")")
            figures[flowControl] = try BenchCluster.run(
                workers: workers, envs: envs, configYAML: workload.yaml, weights: [:],
                batchesPerUpdate: ClusterWorkload.batchesPerUpdate, training: true, flowControl: flowControl
            ) { try $0.trainingFigures(seconds: window, stepsPerBatch: workload.stepsPerBatch) }
        }
        let (with, without) = (figures[true] ?? (.nan, .nan), figures[false] ?? (.nan, .nan))
        for (suffix, setting, run) in [
            ("", "flow control", with), ("_no_flow_control", "no flow control (baseline)", without),
        ] {
            Self.addIMPALAFigures(
                to: &report, workers: workers, suffix: suffix, setting: setting, run: run,
                fractionTarget: " (target ≥ 0.95)")
        }
        report.addRatio(
            "impala_learner_samples_flow_control", with.samplesPerSecond, over: without.samplesPerSecond,
            label: "learner samples/s with / without flow control", target: 1)

        progress("cluster: PPO learner with \(workers) workers")
        let ppo = try ClusterWorkload(envs: envs, ppo: true)
        let ppoFigures = try BenchCluster.run(
            workers: workers, envs: envs, configYAML: ppo.yaml, weights: [:],
            batchesPerUpdate: ClusterWorkload.batchesPerUpdate,
            training: true
        ) { try $0.trainingFigures(seconds: window, stepsPerBatch: ppo.stepsPerBatch) }
        report.add(
            "ppo_\(workers)_workers_discarded_fraction", 1 - ppoFigures.trainedFraction, unit: "",
            label: "PPO, \(workers) workers: produced batches discarded (target ≤ 0.05)")
    }

    /// IMPALA trained by the real learner with 8 workers and flow control at each of `maxPolicyLags`: the fraction
    /// of the produced batches it trained on and its samples/s, each lag in its own cluster.
    private func addPolicyLagFigures(to report: inout BenchmarkReport) throws {
        let workers = 8
        let window = options.seconds * Double(options.repeats) * 5
        for lag in maxPolicyLags {
            progress("cluster: IMPALA learner with \(workers) workers, max_policy_lag \(lag)")
            let workload = try ClusterWorkload(envs: envs, maxPolicyLag: lag)
            let run = try BenchCluster.run(
                workers: workers, envs: envs, configYAML: workload.yaml, weights: [:],
                batchesPerUpdate: ClusterWorkload.batchesPerUpdate, training: true
            ) { try $0.trainingFigures(seconds: window, stepsPerBatch: workload.stepsPerBatch) }
            Self.addIMPALAFigures(
                to: &report, workers: workers, suffix: "_lag_\(lag)", setting: "max_policy_lag \(lag)", run: run)
        }
    }

    /// One IMPALA training run's trained fraction and learner samples/s, keyed by `suffix` and labelled by `setting`.
    private static func addIMPALAFigures(
        to report: inout BenchmarkReport, workers: Int, suffix: String, setting: String,
        run: (trainedFraction: Double, samplesPerSecond: Double), fractionTarget: String = ""
    ) {
        report.add(
            "impala_\(workers)_workers_trained_fraction\(suffix)", run.trainedFraction, unit: "",
            label: "IMPALA, \(workers) workers, \(setting): produced batches trained on\(fractionTarget)")
        report.add(
            "impala_\(workers)_workers_learner_samples_per_s\(suffix)", run.samplesPerSecond, unit: "samples/s",
            label: "IMPALA, \(workers) workers, \(setting): env steps trained on per second")
    }

    /// The IMPALA update on 4 batches of 32 steps × `envs`, next to forward+backward of the same networks.
    private func addLearnerFigures(to report: inout BenchmarkReport, workload: ClusterWorkload) throws {
        progress(
            "cluster: IMPALA learner on \(ClusterWorkload.batchesPerUpdate) batches of \(workload.stepsPerBatch) steps")
        let batches = try workload.batches(ClusterWorkload.batchesPerUpdate)
        let samples = batches.reduce(0) { $0 + $1.steps * $1.envs }
        var learner = try ActorCriticLearner(config: workload.config, configYAML: workload.yaml, outputDirectory: nil)
        let model = try workload.model()
        let policy = try model.policy()
        let observations = try ClusterWorkload.randomRows(samples, width: policy.observationWidth, seed: 4) {
            Float($0.nextUniform(-0.05, 0.05))
        }
        let actions = try ClusterWorkload.randomRows(samples, width: policy.actionWidth, seed: 5) {
            Float($0.nextInt(below: 2))
        }
        let tape = Tape()
        let (forwardBackward, learnerRate) = try interleavedMedianRates(
            options: options, clock: .threadCPU,
            {
                try ClusterWorkload.forwardBackward(model, observations: observations, actions: actions, on: tape)
                return samples
            },
            {
                try learner.update(with: batches)
                return samples
            })
        report.add(
            "impala_learner_samples_per_cpu_s", learnerRate, unit: "samples/CPU-s",
            label: "IMPALA learner update, batch \(samples)")
        report.add(
            "forward_backward_samples_per_cpu_s", forwardBackward, unit: "samples/CPU-s",
            label: "policy+critic forward+backward, batch \(samples) (baseline)")
        report.addRatio(
            "learner_over_forward_backward", learnerRate, over: forwardBackward, label: "learner / forward+backward",
            target: 0.5)
    }

    /// Publish → decoded latency to 8 and 64 subscribers of the weights a 100×100 model broadcasts (~21k parameters).
    private func addBroadcastFigures(to report: inout BenchmarkReport) throws {
        let weights = try ClusterWorkload(envs: envs, hiddenUnits: [100, 100]).learnerWeights()
        let parameters = weights.values.reduce(0) { $0 + $1.elementCount }
        for subscribers in Self.subscriberCounts {
            progress("cluster: weight broadcast of \(parameters) parameters to \(subscribers) subscribers")
            let rounds = max(20, Int(options.seconds * Double(options.repeats) * 100 / Double(subscribers)))
            let latency = try BroadcastLatency.measure(weights: weights, subscribers: subscribers, rounds: rounds)
            report.add(
                "broadcast_\(subscribers)_median_ms", latency.median.inSeconds * 1e3, unit: "ms",
                label: "\(parameters) weights to \(subscribers) subscribers, median")
            report.add(
                "broadcast_\(subscribers)_p99_ms", latency.p99.inSeconds * 1e3, unit: "ms",
                label: "\(parameters) weights to \(subscribers) subscribers, p99")
        }
    }

    /// Real `TrajectoryBatch` frames, encoded by the sender and decoded by the receiver as worker and learner do,
    /// against the C baseline moving frames of the same size.
    private func addTrajectoryTransferFigures(to report: inout BenchmarkReport, workload: ClusterWorkload) throws {
        guard let batch = try workload.batches(1).first else { return }
        let message = WireMessage.trajectoryBatch(batch)
        let frameBytes = try message.encode().count
        progress("cluster: TrajectoryBatch frames of \(frameBytes) bytes over PUSH→PULL")
        let count = max(64, (64 << 20) / frameBytes)
        let (baseline, swift) = try interleavedMedianRates(
            options: options,
            { try PushPullTransfer.c(count: count, size: frameBytes) },
            {
                try PushPullTransfer.swift(
                    count: count,
                    makeMessage: {
                        let frame = try message.encode().releaseBuffer()
                        return try ZMQMessage(takingMallocBuffer: frame.base, count: frame.count)
                    }
                ) { received in
                    let decoded = try received.withUnsafeBytes { bytes in try WireMessage.decode(bytes) }
                    guard case .trajectoryBatch = decoded else {
                        throw BenchError.clusterFailed(
                            "a \(decoded.type.rawValue) arrived instead of a TrajectoryBatch")
                    }
                }
            })
        report.add(
            "trajectory_push_pull_c_mb_per_s", baseline / 1e6, unit: "MB/s",
            label: "C PUSH→PULL \(frameBytes) B frames (baseline)")
        report.add(
            "trajectory_push_pull_mb_per_s", swift / 1e6, unit: "MB/s", label: "TrajectoryBatch encode→PUSH→PULL→decode"
        )
        report.addRatio("trajectory_over_c", swift, over: baseline, label: "TrajectoryBatch / C at the same frame size")
    }
}
