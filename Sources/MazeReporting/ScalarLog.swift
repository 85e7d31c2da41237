import Foundation

/// The scalars of a run read back from the JSONL log ``JSONLStatsWriter`` writes, e.g. to rebuild
/// the HTML report after the run.
public struct ScalarLog: Sendable, Hashable {
    /// One step's scalars.
    public struct Record: Sendable, Hashable {
        public var step: Int
        public var wallTime: Double
        /// Statistic path to value; `nil` values in the file (non-finite numbers) are left out.
        public var values: [String: Double]

        public init(step: Int, wallTime: Double, values: [String: Double]) {
            self.step = step
            self.wallTime = wallTime
            self.values = values
        }
    }

    public var records: [Record]

    public init(records: [Record]) {
        self.records = records
    }

    /// The log without the steps from `step` on: what a run resumed at an earlier checkpoint keeps.
    public func truncated(before step: Int) -> ScalarLog {
        ScalarLog(records: records.filter { $0.step < step })
    }

    /// Every statistic path that occurs in the log, sorted.
    public var keys: [String] { Set(records.flatMap(\.values.keys)).sorted() }

    /// The (step, value) points of `key`, in step order.
    public func series(_ key: String) -> [(step: Int, value: Double)] {
        records.compactMap { record in record.values[key].map { (record.step, $0) } }
    }

    /// Reads a JSONL statistics log; empty lines are skipped, anything else malformed is an error
    /// naming the line.
    public init(contentsOf url: URL) throws {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ReportingError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        var records: [Record] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            records.append(try Self.record(String(line), path: url.path, lineNumber: index + 1))
        }
        self.records = records.sorted { $0.step < $1.step }
    }

    private static func record(_ line: String, path: String, lineNumber: Int) throws -> Record {
        func malformed(_ reason: String) -> ReportingError {
            .malformedLogLine(path: path, line: lineNumber, reason: reason)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        } catch {
            throw malformed("not JSON (\(error.localizedDescription))")
        }
        guard let members = object as? [String: Any] else { throw malformed("not a JSON object") }
        guard let step = (members["step"] as? NSNumber)?.intValue else { throw malformed("no integer \"step\"") }
        guard let wallTime = (members["wall_time"] as? NSNumber)?.doubleValue else {
            throw malformed("no number \"wall_time\"")
        }
        var values: [String: Double] = [:]
        for (key, value) in members where key != "step" && key != "wall_time" {
            if value is NSNull { continue }
            guard let number = value as? NSNumber else { throw malformed("\"\(key)\" is not a number") }
            values[key] = number.doubleValue
        }
        return Record(step: step, wallTime: wallTime, values: values)
    }
}
