/// Picks the report's learning curves from whatever statistic paths a run logged.
///
/// - Returns: `<prefix>/BaseEnvEvents/reward/mean` per prefix (train, eval), shaded between the
///   matching `min` and `max`.
/// - Losses: every path whose event or name contains `loss` (policy, value, entropy, total, …).
/// - Entropy: every path whose event or name contains `entropy` and not `loss`.
/// - Throughput: every path whose event or name contains `per_s` (`steps_per_second`,
///   `samples_per_sec`, …), so trainers opt in by naming.
/// A chart with no matching path is left out.
enum ReportCurves {
    static func charts(for log: ScalarLog) -> [LineChart] {
        let paths = log.keys.map(StatPath.init)
        let candidates = [
            LineChart(title: "Episode return", xLabel: "epoch", yLabel: "return", series: returns(log, paths)),
            chart("Losses", yLabel: "loss", log, paths.filter { $0.mentions("loss") }),
            chart("Entropy", yLabel: "entropy", log, paths.filter { $0.mentions("entropy") && !$0.mentions("loss") }),
            chart("Throughput", yLabel: "per second", log, paths.filter { $0.mentions("per_s") }),
        ]
        return candidates.filter { !$0.series.isEmpty }
    }

    private static func returns(_ log: ScalarLog, _ paths: [StatPath]) -> [LineChart.Series] {
        let means = paths.filter { $0.topic == "BaseEnvEvents" && $0.event == "reward" && $0.name == "mean" }
        // Training first, as in Maze's tables.
        let ordered = means.filter { $0.prefix == "train" } + means.filter { $0.prefix != "train" }
        return ordered.map { mean in
            let base = mean.key.dropLast("mean".count)
            let lower = Dictionary(uniqueKeysWithValues: log.series(base + "min").map { ($0.step, $0.value) })
            let upper = Dictionary(uniqueKeysWithValues: log.series(base + "max").map { ($0.step, $0.value) })
            let points = log.series(mean.key)
            let band = points.compactMap { point in
                lower[point.step].flatMap { low in upper[point.step].map { (Double(point.step), low, $0) } }
            }
            return LineChart.Series(
                name: [mean.prefix, "mean", band.isEmpty ? "" : "(min–max)"].filter { !$0.isEmpty }.joined(
                    separator: " "),
                points: points.map { (Double($0.step), $0.value) },
                band: band)
        }
    }

    private static func chart(_ title: String, yLabel: String, _ log: ScalarLog, _ paths: [StatPath]) -> LineChart {
        let series = paths.map { path in
            LineChart.Series(name: path.shortName, points: log.series(path.key).map { (Double($0.step), $0.value) })
        }
        return LineChart(title: title, xLabel: "epoch", yLabel: yLabel, series: series)
    }
}

/// A logged statistic path `prefix/topic/event/name` split into its parts; the name may itself
/// contain `/` (`substep_0/action`). Paths without a train/eval prefix have three or fewer parts.
struct StatPath {
    let key: String
    let prefix: String
    let topic: String
    let event: String
    let name: String

    init(_ key: String) {
        self.key = key
        var parts = key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        prefix = ["train", "eval"].contains(parts.first ?? "") && parts.count > 1 ? parts.removeFirst() : ""
        topic = parts.isEmpty ? "" : parts.removeFirst()
        event = parts.isEmpty ? "" : parts.removeFirst()
        name = parts.joined(separator: "/")
    }

    /// Whether the event or the name contains `word`.
    func mentions(_ word: String) -> Bool {
        event.contains(word) || name.contains(word)
    }

    /// The legend label: prefix, event and name, without the event class.
    var shortName: String {
        [prefix, [event, name].filter { !$0.isEmpty }.joined(separator: "/")].filter { !$0.isEmpty }.joined(
            separator: " ")
    }
}
