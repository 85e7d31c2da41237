import MazeCore
import MazeReporting
import Testing

@Suite("Console output in Maze's format")
struct ConsoleStatsWriterTests {
    @Test("the epoch table matches Maze's printed table character for character")
    func table() throws {
        let output = CapturedOutput()
        let writer = ConsoleStatsWriter(output: output.append)
        var stats = LogStats()
        stats.append(
            StatKey(prefix: "eval", topic: "DiscreteActionEvents", event: "action", name: "substep_0/action"),
            .list(count: 281, mean: 0.5))
        stats.append(
            StatKey(prefix: "eval", topic: "BaseEnvEvents", event: "reward", name: "median_step_count"), .number(18.5))
        stats.append(StatKey(prefix: "eval", topic: "BaseEnvEvents", event: "reward", name: "max"), .number(66))
        try writer.write(stats, step: 4)
        // Lines copied from Maze's documentation (maze-run training example).
        let expected = [
            " step|path                                                                                    |               value",
            "=====|========================================================================================|====================",
            "    4|eval                  DiscreteActionEvents  action                substep_0/action      |    [len:281, μ:0.5]",
            "    4|eval                  BaseEnvEvents         reward                median_step_count     |              18.500",
            "    4|eval                  BaseEnvEvents         reward                max                   |              66.000",
        ]
        #expect(output.chunks == [expected.joined(separator: "\n")])
    }

    @Test("an epoch without statistics prints nothing")
    func emptyEpoch() throws {
        let output = CapturedOutput()
        try ConsoleStatsWriter(output: output.append).write(LogStats(), step: 1)
        #expect(output.chunks.isEmpty)
    }
}
