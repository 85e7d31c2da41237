import Foundation
import Synchronization

/// Child processes started, restarted and stopped together: the processes of a local run, the workers of
/// `maze actor --workers N`, the processes of a test.
///
/// `terminateAll()` sends SIGTERM to every running member, SIGKILL to those still running after
/// `terminationGrace`, and reaps them all; the group does so itself when it goes away, and an owner that caught a
/// termination signal (`StopSignal(catchingTermination: true)`) calls it on the way out. With a `RestartPolicy`,
/// a monitor thread restarts members that exit, with exponential back-off; the group then lives until
/// `terminateAll()` is called. Every method may be called from any thread.
public final class ProcessGroup: Sendable {
    /// When a member that exited is started again.
    public struct RestartPolicy: Sendable {
        /// The first restart delay; it doubles with each consecutive quick failure, up to `maxBackoff`.
        public var initialBackoff: Duration = .milliseconds(100)
        public var maxBackoff: Duration = .seconds(10)
        /// A member that ran this long before exiting restarts after `initialBackoff` again.
        public var healthyRuntime: Duration = .seconds(30)

        public init() {}
    }

    /// What happened to a restarted member, told on the monitor thread.
    public enum Event: Sendable, Equatable {
        /// Member `index` exited with `status` (a signal number for `uncaughtSignal`); it restarts after `restartIn`.
        case exited(index: Int, status: Int32, uncaughtSignal: Bool, restartIn: Duration)
        /// Member `index` could not be started; it is tried again after `retryIn`.
        case startFailed(index: Int, reason: String, retryIn: Duration)
    }

    /// How to start one member.
    public struct Command: Sendable {
        public var executable: String
        public var arguments: [String]
        /// Added to this process's environment.
        public var environment: [String: String]
        public var output: ChildProcess.Output

        public init(
            executable: String, arguments: [String], environment: [String: String] = [:],
            output: ChildProcess.Output = .captured
        ) {
            self.executable = executable
            self.arguments = arguments
            self.environment = environment
            self.output = output
        }
    }

    private struct Member {
        let command: Command
        var process: ChildProcess?
        var startedAt: ContinuousClock.Instant
        var backoff: Duration
        var restartAt: ContinuousClock.Instant?
    }

    private struct State {
        var members: [Member] = []
        var restarts = 0
        var failedStarts: [String] = []
        var monitorRunning = false
    }

    /// Time between SIGTERM and SIGKILL in `terminateAll()`.
    public let terminationGrace: Duration
    private let restart: RestartPolicy?
    private let onEvent: @Sendable (Event) -> Void
    private let state = Mutex(State())
    private let stopping = StopSignal()
    private let monitorFinished = DispatchSemaphore(value: 0)

    /// An empty group; with `restart`, members that exit are started again and `onEvent` is told why.
    public init(
        terminationGrace: Duration = .seconds(5), restart: RestartPolicy? = nil,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.terminationGrace = terminationGrace
        self.restart = restart
        self.onEvent = onEvent
    }

    /// Starts `command` as a new member and returns its process. With a restart policy the monitor starts it
    /// again whenever it exits (as a new process: see `processIdentifiers`).
    @discardableResult
    public func start(_ command: Command) throws -> ChildProcess {
        let process = try ChildProcess(
            executable: command.executable, arguments: command.arguments, environment: command.environment,
            output: command.output)
        let now = ContinuousClock.now
        let startMonitor = state.withLock { state in
            state.members.append(
                Member(command: command, process: process, startedAt: now, backoff: restart?.initialBackoff ?? .zero))
            defer { state.monitorRunning = state.monitorRunning || restart != nil }
            return restart != nil && !state.monitorRunning
        }
        if startMonitor, let restart {
            let thread = Thread { [self] in
                defer { monitorFinished.signal() }
                monitor(restart)
            }
            thread.name = "maze.process-group"
            thread.start()
        }
        return process
    }

    /// Restarts performed so far.
    public var restarts: Int { state.withLock { $0.restarts } }

    /// Process ids of the members running now, in start order (`nil` while one waits to restart).
    public var processIdentifiers: [Int32?] {
        state.withLock {
            $0.members.map { member in member.process.flatMap { $0.isRunning ? $0.processIdentifier : nil } }
        }
    }

    /// Start failures so far (e.g. the executable vanished), for the log.
    public var failedStarts: [String] { state.withLock { $0.failedStarts } }

    /// Stops restarting, sends SIGTERM to every member, SIGKILL to those still running after `terminationGrace`,
    /// and reaps them all. Later calls do nothing.
    public func terminateAll() {
        guard stopping.stop() else { return }
        if state.withLock({ $0.monitorRunning }) { monitorFinished.wait() }
        ChildProcess.terminate(state.withLock { $0.members.compactMap(\.process) }, grace: terminationGrace)
    }

    deinit {
        terminateAll()
    }

    private func monitor(_ restart: RestartPolicy) {
        while !stopping.isStopped {
            let now = ContinuousClock.now
            for index in 0..<state.withLock({ $0.members.count }) {
                // Events are reported outside the lock, so a handler may read the group's figures.
                if let event = state.withLock({ state in check(member: index, in: &state, now: now, restart: restart) })
                {
                    onEvent(event)
                }
            }
            usleep(20_000)
        }
    }

    /// Notices an exit (and schedules the restart with back-off) or performs a scheduled restart.
    private func check(
        member index: Int, in state: inout State, now: ContinuousClock.Instant, restart: RestartPolicy
    ) -> Event? {
        var member = state.members[index]
        defer { state.members[index] = member }
        if let process = member.process {
            guard !process.isRunning else { return nil }
            member.process = nil
            let ranLongEnough = now - member.startedAt >= restart.healthyRuntime
            member.backoff = ranLongEnough ? restart.initialBackoff : min(member.backoff * 2, restart.maxBackoff)
            let delay = ranLongEnough ? restart.initialBackoff : member.backoff
            member.restartAt = now + delay
            state.restarts += 1
            return .exited(
                index: index, status: process.terminationStatus, uncaughtSignal: process.exitedBySignal,
                restartIn: delay)
        }
        guard let restartAt = member.restartAt, now >= restartAt else { return nil }
        do {
            let command = member.command
            member.process = try ChildProcess(
                executable: command.executable, arguments: command.arguments, environment: command.environment,
                output: command.output)
            member.startedAt = now
            member.restartAt = nil
            return nil
        } catch {
            state.failedStarts.append("member \(index): \(error)")
            member.backoff = min(member.backoff * 2, restart.maxBackoff)
            member.restartAt = now + member.backoff
            return .startFailed(index: index, reason: String(describing: error), retryIn: member.backoff)
        }
    }
}
