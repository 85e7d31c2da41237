import Dispatch
import Foundation
import MazeDistributed

/// SIGINT and SIGTERM set a flag instead of killing `maze run`, so that it can stop its child processes first.
final class InterruptSignal {
    let signal = StopSignal()
    private let sources: [DispatchSourceSignal]

    init() {
        let stop = signal
        sources = [SIGINT, SIGTERM].map { number in
            Foundation.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
        Foundation.signal(SIGINT, SIG_DFL)
        Foundation.signal(SIGTERM, SIG_DFL)
    }
}
