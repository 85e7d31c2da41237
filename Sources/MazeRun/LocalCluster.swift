import Foundation
import MazeService
import MazeSystem

/// A learner and its actors on this machine, talking plaintext over `ipc://` sockets in a private folder: what
/// `maze run … runner=local`, `maze bench cluster` and the service's end-to-end tests start.
///
/// The learner is served in this process (`startLearner`) or runs as a `maze learner` process
/// (`startLearnerProcess`); actors are `maze actor --worker` processes (`startActors`) or one
/// `maze actor --workers N` supervisor (`startActorSupervisor`), all of the same `maze` executable. `shutDown()`
/// (also run when the cluster goes away) stops every process with SIGTERM (the learner checkpoints, workers finish
/// their step), SIGKILL after the grace period, then the in-process learner, and removes the folder.
/// Used from the thread that made it.
public final class LocalCluster {
    /// The private folder holding the sockets; removed by `shutDown()`.
    public let directory: URL
    /// The learner's base endpoint, `ipc://<directory>/sockets`.
    public let base: String
    public let endpoints: ServiceEndpoints
    /// The `maze` executable the processes run.
    public let executable: String
    /// The actor processes started so far, in start order.
    public private(set) var actors: [ChildProcess] = []
    private let processes: ProcessGroup
    private var learner: InProcessLearner?
    private var isShutDown = false

    /// Environment of every process: one BLAS thread each, so processes do not oversubscribe the cores.
    private static let environment = ["OPENBLAS_NUM_THREADS": "1"]

    /// Creates `directory` (private to this user) and the folder of its sockets; `terminationGrace` is the time
    /// between SIGTERM and SIGKILL.
    public init(executable: String, directory: URL, terminationGrace: Duration = .seconds(10)) throws {
        self.executable = executable
        self.directory = directory
        base = Self.base(in: directory)
        endpoints = try ServiceEndpoints(base: base)
        processes = ProcessGroup(terminationGrace: terminationGrace)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // ipc:// binds need the folder of their socket files.
        if case .ipc(let sockets) = endpoints.transport {
            try FileManager.default.createDirectory(atPath: sockets, withIntermediateDirectories: true)
        }
    }

    /// The base endpoint of a cluster whose sockets live in `directory`.
    public static func base(in directory: URL) -> String { "ipc://\(directory.path)/sockets" }

    /// The arguments of actor worker `index` stepping `envs` environments for the learner at `base` (no `--envs`
    /// when `nil`: the worker's default, e.g. for ES, whose workers evaluate one episode at a time).
    public static func workerArguments(base: String, index: Int, envs: Int?) -> [String] {
        ["actor", "--connect", base, "--insecure"] + (envs.map { ["--envs", String($0)] } ?? [])
            + ["--worker", "--worker-index", String(index)]
    }

    /// The learner's configuration: this cluster's endpoints, plaintext, experiments written into `outputs/<id>/`.
    public func learnerConfiguration(outputs: URL) -> LearnerConfiguration {
        LearnerConfiguration(endpoints: endpoints, security: .insecure, outputsDirectory: outputs)
    }

    /// Serves the learner `makeLearner` builds from `configuration` in this process; `shutDown()` stops it.
    @discardableResult
    public func startLearner(
        _ configuration: LearnerConfiguration, _ makeLearner: (LearnerConfiguration) -> InProcessLearner
    ) -> InProcessLearner {
        let learner = makeLearner(configuration)
        self.learner = learner
        return learner
    }

    /// Starts `maze learner` bound to this cluster, writing into `outputs`, with `extra` arguments.
    public func startLearnerProcess(outputs: URL, extra: [String] = []) throws -> ChildProcess {
        let arguments = ["learner", "--bind", base, "--insecure", "--outputs", outputs.path] + extra
        return try start(arguments, output: .captured)
    }

    /// Starts one actor process per entry of `arguments` (see `workerArguments`), the output of process `index`
    /// appended to `log(index)` or, without `log`, captured.
    public func startActors(_ arguments: [[String]], log: ((Int) -> URL)? = nil) throws {
        for (index, arguments) in arguments.enumerated() {
            actors.append(try start(arguments, output: log.map { .log($0(index)) } ?? .captured))
        }
    }

    /// Starts `maze actor --workers workers` connected to this cluster, with `extra` arguments.
    public func startActorSupervisor(workers: Int, envs: Int, extra: [String] = []) throws -> ChildProcess {
        let arguments = [
            "actor", "--connect", base, "--insecure", "--workers", String(workers), "--envs", String(envs),
        ]
        let supervisor = try start(arguments + extra, output: .captured)
        actors.append(supervisor)
        return supervisor
    }

    /// Stops every process and the in-process learner, waiting up to the grace period for each, and removes the
    /// folder. Later calls do nothing.
    public func shutDown() {
        guard !isShutDown else { return }
        isShutDown = true
        processes.terminateAll()
        learner?.stopAndWait(timeout: processes.terminationGrace.inSeconds)
        try? FileManager.default.removeItem(at: directory)
    }

    deinit {
        shutDown()
    }

    private func start(_ arguments: [String], output: ChildProcess.Output) throws -> ChildProcess {
        try processes.start(
            .init(executable: executable, arguments: arguments, environment: Self.environment, output: output))
    }
}
