import ArgumentParser
import Foundation
import MazeDistributed
import MazeService
import MazeSystem
import MazeTrain
import MazeZMQ

/// `maze learner`: the daemon that queues experiments, trains the current one on the actors' batches and
/// broadcasts its weights.
struct LearnerCommand: ComponentsCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner",
        abstract: "Run the learner daemon: experiment queue, training, weight broadcast.",
        discussion: """
            The learner binds three sockets from its base endpoint: control on port P, trajectories on P+1 and \
            weights on P+2 for tcp://HOST:P, or DIR/control.ipc, DIR/trajectories.ipc and DIR/weights.ipc for ipc://DIR. \
            Submit experiments with `maze submit`, start actors with `maze actor --connect`. Each experiment \
            writes config.yaml, train.log, its best model and checkpoints/ into OUTPUTS/<experiment id>/. \
            SIGTERM or Ctrl-C checkpoints the running experiment and exits; `--resume` continues it later.
            """
    )

    @Option(
        help: ArgumentHelp("Base endpoint: tcp://HOST:PORT (uses PORT..PORT+2) or ipc://DIR.", valueName: "endpoint"))
    var bind = "tcp://0.0.0.0:7000"

    @Option(
        help: ArgumentHelp(
            "Keys folder with learner.key_secret; every other *.key in it is an allowed key, with the rights of its "
                + "`role:` line (actor, submitter or operator; none = actor).", valueName: "dir"))
    var keys: String?

    @Flag(
        help: """
            Start even though learner.key_secret is readable by its group or others, or the allow-list is empty         (both refused otherwise).
            """)
    var allowUnsafeKeys = false

    @Flag(help: "Serve in plaintext (refused unless every endpoint is loopback or ipc://).")
    var insecure = false

    @Option(help: ArgumentHelp("Serve Prometheus metrics on HOST:PORT, e.g. 127.0.0.1:9100.", valueName: "address"))
    var metrics: String?

    @Flag(
        help: """
            Continue the queue found in --outputs, resuming the running experiment from its last checkpoint; with no \
            queue there yet, start an empty one (so service managers can always pass it).
            """)
    var resume = false

    @Option(help: ArgumentHelp("Folder for the queue state and every experiment's outputs.", valueName: "dir"))
    var outputs = "outputs/learner"

    @Option(help: "Updates between periodic checkpoints (at least 1).")
    var checkpointEvery = 100

    @Option(
        help: ArgumentHelp(
            "Refuse submitted experiments whose estimated memory (networks with gradients and Adam state, queued rollouts) "
                + "exceeds this; above it in resident memory, rebind the sockets to drop what peers left unfinished.",
            valueName: "mib"))
    var memoryBudgetMib = MemoryBudget.defaultMiB

    @Option(
        help: ArgumentHelp(
            "Largest inbound frame (trajectory batch or request) in MiB; larger ones are dropped and counted as oversized, "
                + "and a peer sending one over twice as large is disconnected.", valueName: "mib"))
    var maxFrameMib: Double = 256

    func validate() throws {
        guard checkpointEvery >= 1 else {
            throw ValidationError("--checkpoint-every must be at least 1, got \(checkpointEvery)")
        }
        guard memoryBudgetMib > 0 else {
            throw ValidationError("--memory-budget-mib must be positive, got \(memoryBudgetMib)")
        }
    }

    func run(with components: MazeComponents) throws {
        let outputsDirectory = URL(fileURLWithPath: outputs)
        let outputsLock = try DirectoryLock(directory: outputsDirectory, name: "learner.lock", purpose: "--outputs")
        defer { withExtendedLifetime(outputsLock) {} }
        let store = ExperimentStore(outputsDirectory: outputsDirectory)
        if !resume, FileManager.default.fileExists(atPath: store.url.path) {
            throw ValidationError(
                "\(outputs) already holds a learner's queue (\(store.url.lastPathComponent)): pass --resume to continue it, "
                    + "or choose another --outputs")
        }
        let endpoints = try ServiceEndpoints(base: bind)
        var socketsLock: DirectoryLock?
        if case .ipc(let directory) = endpoints.transport {
            socketsLock = try DirectoryLock(
                directory: URL(fileURLWithPath: directory), name: "sockets.lock", purpose: "ipc://")
        }
        defer { withExtendedLifetime(socketsLock) {} }
        let (security, roles) = try security()
        var configuration = LearnerConfiguration(
            endpoints: endpoints, security: security, outputsDirectory: outputsDirectory)
        configuration.keyRoles = roles
        configuration.checkpointEveryUpdates = checkpointEvery
        configuration.submissions.checkConfig = SubmissionPolicy.experimentCheck(
            memoryBudget: MemoryBudget(mebibytes: memoryBudgetMib),
            queueOutOfSyncFactor: configuration.queueOutOfSyncFactor,
            components: components)
        let (budgetBytes, overflow) = memoryBudgetMib.multipliedReportingOverflow(by: 1 << 20)
        configuration.residentMemoryLimitBytes = overflow ? Int.max : budgetBytes
        configuration.limits.maxFrameBytes = try frameLimit()
        configuration.log = { printUnbuffered($0) }
        let stop = StopSignal(catchingTermination: true)
        let context = try ZMQContext()
        let service = try LearnerService(configuration: configuration, context: context) { record in
            try ExperimentLearner(
                record: record, outputsDirectory: outputsDirectory, components: components, log: { printUnbuffered($0) }
            )
        }
        let endpoint = try metrics.map { try MetricsEndpoint(address: $0, metrics: service.metrics) }
        defer { endpoint?.stop() }
        printUnbuffered("learner listening on \(endpoints.control), \(endpoints.trajectories), \(endpoints.weights)")
        if let endpoint, let host = metrics?.split(separator: ":").first {
            printUnbuffered("metrics on http://\(host):\(endpoint.port)/")
        }
        try service.run(until: stop)
        printUnbuffered("learner stopped")
    }

    private func frameLimit() throws -> Int {
        let bytes = maxFrameMib * 1_048_576
        guard bytes.isFinite, bytes >= 1_024, bytes <= Double(Int32.max) else {
            throw ValidationError("--max-frame-mib must be between 0.001 and 2047, got \(maxFrameMib)")
        }
        return Int(bytes)
    }

    /// The transport security and, under CURVE, the role of every allowed key. A secret others can read or an
    /// empty allow-list is refused unless `--allow-unsafe-keys`; keys without a role line are admitted as
    /// actors, with a warning naming them.
    private func security() throws -> (ServerSecurity, [String: KeyRole]?) {
        switch (keys, insecure) {
        case (nil, true): return (.insecure, nil)
        case (let directory?, false):
            let files = KeyFiles(directory: URL(fileURLWithPath: directory))
            let roles = try files.roles(excluding: ["learner"]).mapValues { $0 ?? .actor }
            var problems: [String] = []
            if let exposure = files.secretExposure(name: "learner") { problems.append(exposure) }
            if roles.isEmpty {
                problems.append("\(directory) holds no *.key besides learner.key: no actor or client could connect")
            }
            for problem in problems {
                guard allowUnsafeKeys else { throw ValidationError(problem + " (--allow-unsafe-keys starts anyway)") }
                printUnbuffered("warning: \(problem)")
            }
            for file in try files.filesWithoutRole(excluding: ["learner"]) {
                printUnbuffered(
                    "warning: \(directory)/\(file) has no `role:` line; admitted as an actor (no Submit or Cancel)")
            }
            let security = ServerSecurity.curve(
                serverKeys: try files.keyPair(name: "learner"), allowedClientKeys: Set(roles.keys))
            return (security, roles)
        case (_?, true): throw ValidationError("--keys and --insecure exclude each other")
        case (nil, false):
            throw ValidationError("give --keys DIR (CURVE) or, on loopback and ipc:// endpoints, --insecure")
        }
    }
}
