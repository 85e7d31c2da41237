import MazeCore

/// Hands every call on to several writers, so one failing destination (a full disk for the CSV file)
/// does not keep the statistics from the others.
public final class FanOutStatsWriter: StatsWriter {
    /// The writers, in the order they are called.
    public let writers: [any StatsWriter]

    public init(_ writers: [any StatsWriter]) {
        self.writers = writers
    }

    public func write(_ stats: LogStats, step: Int) throws {
        try forEachWriter { try $0.write(stats, step: step) }
    }

    public func flush() throws {
        try forEachWriter { try $0.flush() }
    }

    public func close() throws {
        try forEachWriter { try $0.close() }
    }

    /// Calls `body` on every writer, then rethrows the first error (if any).
    private func forEachWriter(_ body: (any StatsWriter) throws -> Void) throws {
        var firstError: (any Error)?
        for writer in writers {
            do {
                try body(writer)
            } catch {
                firstError = firstError ?? error
            }
        }
        if let firstError { throw firstError }
    }
}
