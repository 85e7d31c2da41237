import ArgumentParser
import Foundation
import MazeDistributed
import MazeService
import MazeSystem
import MazeTrain
import MazeWire
import MazeZMQ

/// `maze actor`: supervises N worker processes (or, with `--worker`, is one) that collect rollouts for the
/// learner's current experiment.
struct ActorCommand: ComponentsCommand {
    static let configuration = CommandConfiguration(
        commandName: "actor",
        abstract: "Run actor workers that collect rollouts for a learner.",
        discussion: """
            Starts --workers worker processes of this executable and restarts any that die. Each worker \
            registers with the learner, builds the experiment's env, wrappers and model from the assigned config, \
            follows the broadcast weights and pushes trajectory batches. Workers reconnect by themselves after a \
            learner restart or a network cut. SIGTERM or Ctrl-C stops them all.
            """
    )

    @Option(
        help: ArgumentHelp("The learner's base endpoint, as given to `maze learner --bind`.", valueName: "endpoint"))
    var connect = "tcp://127.0.0.1:7000"

    @Option(
        help: """
            Worker processes to run and supervise. With Maze's defaults one worker produces what one learner thread \
            trains on (docs/OPERATIONS.md, "Sizing a local run"); the learner's credits idle any beyond that.
            """)
    var workers = 1

    @Option(
        help: """
            Environments each worker steps together (default \(Self.defaultEnvs)). An ES experiment's workers evaluate \
            one episode at a time whatever this says, and print so when it is given: run more --workers instead.
            """)
    var envs: Int?

    static let defaultEnvs = 8

    @Option(
        help: ArgumentHelp(
            "This actor host's name in its worker ids (NAME/actor-INDEX); by default the host name. Every `maze actor` "
                + "connected to one learner needs its own.", valueName: "name"))
    var name: String?

    @OptionGroup var connection: ClientConnectionOptions

    @Flag(help: .hidden)
    var worker = false

    @Option(help: .hidden)
    var workerIndex = 0

    func run(with components: MazeComponents) throws {
        let endpoints = try ServiceEndpoints(base: connect)
        let security = try connection.security()
        guard (envs ?? Self.defaultEnvs) > 0 else { throw ValidationError("--envs must be at least 1") }
        guard name.map({ !$0.isEmpty && !$0.contains("/") }) ?? true else {
            throw ValidationError("--name must be non-empty and without '/'")
        }
        if worker {
            try runWorker(endpoints: endpoints, security: security, components: components)
        } else {
            try supervise()
        }
    }

    private func runWorker(endpoints: ServiceEndpoints, security: ClientSecurity, components: MazeComponents) throws {
        let stop = StopSignal(catchingTermination: true)
        stop.stopWhenOrphaned()
        let workerID = "\(name ?? ProcessInfo.processInfo.hostName)/actor-\(workerIndex)"
        let (envCount, seed) = (envs ?? Self.defaultEnvs, UInt64(workerIndex) &* 0x9E37_79B9 &+ 1)
        let requestedEnvs = envs
        let actor = try ActorWorker(
            configuration: ActorWorkerConfiguration(workerID: workerID, endpoints: endpoints, security: security),
            context: ZMQContext()
        ) { assignment in
            do {
                let policy = try ExperimentActingPolicy(
                    config: ExperimentConfig(
                        yaml: assignment.configYAML, algorithm: assignment.algorithm, components: components),
                    envCount: envCount, seed: seed)
                if let requestedEnvs, requestedEnvs != policy.envCount {
                    printUnbuffered(Self.envsNote(requestedEnvs, policy: policy, workerID: workerID, assignment))
                }
                return policy
            } catch {
                // The worker reports it to the learner too (`maze status`) and waits for the next assignment.
                let failure = AssignmentBuildError(error)
                printUnbuffered("\(workerID) cannot work on \(assignment.experimentID): \(failure)")
                throw failure
            }
        }
        try actor.run(until: stop)
    }

    private func supervise() throws {
        let maxWorkers = max(64, 16 * ProcessInfo.processInfo.activeProcessorCount)
        guard (1...maxWorkers).contains(workers) else {
            throw ValidationError("--workers must lie in 1...\(maxWorkers) (16 per CPU, at least 64), got \(workers)")
        }
        // Workers run this same executable.
        let executable = Bundle.main.executablePath ?? CommandLine.arguments[0]
        let arguments = workerArguments()
        let stop = StopSignal(catchingTermination: true)
        let group = ProcessGroup(restart: ProcessGroup.RestartPolicy()) { event in
            if case .exited(let index, let status, let signal, let delay) = event {
                printUnbuffered(
                    "worker \(index) exited (\(signal ? "signal" : "status") \(status)); restarting in \(delay)")
            } else if case .startFailed(let index, let reason, let delay) = event {
                printUnbuffered("worker \(index) could not start: \(reason); retrying in \(delay)")
            }
        }
        defer { group.terminateAll() }
        for index in 0..<workers {
            let worker = arguments + ["--worker", "--worker-index", String(index)]
            try group.start(.init(executable: executable, arguments: worker, output: .inherited))
        }
        printUnbuffered("supervising \(workers) actor workers connected to \(connect)")
        while !stop.isStopped { Thread.sleep(forTimeInterval: 0.2) }
    }

    /// The options a worker needs, passed on from this command line.
    private func workerArguments() -> [String] {
        var arguments = ["actor", "--connect", connect]
        if let envs { arguments += ["--envs", String(envs)] }
        if let name { arguments += ["--name", name] }
        if let keys = connection.keys { arguments += ["--keys", keys] }
        if let keyName = connection.keyName { arguments += ["--key-name", keyName] }
        if connection.insecure { arguments.append("--insecure") }
        return arguments
    }

    /// Why `--envs requested` does not apply to the assignment's experiment (ES): said once per assignment.
    static func envsNote(
        _ requested: Int, policy: ExperimentActingPolicy, workerID: String, _ assignment: Assignment
    ) -> String {
        "\(workerID): --envs \(requested) does not apply to \(assignment.experimentID) "
            + "(algorithm=\(assignment.algorithm ?? "es")): each worker evaluates one perturbation's episode at a time "
            + "in \(policy.envCount) env; run more --workers to evaluate more at once"
    }
}
