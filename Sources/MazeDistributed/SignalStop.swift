import Dispatch
import Foundation

/// Turns SIGTERM and SIGINT into a `StopSignal`, so that a daemon's loop finishes its iteration, checkpoints and
/// exits 0 (and `maze run` stops its child processes) instead of dying mid-write. While it exists the two
/// signals no longer kill the process; afterwards their default actions are back.
public final class SignalStop {
    public let signal = StopSignal()
    private let sources: [DispatchSourceSignal]
    private var orphanWatch: DispatchSourceTimer?

    public init() {
        let stop = signal
        sources = [SIGTERM, SIGINT].map { number in
            // The default action would kill the process before the loop sees the flag.
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
    }

    /// Also stops when the parent process (a worker's supervisor) goes away, even by `kill -9`: a worker must
    /// not outlive the supervisor that would otherwise stop it. A worker too busy to notice the stop (building a
    /// huge experiment, say) is ended `orphanGrace` later.
    public func stopWhenOrphaned(orphanGrace: Duration = .seconds(5)) {
        let (stop, parent) = (signal, getppid())
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now() + .milliseconds(500), repeating: .milliseconds(500))
        let graceTicks = max(1, Int(orphanGrace / .milliseconds(500)))
        nonisolated(unsafe) var orphanedTicks = 0  // touched only by the timer's serial handler
        timer.setEventHandler {
            guard getppid() != parent else { return }
            stop.stop()
            orphanedTicks += 1
            if orphanedTicks > graceTicks { _exit(1) }
        }
        timer.resume()
        orphanWatch = timer
    }

    deinit {
        orphanWatch?.cancel()
        for source in sources { source.cancel() }
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
