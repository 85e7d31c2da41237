import Dispatch
import Foundation
import Synchronization

/// A one-way flag that asks a loop running on another thread to finish.
///
/// Made with `catchingTermination: true`, SIGTERM and SIGINT set it instead of killing the process, so that a
/// daemon's loop finishes its iteration, checkpoints and exits 0 (and `maze run` stops its child processes)
/// instead of dying mid-write; once the signal is released the two signals' default actions are back.
/// `stop()` and `isStopped` may be called from any thread.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)
    /// The signal and orphan watches feeding the flag; cancelled when the signal goes away.
    private let watches = Mutex<[Watch]>([])
    private let catchesTermination: Bool

    /// A flag that only `stop()` sets, or, with `catchingTermination`, also SIGTERM and SIGINT.
    public init(catchingTermination: Bool = false) {
        catchesTermination = catchingTermination
        guard catchingTermination else { return }
        let sources = [SIGTERM, SIGINT].map { number in
            // The default action would kill the process before the loop sees the flag.
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.stop() }
            source.resume()
            return Watch(source: source)
        }
        watches.withLock { $0 += sources }
    }

    /// Asks the loop to stop; returns whether this call was the first to do so.
    @discardableResult
    public func stop() -> Bool {
        !flag.exchange(true, ordering: .acquiringAndReleasing)
    }

    public var isStopped: Bool { flag.load(ordering: .acquiring) }

    /// Also stops when the parent process (a worker's supervisor) goes away, even by `kill -9`: a worker must
    /// not outlive the supervisor that would otherwise stop it. A worker too busy to notice the stop (building a
    /// huge experiment, say) is ended `orphanGrace` later.
    public func stopWhenOrphaned(orphanGrace: Duration = .seconds(5)) {
        let parent = getppid()
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
        let graceTicks = max(1, Int(orphanGrace / .milliseconds(500)))
        nonisolated(unsafe) var orphanedTicks = 0  // touched only by the timer's serial handler
        timer.setEventHandler { [weak self] in
            guard getppid() != parent else { return }
            self?.stop()
            orphanedTicks += 1
            if orphanedTicks > graceTicks { _exit(1) }
        }
        timer.resume()
        watches.withLock { $0.append(Watch(source: timer)) }
    }

    deinit {
        for watch in watches.withLock({ $0 }) { watch.source.cancel() }
        if catchesTermination {
            Foundation.signal(SIGINT, SIG_DFL)
            Foundation.signal(SIGTERM, SIG_DFL)
        }
    }
}

/// A dispatch source feeding a `StopSignal`; sources may be cancelled from any thread.
private struct Watch: @unchecked Sendable {
    let source: DispatchSourceProtocol
}
