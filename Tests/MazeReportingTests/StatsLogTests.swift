import Foundation
import MazeCore
import MazeReporting
import Testing

@Suite("CSV and JSONL statistics logs")
struct StatsLogTests {
    /// Epoch 1 logs train rewards, epoch 2 adds eval rewards (keys appearing late), epoch 3 only train.
    static func epochs() -> [(step: Int, stats: LogStats)] {
        [
            (1, rewardStats(prefix: "train", epoch: 1)),
            (2, combined(rewardStats(prefix: "train", epoch: 2), rewardStats(prefix: "eval", epoch: 2))),
            (3, rewardStats(prefix: "train", epoch: 3)),
        ]
    }

    /// Splits simple CSV (the test data has no quoted cells) into rows of cells.
    static func parseCSV(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("CSV keeps one header; a late key becomes a new last column with empty earlier cells")
    func csvLateKeys() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("stats.csv")
        let writer = try CSVStatsWriter(fileURL: url, clock: { 1000.5 })
        for epoch in Self.epochs() { try writer.write(epoch.stats, step: epoch.step) }
        try writer.close()

        let rows = Self.parseCSV(try String(contentsOf: url, encoding: .utf8))
        let train = ["total_step_count", "std", "mean", "min", "max"].map { "train/BaseEnvEvents/reward/\($0)" }
        let eval = train.map { $0.replacingOccurrences(of: "train/", with: "eval/") }
        #expect(rows.first == ["step", "wall_time"] + train + eval)
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == 2 + train.count + eval.count })
        #expect(rows[1] == ["1", "1000.5", "200.0", "1.5", "10.0", "6.0", "16.0"] + Array(repeating: "", count: 5))
        #expect(rows[2][9] == "20.0")  // eval mean in epoch 2
        #expect(rows[3][2..<7] == ["200.0", "1.5", "30.0", "26.0", "36.0"])
        #expect(rows[3][7...].allSatisfy { $0.isEmpty })
    }

    @Test("CSV cells with commas or quotes are quoted as RFC 4180 asks")
    func csvQuoting() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("stats.csv")
        let writer = try CSVStatsWriter(fileURL: url, clock: { 5 })
        var stats = LogStats()
        stats.append(StatKey(prefix: "train", topic: "Events", event: "kpi", name: "a,b \"c\""), .number(.infinity))
        try writer.write(stats, step: 1)
        try writer.close()
        #expect(
            try String(contentsOf: url, encoding: .utf8)
                == "step,wall_time,\"train/Events/kpi/a,b \"\"c\"\"\"\n1,5.0,inf\n")
    }

    @Test("JSONL round trip: every step's keys and values come back, late keys included")
    func jsonlRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("stats.jsonl")
        let writer = try JSONLStatsWriter(fileURL: url, clock: { 1000.25 })
        for epoch in Self.epochs() { try writer.write(epoch.stats, step: epoch.step) }
        try writer.close()

        let log = try ScalarLog(contentsOf: url)
        #expect(log.records.map(\.step) == [1, 2, 3])
        #expect(log.records.allSatisfy { $0.wallTime == 1000.25 })
        for (record, epoch) in zip(log.records, Self.epochs()) {
            let expected = Dictionary(
                uniqueKeysWithValues: epoch.stats.entries.map { ($0.key.description, $0.value.scalar) })
            #expect(record.values == expected)
        }
        #expect(log.series("eval/BaseEnvEvents/reward/mean").map(\.step) == [2])
    }

    @Test("JSONL writes non-finite values as null and escapes keys; the reader skips the nulls")
    func jsonlSpecialValues() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("stats.jsonl")
        let writer = try JSONLStatsWriter(fileURL: url)
        var stats = LogStats()
        stats.append(StatKey(prefix: "train", topic: "Odd\"Events", event: "loss", name: "nan"), .number(.nan))
        stats.append(StatKey(prefix: "train", topic: "Odd\"Events", event: "loss", name: "ok"), .number(-2.5))
        try writer.write(stats, step: 7)
        try writer.close()
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains("\"train/Odd\\\"Events/loss/nan\":null"))
        let log = try ScalarLog(contentsOf: url)
        #expect(log.records.first?.values == ["train/Odd\"Events/loss/ok": -2.5])
    }

    @Test("a malformed JSONL line is an error naming the file and line")
    func malformedLine() throws {
        let directory = try TemporaryDirectory()
        let url = directory.url.appendingPathComponent("stats.jsonl")
        try Data("{\"step\":1,\"wall_time\":2}\n{\"step\":\"two\"}\n".utf8).write(to: url)
        #expect(throws: ReportingError.malformedLogLine(path: url.path, line: 2, reason: "no integer \"step\"")) {
            try ScalarLog(contentsOf: url)
        }
    }
}
