import Foundation
import Testing

@testable import MazeBenchmarks

@Suite("Benchmark report")
struct BenchmarkReportTests {
    private func report() -> BenchmarkReport {
        var report = BenchmarkReport(title: "demo")
        report.add("rate_per_s", 1500, unit: "steps/s", label: "rate")
        report.addRatio("rate_over_c", 1500, over: 3000, label: "rate / C", target: 0.6)
        report.addRatio("undefined", 1, over: 0, label: "over nothing")
        return report
    }

    @Test("JSON holds every figure under its key, ratios under _ratio, and null where undefined")
    func json() throws {
        let text = report().render(json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["benchmark"] as? String == "demo")
        #expect(object["rate_per_s"] as? Double == 1500)
        #expect(object["rate_over_c_ratio"] as? Double == 0.5)
        #expect(object["undefined_ratio"] is NSNull)
        #expect(object.count == 4)
    }

    @Test("The table prints each figure with its unit and says whether a ratio meets its target")
    func table() {
        let lines = report().render(json: false).split(separator: "\n").map(String.init)
        #expect(lines.first == "demo")
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix("rate ") && lines[2].hasSuffix("1500.000 steps/s"))
        #expect(lines[3].contains("0.500 x") && lines[3].hasSuffix("(target ≥ 0.600x: BELOW)"))
        #expect(lines[4].contains("nan x"))
    }

    @Test("Rates are medians over the repeats of units per second of work")
    func medianRates() {
        let rate = medianRate(seconds: 0.01, repeats: 3) {
            Thread.sleep(forTimeInterval: 0.002)
            return 10
        }
        // 10 units every ≥ 2 ms: at most 5000 per second.
        #expect(rate > 0 && rate <= 5000)
        #expect(median([3, 1, 2, 10]) == 2.5)
        #expect(median([]).isNaN)
    }
}
