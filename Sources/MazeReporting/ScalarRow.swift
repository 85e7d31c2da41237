import MazeCore

/// The scalars of one step as the CSV and JSONL logs store them: each statistic under its path
/// (`train/BaseEnvEvents/reward/mean`), lists as their mean, in the order of the ``LogStats``.
struct ScalarRow {
    var step: Int
    var wallTime: Double
    var values: [(key: String, value: Double)]

    init(stats: LogStats, step: Int, wallTime: Double) {
        self.step = step
        self.wallTime = wallTime
        var seen = Set<String>()
        values = stats.entries.compactMap { entry in
            let key = entry.key.description
            return seen.insert(key).inserted ? (key, entry.value.scalar) : nil
        }
    }

    /// A step read back from a JSONL log; its statistics in path order, as the log does not keep the original order.
    init(_ record: ScalarLog.Record) {
        step = record.step
        wallTime = record.wallTime
        values = record.values.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }
}
