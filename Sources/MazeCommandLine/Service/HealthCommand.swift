import ArgumentParser
import Foundation
import MazeWire

/// `maze health`: asks a learner's control socket for its status and exits 0 when it answers in time, 1 with a
/// one-line reason on standard error when it does not, so that container and service managers can use it as a
/// readiness or liveness probe (an exec probe needs no HTTP server in the learner).
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Check that a learner answers on its control socket (exit 0) or not (exit 1); for probes.",
        discussion: """
            Sends one status request to the learner at --learner and waits at most --timeout seconds. Prints \
            one line and exits 0 when the learner answers; prints the reason on standard error and exits 1 when \
            it does not answer in time (also when it does not admit the key) or the keys cannot be read, and 64 \
            for invalid options. A learner behind CURVE needs a \
            client key on its allow-list, e.g. `maze health --learner tcp://127.0.0.1:7000 --keys probe-keys`.
            """
    )

    @OptionGroup var learner: LearnerAddressOptions

    func run() throws {
        do {
            let experiments = try learner.withClient { try $0.status() }
            let running = experiments.filter { $0.state == .running }.map(\.experimentID)
            print(
                "learner at \(learner.learner) answered: \(experiments.count) experiments"
                    + (running.isEmpty ? "" : ", running \(running.joined(separator: ", "))"))
        } catch {
            FileHandle.standardError.write(
                Data("maze health: learner at \(learner.learner) unhealthy: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
