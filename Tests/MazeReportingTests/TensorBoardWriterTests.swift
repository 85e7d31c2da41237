import Foundation
import MazeCore
import MazeReporting
import MazeTestSupport
import Testing

@Suite("TensorBoard event files")
struct TensorBoardWriterTests {
    /// What tools/reporting_read_tensorboard.py prints.
    struct Contents: Decodable {
        var scalars: [String: [[Double]]]
        var texts: [String: [String]]
        var histograms: [String: [Histogram]]
    }

    /// One histogram event as TensorBoard reads it.
    struct Histogram: Decodable {
        var step: Int
        var min, max, num, sum: Double
        var sumSquares: Double
        var bucketLimit, bucket: [Double]

        enum CodingKeys: String, CodingKey {
            case step, min, max, num, sum, bucket
            case sumSquares = "sum_squares"
            case bucketLimit = "bucket_limit"
        }
    }

    /// Reads `directory` with Python's tensorboard package (EventAccumulator).
    static func readBack(_ directory: URL) throws -> Contents {
        try PythonInterop.requireModules(["tensorboard"])
        let exit = try PythonInterop.start(script: "reporting_read_tensorboard.py", arguments: [directory.path])
            .waitForExit(seconds: 120)
        try #require(exit.succeeded, "reader failed: \(exit.errorOutput)")
        return try JSONDecoder().decode(Contents.self, from: Data(exit.output.utf8))
    }

    @Test("tags are Maze's: prefix_EventClass/event/name, empty parts left out")
    func tags() {
        #expect(
            TensorBoardWriter.tag(for: StatKey(prefix: "train", topic: "BaseEnvEvents", event: "reward", name: "mean"))
                == "train_BaseEnvEvents/reward/mean")
        #expect(
            TensorBoardWriter.tag(
                for: StatKey(prefix: "eval", topic: "DiscreteActionEvents", event: "action", name: "substep_0/action"))
                == "eval_DiscreteActionEvents/action/substep_0/action")
        #expect(
            TensorBoardWriter.tag(
                for: StatKey(prefix: "train", topic: "MultiStepActorCriticEvents", event: "time_rollout", name: ""))
                == "train_MultiStepActorCriticEvents/time_rollout")
        #expect(
            TensorBoardWriter.tag(for: StatKey(topic: "BaseEnvEvents", event: "reward", name: "max"))
                == "BaseEnvEvents/reward/max")
    }

    @Test("the file is named events.out.tfevents.<unix-time>.<hostname>, a second writer gets its own file")
    func fileNames() throws {
        let directory = try TemporaryDirectory()
        let first = try TensorBoardWriter(logDirectory: directory.url, hostname: "node-1", clock: { 1_700_000_123.75 })
        let second = try TensorBoardWriter(logDirectory: directory.url, hostname: "node-1", clock: { 1_700_000_123.75 })
        #expect(first.fileURL.lastPathComponent == "events.out.tfevents.1700000123.node-1")
        #expect(second.fileURL.lastPathComponent == "events.out.tfevents.1700000123.node-1.1")
        try first.close()
        try second.close()
    }

    @Test("Python's tensorboard reads back every tag, step and value while the writer is still open")
    func pythonReadsScalars() throws {
        let directory = try TemporaryDirectory()
        let writer = try TensorBoardWriter(logDirectory: directory.url)
        for epoch in 1...3 {
            var stats = combined(rewardStats(prefix: "train", epoch: epoch), rewardStats(prefix: "eval", epoch: epoch))
            stats.append(
                StatKey(prefix: "train", topic: "DiscreteActionEvents", event: "action", name: "substep_0/action"),
                .list(count: 500, mean: 0.25 * Double(epoch)))
            try writer.write(stats, step: epoch)
        }
        try writer.writeText("runner:\n  n_epochs: 3\n", tag: "config")
        try writer.flush()

        let contents = try Self.readBack(directory.url)
        #expect(contents.scalars.count == 11)
        let trainMean = try #require(contents.scalars["train_BaseEnvEvents/reward/mean"])
        #expect(trainMean.map { $0[0] } == [1, 2, 3])
        #expect(trainMean.map { $0[1] } == [10, 20, 30])
        #expect(contents.scalars["eval_BaseEnvEvents/reward/max"]?.map { $0[1] } == [16, 26, 36])
        #expect(
            contents.scalars["train_DiscreteActionEvents/action/substep_0/action"]?.map { $0[1] } == [0.25, 0.5, 0.75])
        let wallTime = try #require(trainMean.first?[2])
        #expect(abs(wallTime - Date().timeIntervalSince1970) < 600)
        #expect(contents.texts["config"] == ["runner:\n  n_epochs: 3\n"])
        try writer.close()
    }

    @Test("Python's tensorboard reads back action histograms: count, range, sums and buckets")
    func pythonReadsHistograms() throws {
        let directory = try TemporaryDirectory()
        let writer = try TensorBoardWriter(logDirectory: directory.url)
        let actions = [0.0, 1, 1, 2, 2, 2, 5]
        var histogram = ValueHistogram()
        for action in actions { histogram.add(action) }
        var stats = LogStats()
        let key = StatKey(prefix: "train", topic: "DiscreteActionEvents", event: "action", name: "substep_0/action")
        stats.append(key, .list(count: actions.count, mean: actions.reduce(0, +) / Double(actions.count)))
        stats.append(key, histogram: histogram)
        stats.append(
            StatKey(prefix: "eval", topic: "ContinuousActionEvents", event: "action", name: "substep_0/torque"),
            histogram: ValueHistogram())  // empty: nothing to draw, not written
        try writer.write(stats, step: 4)
        try writer.close()

        let contents = try Self.readBack(directory.url)
        #expect(Array(contents.histograms.keys) == ["train_DiscreteActionEvents/action/substep_0/action"])
        let read = try #require(contents.histograms["train_DiscreteActionEvents/action/substep_0/action"]?.first)
        #expect((read.step, read.num, read.min, read.max) == (4, 7, 0, 5))
        #expect((read.sum, read.sumSquares) == (13, 39))
        #expect(read.bucket.reduce(0, +) == 7)
        #expect(read.bucketLimit.count == read.bucket.count)
        // the bucket holding the three 2s ends just above 2
        let twos = try #require(read.bucket.firstIndex(of: 3))
        #expect(read.bucketLimit[twos] > 2 && read.bucketLimit[twos - 1] <= 2)
        let mean = try #require(contents.scalars["train_DiscreteActionEvents/action/substep_0/action"]?.first?[1])
        #expect(abs(mean - 13.0 / 7) < 1e-6)
    }

    @Test("writing after close is a typed error")
    func writeAfterClose() throws {
        let directory = try TemporaryDirectory()
        let writer = try TensorBoardWriter(logDirectory: directory.url)
        try writer.close()
        #expect(throws: ReportingError.writerClosed(path: writer.fileURL.path)) {
            try writer.write(rewardStats(prefix: "train", epoch: 1), step: 1)
        }
    }
}
