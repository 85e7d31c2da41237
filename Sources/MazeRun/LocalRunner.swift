import Foundation
import MazeConfig
import MazeService
import MazeSystem
import MazeTrain
import MazeWire
import MazeZMQ

/// Runs a ``LocalRunPlan``: serves the learner, starts the actor processes, submits the composed config, reports
/// the learner's progress until the experiment ends, and stops everything it started (also on SIGINT/SIGTERM).
package struct LocalRunner {
    /// How the experiment ended.
    package struct Result: Sendable, Equatable {
        package let experimentID: String
        package let state: ExperimentState
        package let epoch: UInt64
        package let bestReturn: Double?
        /// Where the learner wrote the experiment's outputs.
        package let outputDirectory: URL
    }

    package let plan: LocalRunPlan
    /// The `maze` executable the actors run.
    package let executable: String
    package let runFolder: URL
    /// What the learner builds the experiment from; `executable` must have the same registrations.
    package let components: MazeComponents
    package var pollInterval: TimeInterval = 1

    package init(plan: LocalRunPlan, executable: String, runFolder: URL, components: MazeComponents = .builtIn) {
        self.components = components
        self.plan = plan
        self.executable = executable
        self.runFolder = runFolder
    }

    /// Trains `composed` to its end; throws ``MazeRunError/experimentFailed(id:problem:)`` unless it is done.
    package func run(
        _ composed: ComposedConfig, commandLine: [String], output: @escaping @Sendable (String) -> Void
    ) throws -> Result {
        let interrupt = StopSignal(catchingTermination: true)
        let cluster = try LocalCluster(executable: executable, directory: plan.socketDirectory)
        defer { cluster.shutDown() }
        let endpoints = cluster.endpoints
        try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
        let learner = cluster.startLearner(cluster.learnerConfiguration(outputs: plan.learnerOutputs)) {
            InProcessLearner(configuration: $0, components: components, log: output)
        }
        output("Local runner: learner on \(plan.base), \(Self.actorsPhrase(plan))")
        try waitForSocket(endpoints.control, learner: learner, interrupt: interrupt)
        try cluster.startActors(plan.actorArguments) { runFolder.appendingPathComponent("actor-\($0).log") }
        let client = try ControlClient(
            endpoints: endpoints, security: .insecure, timeout: .seconds(10), in: ZMQContext())
        let id = try client.submit(
            Submit(
                configYAML: composed.yaml, commandLine: Array(commandLine.dropFirst()),
                algorithm: composed.choice("algorithm")))
        let outputDirectory = runFolder.appendingPathComponent(id)
        output("Submitted \(id); run folder: \(outputDirectory.path)")
        // A line whenever the state, epoch, best return or actor count changes (not on every throughput wobble).
        var last: (ExperimentState, UInt64, Double?, UInt64)?
        while true {
            Thread.sleep(forTimeInterval: pollInterval)
            if interrupt.isStopped { throw MazeRunError.interrupted }
            guard learner.isRunning else {
                throw MazeRunError.experimentFailed(
                    id: id, problem: "the learner stopped: \(learner.failure ?? "no reason given")")
            }
            guard let status = try client.status().first(where: { $0.experimentID == id }) else { continue }
            let progress = (status.state, status.epoch, status.bestReturn, status.actors)
            if last.map({ $0 != progress }) ?? true {
                output(Self.progressLine(status))
                for actor in status.actorFailures {
                    output("actor \(actor.actorID) cannot work on \(id): \(actor.reason)")
                }
            }
            last = progress
            switch status.state {
            case .queued, .running: continue
            case .done:
                output(Self.workLine(learner.metrics.snapshot))
                return Result(
                    experimentID: id, state: status.state, epoch: status.epoch, bestReturn: status.bestReturn,
                    outputDirectory: outputDirectory)
            case .failed, .cancelled:
                let reason = status.failure.map { ": \($0)" } ?? ""
                throw MazeRunError.experimentFailed(id: id, problem: "it ended \(status.state.rawValue)\(reason)")
            }
        }
    }

    /// "N actor processes", and why when that is not the request, or when the request oversubscribes the cores.
    static func actorsPhrase(_ plan: LocalRunPlan) -> String {
        let count = "\(plan.actorCount) actor process" + (plan.actorCount == 1 ? "" : "es")
        if plan.actorCount < plan.requestedActors {
            return count + " (\(plan.requestedActors) configured, capped to fit the cores; "
                + "give algorithm.num_actors on the command line to start that many)"
        }
        if plan.actorCount > plan.fittingActors {
            return count + " (as given; \(plan.fittingActors) fit the cores, more time-share them with the learner)"
        }
        return count
    }

    private static func progressLine(_ status: ExperimentStatus) -> String {
        let best = status.bestReturn.map { String(format: "%.2f", $0) } ?? "-"
        return "\(status.experimentID) \(status.state.rawValue): epoch \(status.epoch), best return \(best), "
            + "\(status.actors) actors, \(String(format: "%.0f", status.envStepsPerSecond)) env steps/s"
    }

    /// How much of the actors' work the learner trained on, from its own counters (`maze bench workloads` reads it):
    /// "Learner: trained on T of R samples received from the actors (P%), F frames rejected (reasons)".
    package static func workLine(_ metrics: MetricsSnapshot) -> String {
        let (trained, received) = (metrics.samplesTrained, metrics.samplesReceived)
        let share = received > 0 ? 100 * Double(trained) / Double(received) : 0
        let rejected = metrics.rejectedFrames.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let reasons = rejected.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        return "Learner: trained on \(trained) of \(received) samples received from the actors "
            + "(\(String(format: "%.1f", share))%), \(rejected.reduce(0) { $0 + $1.value }) frames rejected"
            + (reasons.isEmpty ? "" : " (\(reasons))")
    }

    /// Waits until the learner has bound its control socket (ipc:// creates the file), or fails if it exits.
    private func waitForSocket(_ endpoint: String, learner: InProcessLearner, interrupt: StopSignal) throws {
        let path = String(endpoint.dropFirst("ipc://".count))
        let deadline = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: path) {
            if interrupt.isStopped { throw MazeRunError.interrupted }
            guard learner.isRunning, Date() < deadline else {
                throw MazeRunError.experimentFailed(
                    id: "-", problem: "the learner did not start: \(learner.failure ?? "timed out")")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }
}
