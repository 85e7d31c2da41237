import Foundation
import MazeDistributed
import MazeRun
import MazeService
import MazeWire
import MazeZMQ

/// A learner served in this process with a `CountingLearner`, and `workers` `maze actor --worker` processes of
/// the `maze` next to `maze-bench`, connected to it over ipc://, running one submitted experiment: what `maze bench cluster`
/// measures actor throughput and batch accounting on.
///
/// `run(_:)` stops every worker (SIGTERM, then SIGKILL after the cluster's grace period) and the learner
/// whatever happens, also when the body throws.
final class BenchCluster {
    /// Batches received and reported per worker once traffic settled.
    struct Accounting {
        var received: UInt64 = 0
        var reported: UInt64 = 0
        /// Σ over workers of batches reported but not received.
        var lost: UInt64 = 0
        /// Σ over workers of batches received more often than reported.
        var duplicated: UInt64 = 0

        static func += (total: inout Accounting, run: Accounting) {
            total.received += run.received
            total.reported += run.reported
            total.lost += run.lost
            total.duplicated += run.duplicated
        }
    }

    let workers: Int
    private let learner: InProcessLearner
    private let cluster: LocalCluster
    private let client: ControlClient
    private let experimentID: String

    /// Starts the learner, submits `configYAML` and starts the workers, each stepping `envs` environments, runs
    /// `body`, then stops everything.
    /// With `training`, the learner is the real one (`ActorCriticLearner`) instead of a `CountingLearner`;
    /// `flowControl` is the learner's credit-based flow control.
    static func run<Result>(
        workers: Int, envs: Int, configYAML: String, weights: [String: WireTensor], batchesPerUpdate: Int,
        training: Bool = false, flowControl: Bool = true, _ body: (BenchCluster) throws -> Result
    ) throws -> Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("maze-bench-cluster-\(ProcessInfo.processInfo.processIdentifier)-\(workers)")
        // Workers run the `maze` next to `maze-bench`.
        let executable = try MazeExecutable.path()
        let cluster = try LocalCluster(executable: executable, directory: directory)
        defer { cluster.shutDown() }
        var configuration = cluster.learnerConfiguration(outputs: directory)
        configuration.flowControl = flowControl
        let learner = cluster.startLearner(configuration) { configuration in
            training
                ? InProcessLearner(configuration: configuration) { record in
                    try ActorCriticLearner(
                        config: ExperimentConfig(yaml: record.configYAML, algorithm: record.algorithm),
                        configYAML: record.configYAML, outputDirectory: nil)
                }
                : InProcessLearner(configuration: configuration) { _ in
                    CountingLearner(batchesPerUpdate: batchesPerUpdate, weights: weights)
                }
        }

        let client = try ControlClient(
            endpoints: cluster.endpoints, security: .insecure, timeout: .seconds(30), in: ZMQContext())
        let experimentID: String
        do {
            experimentID = try client.submit(Submit(configYAML: configYAML))
        } catch {
            throw BenchError.clusterFailed("the learner did not take the experiment (\(learner.failure ?? "\(error)"))")
        }

        try cluster.startActors(
            (0..<workers).map { LocalCluster.workerArguments(base: cluster.base, index: $0, envs: envs) })
        let bench = BenchCluster(
            workers: workers, learner: learner, cluster: cluster, client: client, experimentID: experimentID)
        try bench.waitUntilEveryWorkerSends()
        return try body(bench)
    }

    private init(
        workers: Int, learner: InProcessLearner, cluster: LocalCluster, client: ControlClient, experimentID: String
    ) {
        self.workers = workers
        self.learner = learner
        self.cluster = cluster
        self.client = client
        self.experimentID = experimentID
    }

    /// Env steps per second over all workers, counted from the batches the learner received in `repeats`
    /// windows of `seconds` each (medians), after a warm-up of half a window: per second of wall-clock time,
    /// and per second of the workers' CPU time (`nil` where the OS does not tell it).
    func envStepsPerSecond(seconds: Double, repeats: Int, stepsPerBatch: Int) throws -> (wall: Double, cpu: Double?) {
        Thread.sleep(forTimeInterval: seconds / 2)
        var (wallRates, cpuRates) = ([Double](), [Double]())
        for _ in 0..<repeats {
            let (start, startCPU, before) = (BenchClock.wall.seconds, workersCPUSeconds(), receivedBatches())
            Thread.sleep(forTimeInterval: seconds)
            let (end, endCPU, after) = (BenchClock.wall.seconds, workersCPUSeconds(), receivedBatches())
            try checkHealth()
            let steps = Double((after - before) * UInt64(stepsPerBatch))
            wallRates.append(steps / (end - start))
            if let startCPU, let endCPU, endCPU > startCPU { cpuRates.append(steps / (endCPU - startCPU)) }
        }
        let median = { (rates: [Double]) in rates.sorted()[rates.count / 2] }
        return (median(wallRates), cpuRates.count == repeats ? median(cpuRates) : nil)
    }

    /// User plus system CPU seconds the worker processes have used, from `/proc/<pid>/stat` (Linux only).
    private func workersCPUSeconds() -> Double? {
        #if os(Linux)
            let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
            var total = 0.0
            for pid in cluster.actors.map(\.processIdentifier) {
                guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                    let close = stat.lastIndex(of: ")")
                else { return nil }
                // After "pid (comm)": state is field 3, utime and stime are fields 14 and 15.
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
                    return nil
                }
                total += (user + system) / ticksPerSecond
            }
            return total
        #else
            return nil
        #endif
    }

    /// Cancels the experiment, lets the workers' heartbeats catch up with their last batches, and compares
    /// what each worker reports having sent with what the learner received from it.
    func settledAccounting() throws -> Accounting {
        _ = try client.cancel(experimentID)
        // A worker may finish the rollout it is collecting when the stop arrives; its next heartbeat (every
        // second) reports that batch too.
        Thread.sleep(forTimeInterval: 1.5)
        let deadline = Date().addingTimeInterval(5)
        var snapshot = learner.metrics.snapshot
        while snapshot.batchesReceived != snapshot.batchesReported, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            snapshot = learner.metrics.snapshot
        }
        try checkHealth()
        var accounting = Accounting()
        for actor in Set(snapshot.batchesReceived.keys).union(snapshot.batchesReported.keys) {
            let (received, reported) = (snapshot.batchesReceived[actor] ?? 0, snapshot.batchesReported[actor] ?? 0)
            accounting.received += received
            accounting.reported += reported
            accounting.lost += reported > received ? reported - received : 0
            accounting.duplicated += received > reported ? received - reported : 0
        }
        return accounting
    }

    /// Over `seconds` after a warm-up of half of it: the fraction of the batches the learner received that it
    /// trained on, and the env steps per second it trained on.
    func trainingFigures(seconds: Double, stepsPerBatch: Int) throws -> (
        trainedFraction: Double, samplesPerSecond: Double
    ) {
        Thread.sleep(forTimeInterval: seconds / 2)
        let (start, trainedBefore, receivedBefore) = (
            BenchClock.wall.seconds, learner.metrics.snapshot.batchesTrained, receivedBatches()
        )
        Thread.sleep(forTimeInterval: seconds)
        let (end, trainedAfter, receivedAfter) = (
            BenchClock.wall.seconds, learner.metrics.snapshot.batchesTrained, receivedBatches()
        )
        try checkHealth()
        let trained = Double(trainedAfter - trainedBefore)
        return (
            trained / max(1, Double(receivedAfter - receivedBefore)), trained * Double(stepsPerBatch) / (end - start)
        )
    }

    private func receivedBatches() -> UInt64 {
        learner.metrics.snapshot.batchesReceived.values.reduce(0, +)
    }

    /// Waits until the learner has received a batch from every worker.
    private func waitUntilEveryWorkerSends() throws {
        let deadline = Date().addingTimeInterval(60 + 5 * Double(workers))
        while learner.metrics.snapshot.batchesReceived.count < workers {
            try checkHealth()
            guard Date() < deadline else {
                let seen = learner.metrics.snapshot.batchesReceived.count
                let failure = (try? client.status())?.first { $0.experimentID == experimentID }?.failure
                throw BenchError.clusterFailed(
                    "only \(seen) of \(workers) workers sent a batch within the time limit"
                        + (failure.map { "; the experiment failed: \($0)" } ?? ""))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Fails if the learner stopped or a worker exited: the figures would not be what they claim.
    private func checkHealth() throws {
        guard learner.isRunning else {
            throw BenchError.clusterFailed("the learner stopped: \(learner.failure ?? "no reason given")")
        }
        if let exited = cluster.actors.firstIndex(where: { !$0.isRunning }) {
            let status = cluster.actors[exited].terminationStatus
            throw BenchError.clusterFailed("worker \(exited) exited during the measurement (status \(status))")
        }
    }
}

/// Why `maze bench cluster` could not produce its figures, or found them inconsistent.
enum BenchError: Error, CustomStringConvertible {
    case clusterFailed(String)
    case batchesDisagree(received: UInt64, reported: UInt64)
    /// `maze-bench` starts `maze` processes and found none next to it, at this path.
    case mazeMissing(String)
    case workloadFailed(String)

    var description: String {
        switch self {
        case .clusterFailed(let reason): "cluster benchmark failed: \(reason)"
        case .batchesDisagree(let received, let reported):
            "the learner received \(received) batches, the workers reported \(reported): batches were lost or duplicated"
        case .mazeMissing(let path):
            "the benchmark starts `maze` processes and found no \(path); build it: swift build -c release --product maze"
        case .workloadFailed(let reason): "workload benchmark failed: \(reason)"
        }
    }
}
