import MazeCore
import MazeReporting
import Testing

@Suite("Fan-out to several writers")
struct FanOutStatsWriterTests {
    /// Records the steps it receives; fails every call when `failing`.
    final class RecordingWriter: StatsWriter {
        struct Failure: Error, Equatable {}
        let failing: Bool
        var steps: [Int] = []
        var closed = false
        init(failing: Bool) { self.failing = failing }
        func write(_ stats: LogStats, step: Int) throws {
            if failing { throw Failure() }
            steps.append(step)
        }
        func flush() throws { if failing { throw Failure() } }
        func close() throws {
            if failing { throw Failure() }
            closed = true
        }
    }

    @Test("every writer receives every call, and a failing one does not stop the others")
    func failureIsolation() throws {
        let first = RecordingWriter(failing: false)
        let broken = RecordingWriter(failing: true)
        let last = RecordingWriter(failing: false)
        let fanOut = FanOutStatsWriter([first, broken, last])
        #expect(throws: RecordingWriter.Failure()) { try fanOut.write(rewardStats(prefix: "train", epoch: 1), step: 1) }
        #expect(throws: RecordingWriter.Failure()) { try fanOut.close() }
        #expect(first.steps == [1] && last.steps == [1])
        #expect(first.closed && last.closed)
    }
}
