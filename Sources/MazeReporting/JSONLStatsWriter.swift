import Foundation
import MazeCore

/// Writes one JSON object per line and step: `{"step": 3, "wall_time": …, "<path>": value, …}` with
/// every statistic under its path (`train/BaseEnvEvents/reward/mean`).
///
/// Each object carries exactly the keys of its step, so keys appearing later need no special
/// handling; `pandas.read_json(path, lines=True)` gives a table with empty cells where a key is
/// missing. Non-finite values are written as `null`. ``ScalarLog`` reads the file back.
public final class JSONLStatsWriter: StatsWriter {
    public let fileURL: URL
    private let file: AppendOnlyFile
    private let clock: @Sendable () -> Double
    private let keyEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return encoder
    }()

    /// Starts the log at `fileURL` with the steps of `previous` (a resumed run's log), or empty.
    public init(
        fileURL: URL, continuing previous: ScalarLog? = nil,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.fileURL = fileURL
        self.clock = clock
        file = try AppendOnlyFile(url: fileURL)
        for record in previous?.records ?? [] { try write(ScalarRow(record)) }
    }

    public func write(_ stats: LogStats, step: Int) throws {
        try write(ScalarRow(stats: stats, step: step, wallTime: clock()))
    }

    private func write(_ row: ScalarRow) throws {
        let members =
            [("step", String(row.step)), ("wall_time", Self.number(row.wallTime))]
            + row.values.map { ($0.key, Self.number($0.value)) }
        try file.append("{" + members.map { "\(try quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}\n")
    }

    public func flush() throws { try file.flush() }

    public func close() throws { try file.close() }

    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : "null"
    }

    /// `text` as a JSON string literal, escaped by Foundation's encoder.
    private func quoted(_ text: String) throws -> String {
        do {
            return String(decoding: try keyEncoder.encode(text), as: UTF8.self)
        } catch {
            throw ReportingError.cannotWrite(path: fileURL.path, reason: "cannot encode \(text) as JSON: \(error)")
        }
    }
}
