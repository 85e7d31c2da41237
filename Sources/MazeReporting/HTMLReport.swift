import Foundation

/// A self-contained `report.html` for a run: learning curves as inline SVG (returns, losses, entropy,
/// throughput, as far as the run logged them), a summary table and the run's config. It loads
/// nothing from the network (no scripts, fonts or images) and is well-formed XML.
public enum HTMLReport {
    /// The figures of the summary table.
    public struct Summary: Sendable, Hashable {
        /// The highest `eval/BaseEnvEvents/reward/mean`, if the run evaluated.
        public var bestEvalReturn: Double?
        /// The step of ``bestEvalReturn``.
        public var bestEvalStep: Int?
        /// Sum of `train/BaseEnvEvents/reward/total_step_count` over the epochs (environment steps).
        public var totalSteps: Double?
        /// Number of logged steps (epochs).
        public var epochCount: Int
        /// Seconds from `startTime` (or the first logged step) to the last logged step.
        public var wallTime: Double?

        /// Computes the summary of `log`; `startTime` (seconds since 1970) is when the run began.
        public init(log: ScalarLog, startTime: Double? = nil) {
            let evalReturns = log.series("eval/BaseEnvEvents/reward/mean")
            let best = evalReturns.max { $0.value < $1.value }
            bestEvalReturn = best?.value
            bestEvalStep = best?.step
            let stepCounts = log.series("train/BaseEnvEvents/reward/total_step_count").map(\.value)
            totalSteps = stepCounts.isEmpty ? nil : stepCounts.reduce(0, +)
            epochCount = log.records.count
            if let last = log.records.map(\.wallTime).max(), let first = startTime ?? log.records.map(\.wallTime).min()
            {
                wallTime = last - first
            }
        }
    }

    /// The report of `log` as an HTML document.
    public static func render(
        log: ScalarLog, title: String = "swift-maze run", config: String? = nil, startTime: Double? = nil
    ) -> String {
        let summary = Summary(log: log, startTime: startTime)
        let charts = ReportCurves.charts(for: log)
        var body = ["<h1>\(Markup.escaped(title))</h1>", "<h2>Summary</h2>", summaryTable(summary)]
        body.append("<h2>Learning curves</h2>")
        body +=
            charts.isEmpty
            ? ["<p>No returns, losses, entropy or throughput statistics were logged.</p>"]
            : charts.map { "<figure>\n\($0.svg())\n</figure>" }
        if let config {
            body += ["<h2>Configuration</h2>", "<pre>\(Markup.escaped(config))</pre>"]
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>\(Markup.escaped(title))</title>
            <style>
            body { font-family: sans-serif; margin: 2em; color: #222; }
            table { border-collapse: collapse; }
            td, th { border: 1px solid #ccc; padding: 4px 10px; text-align: left; }
            figure { margin: 1em 0; }
            svg text { font-family: sans-serif; font-size: 12px; fill: #222; }
            pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Rebuilds `report.html` of a run folder from its JSONL statistics and `config.yaml`, e.g. after
    /// the run; the run began when `command.txt` was written.
    public static func regenerate(in folder: RunFolder, title: String? = nil) throws {
        let log = try ScalarLog(contentsOf: folder.jsonlFile)
        let config = try? String(contentsOf: folder.configFile, encoding: .utf8)
        let attributes = try? FileManager.default.attributesOfItem(atPath: folder.commandFile.path)
        let startTime = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970
        let html = render(log: log, title: title ?? folder.root.lastPathComponent, config: config, startTime: startTime)
        do {
            try Data(html.utf8).write(to: folder.reportFile, options: .atomic)
        } catch {
            throw ReportingError.cannotWrite(path: folder.reportFile.path, reason: error.localizedDescription)
        }
    }

    private static func summaryTable(_ summary: Summary) -> String {
        let rows: [(String, String)] = [
            (
                "Best eval return",
                summary.bestEvalReturn.map { String(format: "%.3f (epoch %d)", $0, summary.bestEvalStep ?? 0) } ?? "–"
            ),
            ("Total environment steps", summary.totalSteps.map { String(format: "%.0f", $0) } ?? "–"),
            ("Epochs", String(summary.epochCount)),
            ("Wall time", summary.wallTime.map { String(format: "%.1f s", $0) } ?? "–"),
        ]
        let cells = rows.map { "<tr><th>\(Markup.escaped($0.0))</th><td>\(Markup.escaped($0.1))</td></tr>" }
        return "<table class=\"summary\">\n\(cells.joined(separator: "\n"))\n</table>"
    }
}
