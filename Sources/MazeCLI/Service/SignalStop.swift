import Dispatch
import Foundation
import MazeDistributed

/// Turns SIGTERM and SIGINT into a `StopSignal`, so that a daemon's loop finishes its iteration, checkpoints and
/// exits 0 instead of dying mid-write.
final class SignalStop {
    let signal = StopSignal()
    private let sources: [DispatchSourceSignal]

    init() {
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

    deinit {
        for source in sources { source.cancel() }
    }
}
