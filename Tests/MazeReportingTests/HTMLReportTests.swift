import Foundation
import MazeCore
import MazeReporting
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("HTML report")
struct HTMLReportTests {
    /// Element names and attribute values of a document, or the parser's error.
    final class Structure: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributeValues: [String] = []
        var svgTitles: [String] = []
        private var inTitle = false
        private var depthInSVG = 0

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            elements.append(name)
            attributeValues += attributes.values
            if name == "svg" { depthInSVG += 1 }
            inTitle = name == "title" && depthInSVG > 0
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "svg" { depthInSVG -= 1 }
            inTitle = false
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { svgTitles.append(string) }
        }
    }

    static func parse(_ html: String) throws -> Structure {
        let parser = XMLParser(data: Data(html.utf8))
        let structure = Structure()
        parser.delegate = structure
        try #require(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return structure
    }

    /// Three epochs of train/eval returns, PPO-style losses, entropy and throughput.
    static func sampleLog() -> ScalarLog {
        let records = (1...3).map { epoch in
            let e = Double(epoch)
            return ScalarLog.Record(
                step: epoch, wallTime: 100 + 10 * e,
                values: [
                    "train/BaseEnvEvents/reward/mean": 20 * e, "train/BaseEnvEvents/reward/min": 10 * e,
                    "train/BaseEnvEvents/reward/max": 30 * e, "train/BaseEnvEvents/reward/total_step_count": 1000,
                    "eval/BaseEnvEvents/reward/mean": [50, 200, 150][epoch - 1],
                    "train/PPOEvents/policy_loss/0": -0.1 * e, "train/PPOEvents/critic_value_loss/0": 5 / e,
                    "train/PPOEvents/policy_entropy/0": 0.69 - 0.1 * e,
                    "train/PPOEvents/env_steps_per_second": 5000 + e,
                    "train/PPOEvents/learner_samples_per_second": 9000,
                ])
        }
        return ScalarLog(records: records)
    }

    @Test("the report is well-formed, has one SVG per curve and loads nothing from outside")
    func structure() throws {
        let html = HTMLReport.render(
            log: Self.sampleLog(), title: "CartPole <ppo>", config: "algorithm:\n  lr: 0.0005 # <&>\n")
        let structure = try Self.parse(html)
        #expect(structure.elements.filter { $0 == "svg" }.count == 4)
        #expect(structure.svgTitles == ["Episode return", "Losses", "Entropy", "Throughput"])
        #expect(structure.elements.filter { $0 == "polygon" }.count == 1)  // train min–max band; eval has none
        #expect(structure.elements.filter { $0 == "polyline" }.count == 2 + 2 + 1 + 2)
        #expect(
            !structure.elements.contains("script") && !structure.elements.contains("img")
                && !structure.elements.contains("link"))
        #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("url("))
        #expect(structure.attributeValues.allSatisfy { !$0.contains("//") })
        #expect(html.contains("<pre>algorithm:\n  lr: 0.0005 # &lt;&amp;&gt;\n</pre>"))
    }

    @Test("axes carry tick labels and the axis titles")
    func axisLabels() throws {
        let html = HTMLReport.render(log: Self.sampleLog())
        let returns = try #require(html.components(separatedBy: "<svg").dropFirst().first)
        for label in ["epoch", "return", "0", "50", "100", "150", "200"] {
            #expect(returns.contains(">\(label)</text>"), "missing tick or axis label \(label)")
        }
    }

    @Test("the summary shows the best eval return, total steps and wall time")
    func summary() {
        let summary = HTMLReport.Summary(log: Self.sampleLog(), startTime: 95)
        #expect(summary.bestEvalReturn == 200 && summary.bestEvalStep == 2)
        #expect(summary.totalSteps == 3000)
        #expect(summary.epochCount == 3)
        #expect(summary.wallTime == 35)
        let html = HTMLReport.render(log: Self.sampleLog())
        #expect(
            html.contains("<td>200.000 (epoch 2)</td>") && html.contains("<td>3000</td>")
                && html.contains("<td>20.0 s</td>"))
    }

    @Test("a run without recognised statistics still gives a valid report without charts")
    func emptyLog() throws {
        let structure = try Self.parse(HTMLReport.render(log: ScalarLog(records: [])))
        #expect(!structure.elements.contains("svg"))
        #expect(structure.elements.contains("table"))
    }

    @Test("the report is rebuilt from a run folder's JSONL log and config")
    func regenerate() throws {
        let directory = try TemporaryDirectory()
        let folder = try RunFolder.create(
            at: directory.url.appendingPathComponent("run"), config: "seed: 1234\n", commandLine: ["maze", "run"])
        let writer = try JSONLStatsWriter(fileURL: folder.jsonlFile)
        for epoch in 1...2 {
            try writer.write(
                combined(rewardStats(prefix: "train", epoch: epoch), rewardStats(prefix: "eval", epoch: epoch)),
                step: epoch)
        }
        try writer.close()
        try HTMLReport.regenerate(in: folder)
        let html = try String(contentsOf: folder.reportFile, encoding: .utf8)
        let structure = try Self.parse(html)
        #expect(structure.svgTitles == ["Episode return"])
        #expect(structure.elements.filter { $0 == "polygon" }.count == 2)
        #expect(html.contains("<pre>seed: 1234\n</pre>") && html.contains("<td>20.000 (epoch 2)</td>"))
    }
}
