import Foundation
import MazeCore

/// Writes one CSV row per step: `step,wall_time`, then every statistic path as a column.
///
/// Columns are stable: they keep the order in which the keys first appeared. When a key appears
/// later in the run (say an eval block in epoch 5), the file is rewritten atomically with the new
/// column appended at the end and empty cells in the earlier rows, so every row always matches the
/// header. A key missing from a step is an empty cell.
public final class CSVStatsWriter: StatsWriter {
    public let fileURL: URL
    private var file: AppendOnlyFile
    private var columns: [String] = []
    private var rows: [ScalarRow] = []
    private let clock: @Sendable () -> Double

    /// Starts the file at `fileURL` with the steps of `previous` (a resumed run's log), or with the header alone.
    public init(
        fileURL: URL, continuing previous: ScalarLog? = nil,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) throws {
        self.fileURL = fileURL
        self.clock = clock
        file = try AppendOnlyFile(url: fileURL)
        rows = previous?.records.map(ScalarRow.init) ?? []
        columns = Self.keysInOrderOfAppearance(rows)
        try file.append(Self.line(["step", "wall_time"] + columns) + rows.map(line(for:)).joined())
    }

    public func write(_ stats: LogStats, step: Int) throws {
        let row = ScalarRow(stats: stats, step: step, wallTime: clock())
        rows.append(row)
        let newKeys = row.values.map(\.key).filter { !columns.contains($0) }
        if newKeys.isEmpty {
            try file.append(line(for: row))
        } else {
            columns += newKeys
            try rewrite()
        }
    }

    public func flush() throws { try file.flush() }

    public func close() throws { try file.close() }

    /// Replaces the file with the widened header and every row so far, then appends from there.
    private func rewrite() throws {
        let text = Self.line(["step", "wall_time"] + columns) + rows.map(line(for:)).joined()
        do {
            try file.close()
            try Data(text.utf8).write(to: fileURL, options: .atomic)
        } catch let error as ReportingError {
            throw error
        } catch {
            throw ReportingError.cannotWrite(path: fileURL.path, reason: error.localizedDescription)
        }
        file = try AppendOnlyFile(url: fileURL, truncate: false)
    }

    private static func keysInOrderOfAppearance(_ rows: [ScalarRow]) -> [String] {
        var seen = Set<String>()
        return rows.flatMap { $0.values.map(\.key) }.filter { seen.insert($0).inserted }
    }

    private func line(for row: ScalarRow) -> String {
        let values = Dictionary(row.values, uniquingKeysWith: { first, _ in first })
        let cells = columns.map { values[$0].map(Self.number) ?? "" }
        return Self.line([String(row.step), Self.number(row.wallTime)] + cells)
    }

    private static func number(_ value: Double) -> String {
        value.isFinite ? "\(value)" : (value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf"))
    }

    /// Cells joined by commas, quoted as RFC 4180 asks when they contain a comma, quote or newline.
    private static func line(_ cells: [String]) -> String {
        cells.map { cell in
            cell.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline })
                ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }.joined(separator: ",") + "\n"
    }
}
