import Foundation
import MazeCore

/// Prints statistics the way Maze does: the `step|path|value` table per epoch. (The lines trainers print after
/// it, `-> new overall best model …!` and `Time required for epoch: …s`, come from MazeTrain's `EpochLines`.)
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

    /// Standard output is written unbuffered, so these lines never reorder against progress output.
    public func flush() throws {}

    public func close() throws {}

    /// Writes `text` and a newline to standard output.
    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
