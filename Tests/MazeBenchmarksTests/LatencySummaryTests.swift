import Testing

@testable import MazeBenchmarks

@Suite("Latency summary")
struct LatencySummaryTests {
    @Test("Median and p99 are nearest-rank samples; one sample is all three")
    func nearestRank() throws {
        let hundred = (1...100).reversed().map { Duration.milliseconds($0) }
        let summary = try #require(LatencySummary(hundred))
        #expect(summary.count == 100)
        #expect(summary.median == .milliseconds(50))
        #expect(summary.p99 == .milliseconds(99))

        let four = try #require(
            LatencySummary([.microseconds(4), .microseconds(1), .microseconds(3), .microseconds(2)]))
        #expect(four.median == .microseconds(2))
        #expect(four.p99 == .microseconds(4))

        let one = try #require(LatencySummary([.seconds(1)]))
        #expect(one.median == .seconds(1) && one.p99 == .seconds(1))
        #expect(LatencySummary([]) == nil)
    }
}
