import Foundation
import MazeDistributed
import MazeService
import MazeSystem
import MazeTrain
import MazeZMQ
import Synchronization

/// The learner of a local run (or of `maze bench cluster`), served on its own thread of this process: unlike a
/// child process it cannot outlive `maze run`, not even a `kill -9` of it (the actor processes stop themselves
/// when orphaned).
public final class InProcessLearner: Sendable {
    private enum State: Sendable {
        case running
        case stopped
        case failed(String)
    }

    private let stop = StopSignal()
    private let state = Mutex(State.running)
    /// The service's health figures, readable from any thread.
    public let metrics: ServiceMetrics

    /// Starts serving `configuration`'s endpoints with MazeTrain's learner, building experiments from `components`;
    /// each experiment writes into `outputsDirectory/<id>/`, and its console lines (the statistics table) go to `log`.
    convenience init(
        configuration: LearnerConfiguration, components: MazeComponents, log: @escaping @Sendable (String) -> Void
    ) {
        let outputs = configuration.outputsDirectory
        self.init(configuration: configuration) { record in
            try ExperimentLearner(record: record, outputsDirectory: outputs, components: components, log: log)
        }
    }

    /// Starts serving `configuration`'s endpoints, training each experiment with the algorithm `makeAlgorithm`
    /// builds for it (on the service thread).
    public init<Algorithm: LearnerAlgorithm & SendableMetatype>(
        configuration: LearnerConfiguration, makeAlgorithm: @escaping @Sendable (ExperimentRecord) throws -> Algorithm
    ) {
        let metrics = ServiceMetrics()
        self.metrics = metrics
        Thread.detachNewThread { [self] in
            do {
                let service = try LearnerService(
                    configuration: configuration, context: ZMQContext(), metrics: metrics, makeAlgorithm: makeAlgorithm)
                try service.run(until: self.stop)
                self.state.withLock { $0 = .stopped }
            } catch {
                self.state.withLock { $0 = .failed("\(error)") }
            }
        }
    }

    /// Whether the service loop is still running.
    public var isRunning: Bool { state.withLock { if case .running = $0 { true } else { false } } }

    /// Why the service loop ended early, if it failed.
    public var failure: String? { state.withLock { if case .failed(let reason) = $0 { reason } else { nil } } }

    /// Asks the loop to finish (it checkpoints a running experiment) and waits up to `timeout` seconds for it.
    public func stopAndWait(timeout: TimeInterval) {
        stop.stop()
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
    }
}
