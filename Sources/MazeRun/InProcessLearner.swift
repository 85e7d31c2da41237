import Foundation
import MazeDistributed
import MazeZMQ
import Synchronization

/// The learner of a local run, served on its own thread of this process: unlike a child process it cannot
/// outlive `maze run`, not even a `kill -9` of it (the actor processes stop themselves when orphaned).
final class InProcessLearner: Sendable {
    private enum State: Sendable {
        case running
        case stopped
        case failed(String)
    }

    private let stop = StopSignal()
    private let state = Mutex(State.running)

    /// Starts serving `configuration`'s endpoints; each experiment writes into `outputsDirectory/<id>/`.
    init(configuration: LearnerConfiguration) {
        Thread.detachNewThread { [self] in
            do {
                let outputs = configuration.outputsDirectory
                let service = try LearnerService(configuration: configuration, context: ZMQContext()) { record in
                    try ActorCriticLearner(record: record, outputsDirectory: outputs)
                }
                try service.run(until: self.stop)
                self.state.withLock { $0 = .stopped }
            } catch {
                self.state.withLock { $0 = .failed("\(error)") }
            }
        }
    }

    /// Whether the service loop is still running.
    var isRunning: Bool { state.withLock { if case .running = $0 { true } else { false } } }

    /// Why the service loop ended early, if it failed.
    var failure: String? { state.withLock { if case .failed(let reason) = $0 { reason } else { nil } } }

    /// Asks the loop to finish (it checkpoints a running experiment) and waits up to `timeout` seconds for it.
    func stopAndWait(timeout: TimeInterval) {
        stop.stop()
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }
}
