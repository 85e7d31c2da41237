import Foundation
import Synchronization

/// Starts N worker processes, restarts any that exit (with exponential back-off), and stops them all on
/// shutdown: SIGTERM first, SIGKILL for any still running after a grace period.
///
/// A monitor thread watches the children, so the owner only calls `start()` and `stop()` (which it must:
/// the monitor keeps the supervisor alive until then); figures such as `restarts` may be read from any thread.
public final class ActorSupervisor: Sendable {
    /// What to run and how to restart it.
    public struct Configuration: Sendable {
        public var executable: String
        /// Arguments of worker `index` (0-based), e.g. to give each its worker id.
        public var arguments: @Sendable (Int) -> [String]
        public var workers: Int
        /// The first restart delay; it doubles with each consecutive quick failure, up to `maxBackoff`.
        public var initialBackoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(10)
        /// A worker that ran this long before exiting restarts after `initialBackoff` again.
        public var healthyRuntime: Duration = .seconds(30)
        /// Time between SIGTERM and SIGKILL on shutdown.
        public var terminationGrace: Duration = .seconds(5)
        /// Told of every exit and failed start, on the monitor thread, e.g. to log restarts.
        public var onEvent: @Sendable (Event) -> Void = { _ in }

        public init(executable: String, workers: Int, arguments: @escaping @Sendable (Int) -> [String]) {
            self.executable = executable
            self.workers = workers
            self.arguments = arguments
        }
    }

    /// Something that happened to a worker.
    public enum Event: Sendable, Equatable {
        /// Worker `index` exited with `status` (a signal number for `uncaughtSignal`); it restarts after `restartIn`.
        case exited(index: Int, status: Int32, uncaughtSignal: Bool, restartIn: Duration)
        /// Worker `index` could not be started; it is tried again after `retryIn`.
        case startFailed(index: Int, reason: String, retryIn: Duration)
    }

    private struct Slot {
        var process: Process?
        var startedAt: ContinuousClock.Instant
        var backoff: Duration
        var restartAt: ContinuousClock.Instant?
    }

    private struct State {
        var slots: [Slot] = []
        var restarts = 0
        var failedStarts: [String] = []
    }

    private let configuration: Configuration
    private let state = Mutex(State())
    private let stopping = StopSignal()
    private let monitorFinished = DispatchSemaphore(value: 0)

    public init(configuration: Configuration) throws {
        guard configuration.workers > 0 else {
            throw ServiceError.invalidConfiguration("--workers must be at least 1, got \(configuration.workers)")
        }
        guard FileManager.default.isExecutableFile(atPath: configuration.executable) else {
            throw ServiceError.invalidConfiguration("\(configuration.executable) is not an executable file")
        }
        self.configuration = configuration
    }

    /// Restarts performed so far.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// Process ids of the workers running now, by index (`nil` while one waits to restart).
    public var processIdentifiers: [Int32?] {
        state.withLock { $0.slots.map { slot in slot.process.flatMap { $0.isRunning ? $0.processIdentifier : nil } } }
    }

    /// Start failures so far (e.g. the executable vanished), for the log.
    public var failedStarts: [String] { state.withLock { $0.failedStarts } }

    /// Starts every worker and the monitor thread.
    public func start() {
        let now = ContinuousClock.now
        state.withLock { state in
            state.slots = (0..<configuration.workers).map { _ in
                Slot(process: nil, startedAt: now, backoff: configuration.initialBackoff, restartAt: now)
            }
        }
        let thread = Thread { [self] in
            defer { monitorFinished.signal() }
            monitor()
        }
        thread.name = "maze.supervisor"
        thread.start()
    }

    /// Stops restarting, sends SIGTERM to every worker, and SIGKILL to those still running after the grace period.
    public func stop() {
        guard stopping.stop() else { return }
        let started = state.withLock { !$0.slots.isEmpty }
        guard started else { return }
        monitorFinished.wait()
        let processes = state.withLock { $0.slots.compactMap(\.process) }.filter(\.isRunning)
        for process in processes { kill(process.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + configuration.terminationGrace
        while processes.contains(where: \.isRunning), ContinuousClock.now < deadline {
            usleep(10_000)
        }
        for process in processes where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    private func monitor() {
        while !stopping.isStopped {
            let now = ContinuousClock.now
            for index in 0..<configuration.workers {
                // Events are reported outside the lock, so a handler may read the supervisor's figures.
                if let event = state.withLock({ state in check(slot: index, in: &state, now: now) }) {
                    configuration.onEvent(event)
                }
            }
            usleep(20_000)
        }
    }

    /// Notices an exit (and schedules the restart with back-off) or performs a scheduled restart.
    private func check(slot index: Int, in state: inout State, now: ContinuousClock.Instant) -> Event? {
        var slot = state.slots[index]
        defer { state.slots[index] = slot }
        if let process = slot.process {
            guard !process.isRunning else { return nil }
            slot.process = nil
            let ranLongEnough = now - slot.startedAt >= configuration.healthyRuntime
            slot.backoff = ranLongEnough ? configuration.initialBackoff : min(slot.backoff * 2, configuration.maxBackoff)
            let delay = ranLongEnough ? configuration.initialBackoff : slot.backoff
            slot.restartAt = now + delay
            state.restarts += 1
            return .exited(
                index: index, status: process.terminationStatus,
                uncaughtSignal: process.terminationReason == .uncaughtSignal, restartIn: delay)
        }
        guard let restartAt = slot.restartAt, now >= restartAt else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.executable)
        process.arguments = configuration.arguments(index)
        do {
            try process.run()
            slot.process = process
            slot.startedAt = now
            slot.restartAt = nil
            return nil
        } catch {
            state.failedStarts.append("worker \(index): \(error)")
            slot.backoff = min(slot.backoff * 2, configuration.maxBackoff)
            slot.restartAt = now + slot.backoff
            return .startFailed(index: index, reason: String(describing: error), retryIn: slot.backoff)
        }
    }
}
