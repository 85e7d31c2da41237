import Foundation
import MazeTestSupport
import MazeWire
import Testing

@testable import MazeService

@Suite("Experiment queue, persistence and policy lag")
struct QueueAndLagTests {
    @Test("Experiments move queued → running → done, one running at a time; cancel refuses finished ones")
    func lifecycle() throws {
        var queue = ExperimentQueue()
        let first = queue.submit(Submit(configYAML: "a: 1\n"))
        let second = queue.submit(Submit(configYAML: "a: 2\n", overrides: ["a=2"]))
        #expect([first, second] == ["exp-0001", "exp-0002"])
        #expect(queue.buildAndStartNext()?.id == first)
        #expect(queue.buildAndStartNext()?.id == first)  // still running: nothing else starts
        queue.finish(first)
        #expect(queue.record(first)?.state == .done)
        #expect(queue.buildAndStartNext()?.id == second)
        #expect(try queue.cancel(second) == .running)
        #expect(queue.running == nil)
        #expect(throws: ControlError.self) { try queue.cancel(second) }
        #expect(throws: ControlError.self) { try queue.cancel("exp-9999") }
    }

    @Test("The queue survives a save and load, including the running experiment and the id counter")
    func persistence() throws {
        let directory = try TemporaryDirectory()
        let store = ExperimentStore(outputsDirectory: directory.url)
        #expect(try store.load() == ExperimentQueue())
        var queue = ExperimentQueue()
        _ = queue.submit(Submit(configYAML: "x: 1\n", overrides: ["x=1"], commandLine: ["maze", "submit"]))
        _ = queue.submit(Submit(configYAML: "x: 2\n"))
        _ = queue.buildAndStartNext()
        queue.updateProgress("exp-0001", epoch: 3, bestReturn: 42.5)
        try store.save(queue)
        var loaded = try store.load()
        #expect(loaded == queue)
        #expect(loaded.running?.epoch == 3)
        #expect(loaded.submit(Submit(configYAML: "")) == "exp-0003")
    }

    @Test("A corrupt state file is a clear error, not an empty queue")
    func corruptStateFile() throws {
        let directory = try TemporaryDirectory()
        let store = ExperimentStore(outputsDirectory: directory.url)
        try Data("{not json".utf8).write(to: store.url)
        #expect(throws: ServiceError.self) { try store.load() }
    }

    @Test("Lag quantiles are exact over the recorded values")
    func lagHistogram() {
        var histogram = PolicyLagHistogram()
        #expect(histogram.summary == PolicyLagSummary())
        for lag in [UInt64](repeating: 0, count: 50) + [UInt64](repeating: 1, count: 40)
            + [UInt64](repeating: 3, count: 9) + [7]
        {
            histogram.record(lag)
        }
        let summary = histogram.summary
        #expect(summary.batches == 100)
        #expect(summary.median == 0)
        #expect(summary.p90 == 1)
        #expect(summary.p99 == 3)
        #expect(summary.max == 7)
        #expect(abs(summary.mean - (40 + 27 + 7) / 100.0) < 1e-12)
    }

    @Test("IMPALA accepts lag within its bound; PPO only the current version")
    func staleness() {
        let impala = StalenessPolicy.boundedLag(2)
        #expect(impala.accepts(lag: 2) && !impala.accepts(lag: 3))
        #expect(StalenessPolicy.currentVersionOnly.accepts(lag: 0))
        #expect(!StalenessPolicy.currentVersionOnly.accepts(lag: 1))
    }
}

extension ExperimentQueue {
    /// What the learner does to start an experiment: build the next one, then mark it running.
    mutating func buildAndStartNext() -> ExperimentRecord? {
        guard let record = beginBuildingNext() else { return nil }
        markBuilt(record.id)
        return self.record(record.id)
    }
}
