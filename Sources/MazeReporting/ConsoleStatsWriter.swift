import Foundation
import MazeCore

/// Prints statistics the way Maze does: the `step|path|value` table per epoch, plus the
/// `-> new overall best model …!` and `Time required for epoch: …s` lines trainers announce.
public final class ConsoleStatsWriter: StatsWriter {
    private let output: (String) -> Void

    /// - Parameter output: receives each line (or table) without a trailing newline; standard output by default.
    public init(output: @escaping (String) -> Void = ConsoleStatsWriter.standardOutput) {
        self.output = output
    }

    public func write(_ stats: LogStats, step: Int) throws {
        guard !stats.entries.isEmpty else { return }
        output(StatsTable.format(step: step, stats: stats))
    }

    /// Announces a new best model selection score, e.g. `-> new overall best model 28.10000!`.
    public func reportNewBestModel(score: Double) {
        output("-> new overall best model \(String(format: "%.5f", score))!")
    }

    /// Announces the duration of an epoch, e.g. `Time required for epoch: 19.43s`.
    public func reportEpochTime(seconds: Double) {
        output("Time required for epoch: \(String(format: "%.2f", seconds))s")
    }

    /// Standard output is written unbuffered, so these lines never reorder against progress output.
    public func flush() throws {}

    public func close() throws {}

    /// Writes `text` and a newline to standard output.
    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
